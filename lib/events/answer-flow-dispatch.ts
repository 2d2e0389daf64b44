import { HttpException } from '@nestjs/common';
import type { FlowDispatchResult } from './flow-dispatch-result.js';

/** What both Express and Fastify responses offer for setting a header. */
export interface FlowResponseHeaders {
  /** Sets one response header. */
  header(name: string, value: string): unknown;
}

/**
 * Turns a dispatch result into the route's answer: sets `Retry-After` when the result has one,
 * returns `{ outcome }` for a 2xx (use `@HttpCode(200)`), and throws an HttpException with the
 * result's status otherwise, so the host's exception filters still apply. Works on Express and
 * Fastify alike: pass the response from `@Res({ passthrough: true })`.
 */
export function answerFlowDispatch(
  result: FlowDispatchResult,
  response: FlowResponseHeaders,
): { outcome: string } {
  if (result.retryAfterSeconds !== undefined)
    response.header('Retry-After', String(result.retryAfterSeconds));
  if (result.status >= 200 && result.status < 300) return { outcome: result.outcome };
  throw new HttpException({ statusCode: result.status, outcome: result.outcome }, result.status);
}
