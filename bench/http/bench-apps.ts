import { createHmac } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Injectable,
  Module,
  Post,
  UnauthorizedException,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import {
  VerifiedFlowEvent,
  FlowModule,
  FlowWebhookGuard,
  OnFlowEvent,
  type FlowEventStore,
  type FlowWebhookEvent,
} from '../../lib/index.js';
import { createFlowWebhookVerifier } from '../../lib/protocol/index.js';
import { type FlowWebhookPlatformRequest } from '../../lib/webhook/flow-webhook-platform-request.js';
import { EXAMPLE_CUSTOMER_REFERENCE } from '../../test/fixtures/flow-protocol.js';
import { BENCH_KEY_ID, BENCH_SECRET, EXAMPLE_BODY, signedDelivery } from '../support/deliveries.js';
import { repeatedHeadersFromRaw } from '../../lib/http-signature/request-headers.js';

/** The bearer token the load sends; the guard maps it to a user. */
export const BENCH_BEARER = 'Bearer benchmark-user-token';
/** Public identifiers the signature endpoint answers with (not secrets). */
const PUBLISHABLE_KEY = 'live_publishable_key_0123456789abcdef0123456789abcdef';
const TEMPLATE_ID = 'flwtmp_benchmark00001';

/** Routes of the bench apps, as the load requests them. */
export const BENCH_ROUTES = {
  signature: '/users/current/flow_signature',
  bareSignature: '/bare/flow_signature',
  receiver: '/webhook_receivers/flow',
  bareWebhook: '/bare/webhook',
  bareSignatureAsync: '/bare/flow_signature_async',
  verifiedWebhook: '/bare/webhook_verified',
  guardedWebhook: '/bare/webhook_noop_guard',
  headersReadWebhook: '/bare/webhook_headers_read',
  verifyOnlyWebhook: '/bare/webhook_verify_only',
  verifyConstWebhook: '/bare/webhook_verify_const',
} as const;

const USERS = new Map([[BENCH_BEARER, { id: EXAMPLE_CUSTOMER_REFERENCE }]]);

/** A host's auth guard, as cheap as one can be (a map lookup), so the endpoint's own cost shows. */
@Injectable()
export class BenchAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, unknown>; user?: unknown }>();
    const user = USERS.get(request.headers.authorization as string);
    if (user === undefined) throw new UnauthorizedException();
    request.user = user;
    return true;
  }
}

// The bare route answers the same bytes the signature endpoint computes per request.
const CONSTANT_SIGNATURE_RESPONSE = {
  publishableKey: PUBLISHABLE_KEY,
  templateId: TEMPLATE_ID,
  user: {
    customerReference: EXAMPLE_CUSTOMER_REFERENCE,
    signature: createHmac('sha256', BENCH_SECRET)
      .update(EXAMPLE_CUSTOMER_REFERENCE)
      .digest('base64'),
  },
};

/** The baseline of the signature figure: same guard, same header, a constant body of the same size. */
@Controller()
@UseGuards(BenchAuthGuard)
class BareSignatureController {
  @Get(BENCH_ROUTES.bareSignature.slice(1))
  @Header('Cache-Control', 'no-store')
  constant(): typeof CONSTANT_SIGNATURE_RESPONSE {
    return CONSTANT_SIGNATURE_RESPONSE;
  }

  /** The same through an async handler: shows what awaiting (as the endpoint does) costs by itself. */
  @Get(BENCH_ROUTES.bareSignatureAsync.slice(1))
  @Header('Cache-Control', 'no-store')
  constantAsync(): Promise<typeof CONSTANT_SIGNATURE_RESPONSE> {
    return Promise.resolve(CONSTANT_SIGNATURE_RESPONSE);
  }
}

/** Counts what each route handled, so the load can prove the work was really done. */
@Injectable()
export class BenchCounters {
  received = 0;
  verified = 0;
  bare = 0;
}

/** Extra CPU work each event's handler does, in µs (0: none): a known cost to read others by. */
const HANDLER_WORK_MICROS = Symbol('HANDLER_WORK_MICROS');

/** Keeps the CPU busy for `micros` µs: arithmetic on the clock alone, no memory touched. */
function busyFor(micros: number): void {
  const until = performance.now() + micros / 1000;
  while (performance.now() < until);
}

/** The receiver's trivial handler. */
@Injectable()
class BenchEventHandler {
  constructor(
    private readonly counters: BenchCounters,
    @Inject(HANDLER_WORK_MICROS) private readonly workMicros: number,
  ) {}

  @OnFlowEvent('flow_session.status.updated')
  onStatus(event: FlowWebhookEvent): void {
    if (this.workMicros > 0) busyFor(this.workMicros);
    if (event.data.status !== undefined) this.counters.received++;
  }
}

/** The baseline of the receiver figure: same app (same raw-body JSON parsing), a trivial handler. */
@Controller()
class BareWebhookController {
  constructor(private readonly counters: BenchCounters) {}

  @Post(BENCH_ROUTES.bareWebhook.slice(1))
  @HttpCode(200)
  receive(@Body() body: { id?: unknown }): { outcome: string } {
    if (typeof body?.id === 'string') this.counters.bare++;
    return { outcome: 'processed' };
  }
}

/** A guard that lets everything through: what Nest's guard pipeline costs by itself. */
@Injectable()
class AllowGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

/** The bare POST behind a guard that does nothing: Nest's share of the guarded route's cost. */
@Controller()
class NoopGuardedWebhookController {
  constructor(private readonly counters: BenchCounters) {}

  @Post(BENCH_ROUTES.guardedWebhook.slice(1))
  @HttpCode(200)
  @UseGuards(AllowGuard)
  receive(@Body() body: { id?: unknown }): { outcome: string } {
    if (typeof body?.id === 'string') this.counters.bare++;
    return { outcome: 'processed' };
  }
}

/** Reads what FlowWebhookGuard reads from the request, and nothing else. */
@Injectable()
class HeadersReadGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FlowWebhookPlatformRequest>();
    const distinct = repeatedHeadersFromRaw(request.raw?.rawHeaders ?? request.rawHeaders);
    return distinct !== undefined && request.headers !== undefined && request.rawBody !== undefined;
  }
}

@Controller()
class HeadersReadWebhookController {
  constructor(private readonly counters: BenchCounters) {}

  @Post(BENCH_ROUTES.headersReadWebhook.slice(1))
  @HttpCode(200)
  @UseGuards(HeadersReadGuard)
  receive(@Body() body: { id?: unknown }): { outcome: string } {
    if (typeof body?.id === 'string') this.counters.bare++;
    return { outcome: 'processed' };
  }
}

/** Verification alone, synchronous: the prepared verifier on the live request, event attached. */
@Injectable()
class VerifyOnlyGuard implements CanActivate {
  private readonly verify = createFlowWebhookVerifier({
    secrets: [BENCH_SECRET],
    apiKeys: [BENCH_KEY_ID],
  });
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FlowWebhookPlatformRequest>();
    request.flowWebhookEvent = this.verify({
      method: request.method,
      url: request.originalUrl ?? request.raw?.url ?? '',
      headers: request.headers,
      headersDistinct: repeatedHeadersFromRaw(request.raw?.rawHeaders ?? request.rawHeaders),
      rawBody: request.rawBody as Buffer,
    });
    return true;
  }
}

@Controller()
class VerifyOnlyWebhookController {
  constructor(private readonly counters: BenchCounters) {}

  @Post(BENCH_ROUTES.verifyOnlyWebhook.slice(1))
  @HttpCode(200)
  @UseGuards(VerifyOnlyGuard)
  receive(@VerifiedFlowEvent() event: FlowWebhookEvent): { outcome: string } {
    if (typeof event.id === 'string') this.counters.verified++;
    return { outcome: 'processed' };
  }
}

const CONST_DELIVERY = signedDelivery(EXAMPLE_BODY);
/** Verifies one constant delivery (not the request's): verification's cost inside a live server. */
@Injectable()
class VerifyConstGuard implements CanActivate {
  private readonly verify = createFlowWebhookVerifier({
    secrets: [BENCH_SECRET],
    apiKeys: [BENCH_KEY_ID],
    now: () => CONST_DELIVERY.signedAt,
  });
  canActivate(): boolean {
    return this.verify(CONST_DELIVERY).id !== '';
  }
}

@Controller()
class VerifyConstWebhookController {
  constructor(private readonly counters: BenchCounters) {}

  @Post(BENCH_ROUTES.verifyConstWebhook.slice(1))
  @HttpCode(200)
  @UseGuards(VerifyConstGuard)
  receive(@Body() body: { id?: unknown }): { outcome: string } {
    if (typeof body?.id === 'string') this.counters.bare++;
    return { outcome: 'processed' };
  }
}

/** The bare POST behind FlowWebhookGuard: the verification's share of the receiver's cost. */
@Controller()
class VerifiedWebhookController {
  constructor(private readonly counters: BenchCounters) {}

  @Post(BENCH_ROUTES.verifiedWebhook.slice(1))
  @HttpCode(200)
  @UseGuards(FlowWebhookGuard)
  receive(@VerifiedFlowEvent() event: FlowWebhookEvent): { outcome: string } {
    if (typeof event.id === 'string') this.counters.verified++;
    return { outcome: 'processed' };
  }
}

/** App of the signature figure: the module's endpoint and the bare route, behind one guard. */
export function signatureBenchModule(): Type {
  @Module({
    imports: [
      FlowModule.forRoot({
        apiSecret: BENCH_SECRET,
        publishableKey: PUBLISHABLE_KEY,
        templateId: TEMPLATE_ID,
        signatureEndpoint: { guards: [BenchAuthGuard] },
      }),
    ],
    controllers: [BareSignatureController],
    providers: [BenchCounters],
  })
  class SignatureBenchModule {}
  return SignatureBenchModule;
}

/**
 * App of the receiver figures: the built-in receiver on `store` (default: memory) and the bare
 * route; its handler does `handlerWorkMicros` µs of extra CPU work per event.
 */
export function receiverBenchModule(
  store: FlowEventStore | undefined,
  telemetry = true,
  handlerWorkMicros = 0,
): Type {
  @Module({
    imports: [
      FlowModule.forRoot({
        apiSecret: BENCH_SECRET,
        apiKey: BENCH_KEY_ID,
        webhook: { path: BENCH_ROUTES.receiver.slice(1), store },
        telemetry,
      }),
    ],
    controllers: [
      BareWebhookController,
      NoopGuardedWebhookController,
      HeadersReadWebhookController,
      VerifyOnlyWebhookController,
      VerifyConstWebhookController,
      VerifiedWebhookController,
    ],
    providers: [
      BenchCounters,
      BenchEventHandler,
      { provide: HANDLER_WORK_MICROS, useValue: handlerWorkMicros },
    ],
  })
  class ReceiverBenchModule {}
  return ReceiverBenchModule;
}
