import 'reflect-metadata';
import {
  Controller,
  HttpCode,
  Injectable,
  Post,
  Req,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
  type LoggerService,
  type Type,
} from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import {
  FLOW_WEBHOOK_ROUTE,
  VerifiedFlowEvent,
  FlowModule,
  FlowWebhookGuard,
  FlowWebhookRoute,
  type FlowModuleOptions,
  type FlowWebhookEvent,
} from '../../lib/index.js';

/** The HTTP platforms every webhook test runs on. */
export const WEBHOOK_PLATFORMS = [
  ['express', () => new ExpressAdapter()],
  ['fastify', () => new FastifyAdapter()],
] as const;

/** One of {@link WEBHOOK_PLATFORMS}'s names. */
export type WebhookPlatform = (typeof WEBHOOK_PLATFORMS)[number][0];

/** What the host's handlers saw: the typed event and the bytes the signature covered. */
export interface Received {
  event: FlowWebhookEvent;
  method: string;
  url: string;
  date: string;
  digest: string;
  rawBody: string;
}

/** Every delivery that reached a host handler, in order (cleared by the tests). */
export const received: Received[] = [];

/** The request fields the host handler records, as both platforms give them. */
interface RecordedRequest {
  method: string;
  originalUrl?: string;
  url: string;
  /** Verified by the guard: Date and Digest are there. */
  headers: Record<string, string>;
  rawBody?: unknown;
}

function record(event: FlowWebhookEvent, request: RecordedRequest): { received: string } {
  received.push({
    event,
    method: request.method,
    url: request.originalUrl ?? request.url,
    date: request.headers.date,
    digest: request.headers.digest,
    rawBody: Buffer.isBuffer(request.rawBody) ? request.rawBody.toString('base64') : '',
  });
  return { received: event.id };
}

/** A host-written receiver, as the docs show it. */
@Controller()
export class HostWebhookController {
  @Post('webhook_receivers/flow')
  @HttpCode(200)
  @UseGuards(FlowWebhookGuard)
  receive(
    @VerifiedFlowEvent() event: FlowWebhookEvent,
    @Req() request: RecordedRequest,
  ): { received: string } {
    return record(event, request);
  }

  @Post('exempt/flow')
  @HttpCode(200)
  @FlowWebhookRoute()
  receiveExempt(
    @VerifiedFlowEvent() event: FlowWebhookEvent,
    @Req() request: RecordedRequest,
  ): { received: string } {
    return record(event, request);
  }

  @Post('members/only')
  @HttpCode(200)
  membersOnly(): string {
    return 'members';
  }
}

/** A host with one guarded receiver, as behind a path-rewriting proxy with `webhook.publicPath`. */
@Controller()
export class SingleWebhookController {
  @Post('webhook_receivers/flow')
  @HttpCode(200)
  @UseGuards(FlowWebhookGuard)
  receive(
    @VerifiedFlowEvent() event: FlowWebhookEvent,
    @Req() request: RecordedRequest,
  ): { received: string } {
    return record(event, request);
  }
}

/** A host's global auth guard that lets only routes marked with FLOW_WEBHOOK_ROUTE through. */
@Injectable()
export class HostAuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    return (
      this.reflector.getAllAndOverride<boolean>(FLOW_WEBHOOK_ROUTE, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }
}

/** Every line any Nest logger wrote, whatever the level. */
export class CapturingLogger implements LoggerService {
  readonly lines: Array<{ level: string; text: string }> = [];
  private add(level: string, message: unknown, rest: unknown[]): void {
    this.lines.push({
      level,
      text: [message, ...rest]
        .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
        .join(' '),
    });
  }
  log(message: unknown, ...rest: unknown[]): void {
    this.add('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.add('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.add('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.add('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.add('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.add('fatal', message, rest);
  }
}

/** A running app and its base URL. */
export interface WebhookApp {
  app: INestApplication;
  baseUrl: string;
  port: number;
  logger: CapturingLogger;
}

/** Starts a host app on 127.0.0.1 with `listen(0)`. `rawBody` defaults to true. */
export async function startWebhookApp(
  platform: WebhookPlatform,
  flow: FlowModuleOptions,
  options: {
    rawBody?: boolean;
    bodyParser?: boolean;
    hostAuthGuard?: boolean;
    bodyLimitBytes?: number;
    /** The host's controllers; default {@link HostWebhookController}. */
    controllers?: Type[];
    /** Runs on the created app before it listens: a global prefix, versioning. */
    setup?: (app: INestApplication) => void;
  } = {},
): Promise<WebhookApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [FlowModule.forRoot(flow)],
    controllers: options.controllers ?? [HostWebhookController],
    providers: options.hostAuthGuard ? [{ provide: APP_GUARD, useClass: HostAuthGuard }] : [],
  }).compile();
  const logger = new CapturingLogger();
  const limit = options.bodyLimitBytes;
  // How the README tells hosts to raise the platforms' own body limits.
  const adapter =
    limit !== undefined && platform === 'fastify'
      ? new FastifyAdapter({ bodyLimit: limit })
      : WEBHOOK_PLATFORMS.find(([name]) => name === platform)![1]();
  const app = moduleRef.createNestApplication<NestExpressApplication>(adapter as ExpressAdapter, {
    rawBody: options.rawBody ?? true,
    bodyParser: options.bodyParser ?? true,
    logger,
  });
  if (limit !== undefined && platform === 'express') app.useBodyParser('json', { limit });
  options.setup?.(app);
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    // A refused start-up still closes what the module opened, then reports the refusal.
    await app.close().catch(() => undefined);
    throw error;
  }
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return { app, baseUrl: `http://127.0.0.1:${port}`, port, logger };
}
