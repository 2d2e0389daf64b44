import { HttpException } from '@nestjs/common';

/** The short, generic body of each status the guard answers: never which check failed. */
const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  413: 'Payload Too Large',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An HttpException with a generic `{ statusCode, message }` body and no cause attached. */
export function genericHttpException(status: number): HttpException {
  const known = STATUS_TEXT[status] === undefined ? 401 : status;
  return new HttpException({ statusCode: known, message: STATUS_TEXT[known] }, known);
}

/** Logged once when a JSON body arrives without its raw bytes: says exactly what to change. */
export const MISSING_RAW_BODY_MESSAGE =
  'A Flow webhook arrived with a parsed JSON body but without its raw bytes, so its Digest cannot ' +
  'be checked (the parsed body is never re-serialised for that). Create the app with ' +
  '`NestFactory.create(AppModule, { rawBody: true })` (Express or Fastify adapter). `bodyParser: false` ' +
  "or a custom json() middleware registered before Nest's parser defeats it: remove them, or raise " +
  "the limit with `app.useBodyParser('json', { limit: '1mb' })` instead. Deliveries are answered " +
  '500 until this is fixed, so Cognito retries them.';

/** Logged once when the guard runs outside HTTP, where there is nothing to verify. */
export const NON_HTTP_MESSAGE =
  'FlowWebhookGuard guards HTTP routes only; it refused a call in a non-HTTP context (gateway or ' +
  'microservice). Remove it from that handler.';
