import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, HttpAdapterHost } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { FlowWebhookGuard } from './flow-webhook.guard.js';

/** The metadata key of `@UseGuards()` (`GUARDS_METADATA`, not exported from the package root). */
const GUARDS_METADATA = '__guards__';

/** The part of Nest's HTTP adapter the check listens to. */
interface ParserRegistrar {
  registerParserMiddleware?: (prefix?: string, rawBody?: boolean) => unknown;
}

/** Refusal at start-up: a webhook route exists and the app keeps no raw bodies. */
export const RAW_BODY_REQUIRED_MESSAGE =
  'A Flow webhook route is registered but the app was created without `rawBody: true`, so no ' +
  "delivery's Digest could be checked: each would be answered 500. Create the app with " +
  '`NestFactory.create(AppModule, { rawBody: true })` (or `createNestApplication(adapter, ' +
  '{ rawBody: true })` in tests), on Express or Fastify.';

/** Warning at start-up: with `bodyParser: false` only the host's own parser can keep raw bodies. */
export const RAW_BODY_UNKNOWN_MESSAGE =
  "A Flow webhook route is registered and the app was created with `bodyParser: false`: Nest's " +
  'parser, which keeps `rawBody`, is off. Unless your own parser sets `req.rawBody` to the body ' +
  "bytes, every delivery will be answered 500. Prefer `{ rawBody: true }` with Nest's parser.";

/**
 * Says at start-up, not at the first delivery, that webhook routes cannot work: Nest hands the
 * `rawBody` option to the HTTP adapter when it registers its body parsers (`app.init()`, on
 * Express and Fastify alike), so the check records that call and, once the app is bootstrapped,
 * refuses to start when a route guarded by {@link FlowWebhookGuard} exists and `rawBody` was off.
 */
@Injectable()
export class FlowRawBodyCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('FlowModule');
  /** The `rawBody` flag Nest registered its parsers with; undefined until (unless) it does. */
  private rawBody: boolean | undefined;
  /** Whether an HTTP adapter was there to listen to (a bare testing module has none). */
  private listening = false;

  constructor(
    adapterHost: HttpAdapterHost,
    private readonly discovery: DiscoveryService,
  ) {
    const host = adapterHost as HttpAdapterHost & { init$?: Observable<void> };
    // NestFactory.create sets the adapter before providers are made; a testing module sets it
    // later, in createNestApplication(): init$ replays or announces it, before app.init().
    if (host.init$) host.init$.subscribe(() => this.listen(host.httpAdapter));
    else this.listen(host.httpAdapter);
  }

  /** @throws FlowConfigurationError `missing_raw_body` when a webhook route cannot verify. */
  onApplicationBootstrap(): void {
    if (this.rawBody === true || !this.listening || !this.hasWebhookRoute()) return;
    if (this.rawBody === false)
      throw new FlowConfigurationError('missing_raw_body', RAW_BODY_REQUIRED_MESSAGE);
    this.logger.warn(RAW_BODY_UNKNOWN_MESSAGE);
  }

  private listen(adapter: unknown): void {
    const registrar = adapter as ParserRegistrar | undefined;
    const register = registrar?.registerParserMiddleware;
    if (this.listening || !registrar || typeof register !== 'function') return;
    this.listening = true;
    // An own property on this adapter instance, shadowing its class's method.
    registrar.registerParserMiddleware = (prefix?: string, rawBody?: boolean) => {
      this.rawBody = rawBody === true;
      return register.call(registrar, prefix, rawBody);
    };
  }

  private hasWebhookRoute(): boolean {
    return this.discovery.getControllers().some(({ metatype }) => {
      if (typeof metatype !== 'function') return false;
      const prototype = metatype.prototype as Record<string, unknown>;
      const handlers = Object.getOwnPropertyNames(prototype)
        .map((name) => prototype[name])
        .filter((handler) => typeof handler === 'function');
      return [metatype, ...handlers].some((target) => usesWebhookGuard(target));
    });
  }
}

function usesWebhookGuard(target: object): boolean {
  const guards = Reflect.getMetadata(GUARDS_METADATA, target) as unknown[] | undefined;
  return (guards ?? []).some(
    (guard) =>
      guard === FlowWebhookGuard ||
      guard instanceof FlowWebhookGuard ||
      (typeof guard === 'function' && guard.prototype instanceof FlowWebhookGuard),
  );
}
