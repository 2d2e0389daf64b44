import 'reflect-metadata';
import type { AddressInfo, Server } from 'node:net';
import { Injectable, Module, type CanActivate } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FlowModule } from '../../lib/index.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signFlowWebhook, signFlowWebhookFor } from '../../lib/testing/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { flowEvent, newEventId } from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';
import {
  HOST_PLATFORMS,
  HOST_RECEIVER,
  HOST_THROTTLE_LIMIT,
  startHostApp,
  withoutLength,
  type HostApp,
  type HostAppOptions,
} from '../host-app/host-app.js';
import { hostFilterBody } from '../host-app/host-exception-filter.js';

/** What Nest answers for passport's UnauthorizedException when no host filter reshapes it. */
const NEST_401 = { message: 'Unauthorized', statusCode: 401 };
const OTHER_GUARD = 'was refused by another guard (401) before its signature was checked';

describe.each(HOST_PLATFORMS)('a delivery refused by another guard (%s)', (platform) => {
  let host: HostApp | undefined;
  let logger: CaptureLogger;
  afterEach(async () => {
    vi.useRealTimers();
    await host?.app.close();
    host = undefined;
  });

  async function start(options: Omit<HostAppOptions, 'platform' | 'logger'>): Promise<HostApp> {
    logger = new CaptureLogger();
    host = await startHostApp({ platform, logger, ...options });
    return host;
  }

  /** Posts a delivery signed with `secret` (default: the app's own settings). */
  async function deliver(app: HostApp, secret?: string) {
    const body = JSON.stringify(flowEvent(newEventId()));
    const headers =
      secret === undefined
        ? signFlowWebhookFor(app.app, body)
        : signFlowWebhook({ secret, path: HOST_RECEIVER, body });
    const response = await fetch(`${app.baseUrl}${HOST_RECEIVER}`, {
      method: 'POST',
      headers: withoutLength(headers),
      body,
    });
    return {
      status: response.status,
      body: await response.json(),
      hostFilter: response.headers.get('x-host-filter'),
    };
  }

  const refusalLines = () => logger.find('warn', 'refused by another guard');
  const startupWarnings = () => logger.find('warn', 'webhook.decorators is not set');
  /** Lets the server's 'finish' handlers of answers already received run. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

  it('without webhook.decorators: a start-up warning names webhook.decorators and the fix', async () => {
    await start({ webhookDecorators: 'none' });
    const [warning, ...more] = startupWarnings();
    expect(more).toEqual([]);
    expect(warning.context).toBe('FlowWebhook');
    expect(warning.message).toContain('APP_GUARD: ThrottlerGuard, HostJwtAuthGuard');
    expect(warning.message).toContain('the built-in receiver (webhook_receivers/flow)');
    expect(warning.message).toContain('webhook: { decorators: [Public()] }');
    expect(warning.message).toContain('webhook: { decorators: [] }');
    expect(warning.message).not.toMatch(/guard the app globally|\ba emulator/);
  });

  it("the host's 401 unchanged, one line as another guard's refusal, the next within the minute left out", async () => {
    const app = await start({ webhookDecorators: 'none' });
    expect(await deliver(app)).toEqual({ status: 401, body: NEST_401, hostFilter: null });
    await vi.waitFor(() => expect(refusalLines()).toHaveLength(1));
    const [line] = refusalLines();
    expect(line.context).toBe('FlowWebhook');
    // Fastify's request id follows the path when the platform has one.
    expect(line.message).toMatch(
      /^A Flow webhook delivery to POST \/api\/webhook_receivers\/flow( \(request [^)]+\))? was refused by another guard \(401\) before its signature was checked\./,
    );
    expect(line.message).toContain('webhook: { decorators: [Public()] }');
    // Route and status only: nothing of the delivery's signature.
    expect(line.message).not.toMatch(/keyId|signature=|hmac-sha256|SHA-256=/i);
    // Not reported as a signature failure: FlowWebhookGuard never saw the delivery.
    expect(logger.find('warn', 'Refused Flow webhook')).toEqual([]);

    expect((await deliver(app)).status).toBe(401);
    await settle();
    expect(refusalLines()).toHaveLength(1);

    // A minute later on a controlled clock: the next line counts the one left out.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    expect((await deliver(app)).status).toBe(401);
    await vi.waitFor(() => expect(refusalLines()).toHaveLength(2));
    expect(refusalLines()[1].message).toContain(
      '(1 more refused for other_guard_401 since the last line, not logged)',
    );
  });

  it("with the host's global exception filter: its status, body and header, and the line", async () => {
    const app = await start({ webhookDecorators: 'none', globalFilter: true });
    expect(await deliver(app)).toEqual({
      status: 401,
      body: hostFilterBody(401),
      hostFilter: 'yes',
    });
    await vi.waitFor(() => expect(refusalLines()).toHaveLength(1));
    expect(refusalLines()[0].message).toContain(OTHER_GUARD);
  });

  it('with webhook.decorators: 2xx, no warning, no refusal line', async () => {
    const app = await start({ webhookDecorators: 'public' });
    expect((await deliver(app)).status).toBe(200);
    await settle();
    expect(startupWarnings()).toEqual([]);
    expect(refusalLines()).toEqual([]);
  });

  it("a refusal by FlowWebhookGuard itself is logged as the signature's, not another guard's", async () => {
    const app = await start({ webhookDecorators: 'public' });
    expect((await deliver(app, generateSecret())).status).toBe(401);
    await settle();
    expect(logger.find('warn', 'Refused Flow webhook')).toHaveLength(1);
    expect(refusalLines()).toEqual([]);
  });

  it("the host's throttler (429) gets a line of its own, naming SkipThrottle()", async () => {
    const app = await start({ webhookDecorators: 'none' });
    const statuses = [];
    for (let i = 0; i <= HOST_THROTTLE_LIMIT; i++) statuses.push((await deliver(app)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    await vi.waitFor(() => expect(refusalLines()).toHaveLength(2));
    expect(refusalLines()[1].message).toContain('refused by another guard (429)');
    expect(refusalLines()[1].message).toContain('webhook: { decorators: [SkipThrottle()] }');
  });

  it('webhook.decorators: [] says the guards let deliveries through: no warning, refusals still logged', async () => {
    const app = await start({ webhookDecorators: 'empty' });
    expect(startupWarnings()).toEqual([]);
    expect((await deliver(app)).status).toBe(401);
    await vi.waitFor(() => expect(refusalLines()).toHaveLength(1));
  });
});

/** A global guard that returns false: Nest answers 403 for it. */
@Injectable()
class ClosedGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

describe.each(HOST_PLATFORMS)('a global guard that returns false (%s)', (_platform, adapter) => {
  it("its 403 is left as Nest gives it, and logged as another guard's refusal", async () => {
    @Module({
      imports: [
        FlowModule.forRoot({
          apiSecret: generateSecret(),
          envFallback: false,
          webhook: { path: 'webhook_receivers/flow' },
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: ClosedGuard }],
    })
    class AppModule {}
    const logger = new CaptureLogger();
    const app = await NestFactory.create(AppModule, adapter(), { rawBody: true, logger });
    try {
      await app.listen(0, '127.0.0.1');
      const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
      const body = JSON.stringify(flowEvent(newEventId()));
      const response = await fetch(`http://127.0.0.1:${port}/webhook_receivers/flow`, {
        method: 'POST',
        headers: withoutLength(signFlowWebhookFor(app, body)),
        body,
      });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        message: 'Forbidden resource',
        error: 'Forbidden',
        statusCode: 403,
      });
      await vi.waitFor(() =>
        expect(logger.find('warn', 'refused by another guard (403)')).toHaveLength(1),
      );
    } finally {
      await app.close();
    }
  });
});
