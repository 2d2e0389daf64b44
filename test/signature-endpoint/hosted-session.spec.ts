import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlowConfigurationError, type FlowModuleAsyncOptions } from '../../lib/index.js';
import { type FlowModuleValues } from '../../lib/config/flow-module-options.interface.js';
import {
  PLATFORMS,
  REGISTRATIONS,
  TEMPLATE_ID,
  bearerFor,
  startApp,
  useApps,
  type Registration,
} from './signature-test-app.js';
import { ROUTE, useHostedSessionApi } from './hosted-session-test-app.js';

const { api, flowModule: hostedModule } = useHostedSessionApi();

/** FlowModule registered the given way, with `extra` in its endpoint and `values` over the defaults. */
function flowModule(
  registration: Registration,
  extra: Partial<NonNullable<FlowModuleAsyncOptions['signatureEndpoint']>> = {},
  values: FlowModuleValues = {},
) {
  return hostedModule({ registration, endpoint: extra, values });
}

describe.each(PLATFORMS)('hosted-session route on %s', (_platform, adapter) => {
  describe.each(REGISTRATIONS)('with FlowModule.%s', (registration) => {
    const start = useApps(adapter);
    let logged: string[];

    beforeEach(() => {
      api().requests.length = 0;
      api().script.length = 0;
      logged = [];
      const keep = (message: unknown) => void logged.push(String(message));
      vi.spyOn(Logger.prototype, 'warn').mockImplementation(keep);
      vi.spyOn(Logger.prototype, 'error').mockImplementation(keep);
    });
    afterEach(() => vi.restoreAllMocks());

    it('is behind the host guard: no credentials, no call to Cognito', async () => {
      const url = await start([flowModule(registration)]);
      for (const authorization of [undefined, 'Bearer not-a-jwt']) {
        const req = request(url).post(ROUTE).send({});
        const res = await (authorization ? req.set('Authorization', authorization) : req);
        expect(res.status).toBe(401);
      }
      expect(api().requests).toHaveLength(0);
    });

    it("answers the user's shareable session, created once, then the same one, no-store", async () => {
      const url = await start([
        flowModule(registration, {
          customerReference: (req: { user: { id: string; email: string } }) => ({
            customerReference: req.user.id,
            email: req.user.email,
          }),
        }),
      ]);
      const user = `user-hs-${_platform}-${registration}`;
      const auth = bearerFor(user, 'ada@example.com');
      const first = await request(url).post(ROUTE).send({}).set('Authorization', auth);
      expect(first.status).toBe(200);
      expect(first.headers['cache-control']).toBe('no-store');
      expect(first.body).toStrictEqual({
        sessionId: expect.stringMatching(/^flwses_/) as unknown,
        shareableUrl: `https://flow.cognitohq.com/verify/${String((first.body as { sessionId: string }).sessionId)}`,
        created: true,
      });
      const second = await request(url).post(ROUTE).send({}).set('Authorization', auth);
      expect(second.body).toStrictEqual({ ...first.body, created: false });
      expect(api().requests).toHaveLength(2);
      for (const sent of api().requests) {
        expect(sent.ownVerifier && sent.referenceVerifier).toBe(true);
        expect(JSON.parse(sent.body)).toEqual({
          shareable: true,
          template_id: TEMPLATE_ID,
          user: { customer_reference: user, email: 'ada@example.com' },
        });
      }
      // The signature route still answers beside it.
      const signature = await request(url)
        .get('/users/current/flow_signature')
        .set('Authorization', auth);
      expect(signature.status).toBe(200);
    });

    it('no query, body or header can choose the reference', async () => {
      const url = await start([flowModule(registration)]);
      const auth = bearerFor('alice');
      await request(url)
        .post(`${ROUTE}?customerReference=mallory&user[id]=mallory`)
        .send({})
        .set('Authorization', auth);
      await request(url)
        .post(ROUTE)
        .set('Authorization', auth)
        .send({ customerReference: 'mallory', user: { id: 'mallory' }, email: 'm@evil.test' });
      await request(url)
        .post(ROUTE)
        .send({})
        .set('Authorization', auth)
        .set('X-Customer-Reference', 'mallory')
        .set('X-User-Id', 'mallory');
      expect(api().requests).toHaveLength(3);
      for (const sent of api().requests) {
        expect((JSON.parse(sent.body) as { user: unknown }).user).toEqual({
          customer_reference: 'alice',
        });
        expect(sent.body).not.toContain('mallory');
      }
    });

    it("answers a generic 502 for Cognito's 422, logged by code, never echoing Cognito's body", async () => {
      const url = await start([flowModule(registration)]);
      api().script.push({
        status: 422,
        body: { errors: [{ code: 'invalid_user', message: 'SECRET-DETAIL from Cognito' }] },
      });
      const res = await request(url).post(ROUTE).send({}).set('Authorization', bearerFor('u-422'));
      expect(res.status).toBe(502);
      expect((res.body as { message: string }).message).toBe(
        'Identity verification is unavailable right now.',
      );
      expect(res.text).not.toContain('SECRET-DETAIL');
      expect(res.text).not.toContain('invalid_user');
      const line = logged.find((message) => message.includes("Cognito's API call failed"));
      expect(line).toContain('code http, status 422');
      expect(logged.join('\n')).not.toContain('SECRET-DETAIL');
      expect(api().requests).toHaveLength(1);
    });

    it('answers 503 when the failure is transient, after the retries', async () => {
      const url = await start([flowModule(registration)]);
      api().script.push({ status: 503, retryAfter: '0' }, { status: 503, retryAfter: '0' });
      const res = await request(url).post(ROUTE).send({}).set('Authorization', bearerFor('u-503'));
      expect(res.status).toBe(503);
      expect((res.body as { message: string }).message).toBe(
        'Identity verification is unavailable right now.',
      );
      expect(api().requests).toHaveLength(2);
      expect(
        logged.some((message) => message.includes('code http, status 503, 2 attempt(s)')),
      ).toBe(true);
    });

    it('refuses a resolved reference the signer would refuse: 403, no call', async () => {
      const url = await start([flowModule(registration, { customerReference: () => 'a\nb' })]);
      const res = await request(url).post(ROUTE).send({}).set('Authorization', bearerFor('u'));
      expect(res.status).toBe(403);
      expect(api().requests).toHaveLength(0);
    });

    it('is under the global prefix like the signature route', async () => {
      const url = await start([flowModule(registration)], 'api');
      const res = await request(url)
        .post(`/api${ROUTE}`)
        .send({})
        .set('Authorization', bearerFor('p'));
      expect(res.status).toBe(200);
      expect(
        (await request(url).post(ROUTE).send({}).set('Authorization', bearerFor('p'))).status,
      ).toBe(404);
    });
  });

  it('without an API key, hostedSessionPath is a start-up error saying what to set', async () => {
    const attempt = startApp(adapter, [flowModule('forRoot', {}, { apiKey: undefined })]);
    await expect(attempt).rejects.toBeInstanceOf(FlowConfigurationError);
    await expect(
      startApp(adapter, [flowModule('forRoot', {}, { apiKey: undefined })]),
    ).rejects.toThrow(/hostedSessionPath.*set apiKey \(FLOW_API_KEY/);
  });
});
