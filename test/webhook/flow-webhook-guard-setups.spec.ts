import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  SingleWebhookController,
  WEBHOOK_PLATFORMS,
  received,
  startWebhookApp,
  type WebhookApp,
} from '../support/flow-webhook-app.js';
import { flowEventBody, testHeaders } from '../support/flow-webhook-signing.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();
const unlistedSecret = generateSecret();
const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';
const PATH = '/webhook_receivers/flow';

describe.each(WEBHOOK_PLATFORMS.map(([name]) => name))(
  'an app with a Flow webhook route on %s',
  (platform) => {
    it('without rawBody: true, answers 500 to deliveries, processes none and logs the fix once', async () => {
      const host = await startWebhookApp(
        platform,
        { apiSecret: secret, apiKey },
        { rawBody: false },
      );
      try {
        received.length = 0;
        for (const id of ['whkevt_no_raw_1', 'whkevt_no_raw_2']) {
          const body = flowEventBody({ id });
          const { 'content-length': _length, ...headers } = testHeaders({
            secret,
            body,
            url: PATH,
          });
          const response = await fetch(`${host.baseUrl}${PATH}`, { method: 'POST', headers, body });
          expect(response.status).toBe(500);
          expect(await response.text()).not.toContain(secret);
        }
        expect(received).toEqual([]);
        const errors = host.logger.lines.filter((line) => line.level === 'error');
        expect(errors).toHaveLength(1);
        expect(errors[0].text).toContain('NestFactory.create(AppModule, { rawBody: true })');
        expect(errors[0].text).not.toContain(secret);
      } finally {
        await host.app.close();
      }
    });

    it('starts with rawBody: true', async () => {
      const host = await startWebhookApp(platform, { apiSecret: secret, apiKey });
      await host.app.close();
      expect(host.logger.lines.filter((line) => line.level === 'error')).toEqual([]);
    });

    it('with bodyParser: false and no parser keeping raw bytes, refuses deliveries with the fix logged', async () => {
      const host = await startWebhookApp(
        platform,
        { apiSecret: secret, apiKey },
        { bodyParser: false },
      );
      try {
        received.length = 0;
        const body = flowEventBody({ id: 'whkevt_no_parser' });
        const { 'content-length': _length, ...headers } = testHeaders({ secret, body, url: PATH });
        const response = await fetch(`${host.baseUrl}${PATH}`, { method: 'POST', headers, body });
        expect(response.status).toBe(500);
        expect(received).toEqual([]);
      } finally {
        await host.app.close();
      }
    });
  },
);

describe.each(WEBHOOK_PLATFORMS.map(([name]) => name))(
  'FlowWebhookGuard on %s behind a path-rewriting proxy',
  (platform) => {
    let host: WebhookApp;
    beforeAll(async () => {
      host = await startWebhookApp(
        platform,
        { apiSecret: secret, webhook: { publicPath: '/hooks/flow' } },
        { controllers: [SingleWebhookController] },
      );
    });
    afterAll(async () => {
      await host.app.close();
    });

    it('verifies against webhook.publicPath, keeping the received query', async () => {
      const body = flowEventBody({ id: 'whkevt_proxied' });
      const signedForPublic = testHeaders({
        secret,
        body,
        url: `${PATH}?v=1`,
        signedTarget: '/hooks/flow?v=1',
      });
      expect(
        (
          await fetch(`${host.baseUrl}${PATH}?v=1`, {
            method: 'POST',
            headers: signedForPublic,
            body,
          })
        ).status,
      ).toBe(200);
      const signedForReceived = testHeaders({ secret, body, url: PATH });
      expect(
        (
          await fetch(`${host.baseUrl}${PATH}`, {
            method: 'POST',
            headers: signedForReceived,
            body,
          })
        ).status,
      ).toBe(401);
    });
  },
);

describe.each(WEBHOOK_PLATFORMS.map(([name]) => name))(
  'FlowWebhookRoute on %s under a global host auth guard',
  (platform) => {
    let host: WebhookApp;
    beforeAll(async () => {
      host = await startWebhookApp(
        platform,
        { apiSecret: secret, apiKey },
        { hostAuthGuard: true },
      );
    });
    afterAll(async () => {
      await host.app.close();
    });
    beforeEach(() => {
      received.length = 0;
    });
    const post = async (body: string, headers: Record<string, string>, path: string) => ({
      status: (await fetch(`${host.baseUrl}${path}`, { method: 'POST', headers, body })).status,
    });

    it('@FlowWebhookRoute() exempts the route from the host auth guard and still verifies it', async () => {
      const body = flowEventBody({ id: 'whkevt_exempt' });
      const url = '/exempt/flow';
      expect(
        (await post(body, testHeaders({ secret, keyId: apiKey, body, url }), url)).status,
      ).toBe(200);
      expect(
        (await post(body, testHeaders({ secret: unlistedSecret, keyId: apiKey, body, url }), url))
          .status,
      ).toBe(401);
      expect(
        (await post('{}', { 'content-type': 'application/json' }, '/members/only')).status,
      ).toBe(403);
      expect(received.map((r) => r.event.id)).toEqual(['whkevt_exempt']);
    });
  },
);

describe.each(WEBHOOK_PLATFORMS.map(([name]) => name))(
  'FlowWebhookGuard on %s with raised body limits',
  (platform) => {
    let host: WebhookApp;
    beforeAll(async () => {
      host = await startWebhookApp(
        platform,
        { apiSecret: secret, webhook: { maxBodyBytes: 3 * 1024 * 1024 } },
        { bodyLimitBytes: 2 * 1024 * 1024 },
      );
    });
    afterAll(async () => {
      await host.app.close();
    });

    it('a body over the default platform limit verifies, and the raw bytes are still kept', async () => {
      const body = flowEventBody({ id: 'whkevt_large', padding: 'x'.repeat(1500 * 1024) });
      const headers: Record<string, string> = testHeaders({ secret, body });
      delete headers['content-length'];
      expect(
        (await fetch(`${host.baseUrl}${PATH}`, { method: 'POST', headers, body })).status,
      ).toBe(200);
      const huge = flowEventBody({ padding: 'x'.repeat(2100 * 1024) });
      const hugeHeaders: Record<string, string> = testHeaders({ secret, body: huge });
      delete hugeHeaders['content-length'];
      expect(
        (
          await fetch(`${host.baseUrl}${PATH}`, {
            method: 'POST',
            headers: hugeHeaders,
            body: huge,
          })
        ).status,
      ).toBe(413);
    });
  },
);
