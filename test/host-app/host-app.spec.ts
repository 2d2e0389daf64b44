import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signFlowWebhook, signFlowWebhookFor } from '../../lib/testing/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { flowEvent, newEventId } from '../support/flow-events-app.js';
import {
  HOST_PLATFORMS,
  HOST_RECEIVER,
  HOST_SIGNATURE,
  HOST_THROTTLE_LIMIT,
  startHostApp,
  type HostApp,
  withoutLength,
} from './host-app.js';

/** Posts a delivery of `event` signed with the running app's own settings. */
async function deliver(host: HostApp, event: object, path = HOST_RECEIVER) {
  const body = JSON.stringify(event);
  const headers = withoutLength(signFlowWebhookFor(host.app, body, { path }));
  const response = await fetch(`${host.baseUrl}${path}`, { method: 'POST', headers, body });
  return { status: response.status, body: await response.text() };
}

async function get(host: HostApp, path: string, authorization?: string) {
  const response = await fetch(`${host.baseUrl}${path}`, {
    headers: authorization === undefined ? {} : { authorization },
  });
  return { status: response.status, body: await response.text() };
}

describe.each(HOST_PLATFORMS)('a production-shaped host app (%s)', (platform) => {
  let host: HostApp;
  beforeAll(async () => {
    host = await startHostApp({ platform });
  });
  afterAll(() => host.app.close());

  describe('versioning: the module routes stay where Cognito and the browser call them', () => {
    it('serves the receiver and the signature route without a version segment', async () => {
      expect((await deliver(host, flowEvent(newEventId()))).status).toBe(200);
      const answer = await get(host, HOST_SIGNATURE, host.bearer('user-42'));
      expect(answer.status).toBe(200);
      const expected = createHmac('sha256', host.secret).update('user-42').digest('base64');
      expect((JSON.parse(answer.body) as { user: unknown }).user).toEqual({
        customerReference: 'user-42',
        signature: expected,
      });
    });

    it('negative control: the host routes are versioned (/api/v1/…) and /v1 has no module route', async () => {
      expect((await get(host, '/api/v1/profile')).status).toBe(200);
      expect((await get(host, '/api/profile')).status).toBe(404);
      expect(
        (await deliver(host, flowEvent(newEventId()), '/api/v1/webhook_receivers/flow')).status,
      ).toBe(404);
    });
  });

  describe('route decorators: @Public() and @SkipThrottle() on the generated controllers', () => {
    it('lets Cognito retry past the global throttler and the global JWT guard', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < HOST_THROTTLE_LIMIT * 2; i += 1) {
        statuses.push((await deliver(host, flowEvent(newEventId()))).status);
      }
      expect(statuses).toEqual(new Array(HOST_THROTTLE_LIMIT * 2).fill(200));
    });

    it('negative control: the throttler and the JWT guard are active on the host routes', async () => {
      const statuses: number[] = [];
      for (let i = 0; i <= HOST_THROTTLE_LIMIT; i += 1) {
        statuses.push((await get(host, '/api/v1/profile')).status);
      }
      expect(statuses).toContain(429);
      expect((await get(host, '/api/v1/profile/me')).status).toBe(401);
    });

    it('negative control: @Public() does not open the receiver, signatures are still checked', async () => {
      const body = JSON.stringify(flowEvent(newEventId()));
      const forged = signFlowWebhook({
        secret: `sandbox_secret_${'f'.repeat(64)}`,
        path: HOST_RECEIVER,
        body,
      });
      const headers = withoutLength(forged);
      const response = await fetch(`${host.baseUrl}${HOST_RECEIVER}`, {
        method: 'POST',
        headers,
        body,
      });
      expect(response.status).toBe(401);
    });
  });

  describe("signatureEndpoint.guards: 'global' behind the global JWT guard", () => {
    it('authenticates once per request (one passport validate())', async () => {
      const before = host.recorder.validations;
      const answer = await get(host, HOST_SIGNATURE, host.bearer('user-7'));
      expect(answer.status).toBe(200);
      expect(
        (JSON.parse(answer.body) as { user: { customerReference: string } }).user.customerReference,
      ).toBe('user-7');
      expect(host.recorder.validations - before).toBe(1);
    });

    it('negative control: without a token, or with a forged one, the request is refused', async () => {
      const before = host.recorder.validations;
      expect((await get(host, HOST_SIGNATURE)).status).toBe(401);
      expect((await get(host, HOST_SIGNATURE, 'Bearer not.a.jwt')).status).toBe(401);
      expect(host.recorder.validations - before).toBe(0);
    });

    it('negative control: a pass on one request never carries over to the next', async () => {
      expect((await get(host, HOST_SIGNATURE, host.bearer('user-8'))).status).toBe(200);
      expect((await get(host, HOST_SIGNATURE)).status).toBe(401);
    });
  });

  describe('request-scoped handlers', () => {
    it('runs the only (request-scoped) handler of an event once, with the delivery as REQUEST', async () => {
      const id = newEventId();
      const answer = await deliver(host, flowEvent(id, 'flow_session.retried'));
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ outcome: 'processed' });
      const calls = host.recorder.auditCalls.filter((call) => call.eventId === id);
      expect(calls).toHaveLength(1);
      expect(calls[0].sawRequest).toBe('2020-08-14');
    });

    it('resolves a fresh instance per delivery and never reruns a processed id', async () => {
      const first = newEventId();
      const second = newEventId();
      await deliver(host, flowEvent(first, 'flow_session.retried'));
      await deliver(host, flowEvent(second, 'flow_session.retried'));
      const duplicate = await deliver(host, flowEvent(first, 'flow_session.retried'));
      expect(JSON.parse(duplicate.body)).toEqual({ outcome: 'duplicate' });
      const calls = host.recorder.auditCalls.filter(
        (call) => call.eventId === first || call.eventId === second,
      );
      expect(calls).toHaveLength(2);
      expect(calls[0].instance).not.toBe(calls[1].instance);
    });

    it('answers 500 when the handler cannot be resolved, and runs it on the retry', async () => {
      const id = newEventId();
      host.recorder.failNextResolution = true;
      const failed = await deliver(host, flowEvent(id, 'flow_session.retried'));
      expect(failed.status).toBe(500);
      expect(JSON.parse(failed.body)).toMatchObject({ outcome: 'failed' });
      expect(host.recorder.auditCalls.filter((call) => call.eventId === id)).toHaveLength(0);
      const retried = await deliver(host, flowEvent(id, 'flow_session.retried'));
      expect(JSON.parse(retried.body)).toEqual({ outcome: 'processed' });
      expect(host.recorder.auditCalls.filter((call) => call.eventId === id)).toHaveLength(1);
    });

    it('runs durable providers once per delivery, each in its own context', async () => {
      const first = newEventId();
      const second = newEventId();
      expect(
        JSON.parse((await deliver(host, flowEvent(first, 'flow_session.step.updated'))).body),
      ).toEqual({ outcome: 'processed' });
      await deliver(host, flowEvent(second, 'flow_session.step.updated'));
      const calls = host.recorder.durableCalls.filter(
        (call) => call.eventId === first || call.eventId === second,
      );
      expect(calls.map((call) => call.eventId)).toEqual([first, second]);
      expect(calls[0].instance).not.toBe(calls[1].instance);
    });

    it('negative control: an event nobody handles is the only no_handler', async () => {
      const answer = await deliver(host, flowEvent(newEventId(), 'flow_session.archived'));
      expect(JSON.parse(answer.body)).toEqual({ outcome: 'no_handler' });
    });
  });
});

describe.each(HOST_PLATFORMS)('the signature route and the global JWT guard (%s)', (platform) => {
  it("listed on the route as well: Nest runs it twice, and start-up warns naming guards: 'global'", async () => {
    const logger = new CaptureLogger();
    const host = await startHostApp({ platform, signatureGuards: 'listed', logger });
    try {
      const before = host.recorder.validations;
      expect((await get(host, HOST_SIGNATURE, host.bearer('user-9'))).status).toBe(200);
      expect(host.recorder.validations - before).toBe(2);
      expect((await get(host, HOST_SIGNATURE)).status).toBe(401);
      const warnings = logger.find('warn', "signatureEndpoint: { guards: 'global' }");
      expect(warnings.map((line) => line.message)).toEqual([
        expect.stringContaining('HostJwtAuthGuard') as unknown,
      ]);
    } finally {
      await host.app.close();
    }
  });

  it("guards: 'global' answers 401 when the global guard lets the route through without a principal", async () => {
    const host = await startHostApp({ platform, publicSignatureRoute: true });
    try {
      expect((await get(host, HOST_SIGNATURE)).status).toBe(401);
      expect((await get(host, HOST_SIGNATURE, 'Bearer not.a.jwt')).status).toBe(401);
    } finally {
      await host.app.close();
    }
  });

  it("guards: 'global' with the JWT guard in app.useGlobalGuards(): the APP_GUARD throttler satisfies start-up, the JWT guard authenticates once", async () => {
    const host = await startHostApp({
      platform,
      globalAuth: 'use_global_guards',
      signatureGuards: 'global',
    });
    try {
      const before = host.recorder.validations;
      expect((await get(host, HOST_SIGNATURE, host.bearer('user-11'))).status).toBe(200);
      expect(host.recorder.validations - before).toBe(1);
      expect((await get(host, HOST_SIGNATURE)).status).toBe(401);
    } finally {
      await host.app.close();
    }
  });

  it('a guard given to app.useGlobalGuards() and listed on the route runs on both', async () => {
    const host = await startHostApp({ platform, globalAuth: 'use_global_guards' });
    try {
      const before = host.recorder.validations;
      expect((await get(host, HOST_SIGNATURE, host.bearer('user-9'))).status).toBe(200);
      expect(host.recorder.validations - before).toBe(2);
      expect((await get(host, HOST_SIGNATURE)).status).toBe(401);
    } finally {
      await host.app.close();
    }
  });

  it('negative control: a guard made global after init never runs on the route; the listed one does', async () => {
    // This resolver would sign for anyone who got past the guards: only the guard stands between.
    const host = await startHostApp({
      platform,
      globalAuth: 'after_init',
      customerReference: (request: { user?: { id: string } }) => request.user?.id ?? 'nobody',
    });
    try {
      expect((await get(host, HOST_SIGNATURE)).status).toBe(401);
      const before = host.recorder.validations;
      const answer = await get(host, HOST_SIGNATURE, host.bearer('user-10'));
      expect(
        (JSON.parse(answer.body) as { user: { customerReference: string } }).user.customerReference,
      ).toBe('user-10');
      expect(host.recorder.validations - before).toBe(1);
    } finally {
      await host.app.close();
    }
  });
});
