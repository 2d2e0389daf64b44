import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signFlowWebhook, signFlowWebhookFor } from '../../lib/testing/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { flowEvent } from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';
import {
  HOST_PLATFORMS,
  HOST_RECEIVER,
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
    const body = JSON.stringify(flowEvent(`whkevt_${randomUUID()}`));
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
      '(1 more refused for other_guard since the last line, not logged)',
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

  it('webhook.decorators: [] says the guards let deliveries through: no warning, refusals still logged', async () => {
    const app = await start({ webhookDecorators: 'empty' });
    expect(startupWarnings()).toEqual([]);
    expect((await deliver(app)).status).toBe(401);
    await vi.waitFor(() => expect(refusalLines()).toHaveLength(1));
  });
});
