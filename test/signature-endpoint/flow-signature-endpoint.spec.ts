import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { FlowSigner, type FlowCustomerReferenceResolver } from '../../lib/index.js';
import { EXAMPLE_CUSTOMER_REFERENCE, EXAMPLE_SECRET, EXAMPLE_SIGNATURE, EXAMPLE_WEBHOOK } from '../fixtures/flow-protocol.js';
import {
  PLATFORMS,
  PUBLISHABLE_KEY,
  REGISTRATIONS,
  TEMPLATE_ID,
  bearerFor,
  flowModule,
  hmac,
  jwtEndpoint,
  startApp,
  type RunningApp,
} from './signature-test-app.js';

const ROUTE = '/users/current/flow_signature';

describe.each(PLATFORMS)('signature endpoint on %s', (_platform, adapter) => {
  describe.each(REGISTRATIONS)('with FlowModule.%s', (registration) => {
    let running: RunningApp[] = [];
    let sign: MockInstance<FlowSigner['sign']>;
    let warn: MockInstance<Logger['warn']>;

    beforeEach(() => {
      sign = vi.spyOn(FlowSigner.prototype, 'sign');
      warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    });
    afterEach(async () => {
      await Promise.all(running.map(({ app }) => app.close()));
      running = [];
      vi.restoreAllMocks();
    });

    async function start(endpoint = jwtEndpoint(), globalPrefix?: string): Promise<string> {
      const started = await startApp(adapter, [flowModule(registration, endpoint)], globalPrefix);
      running.push(started);
      return started.url;
    }

    /** Warnings logged by the endpoint (start-up warnings of other parts are ignored). */
    function endpointWarnings(): string[] {
      return warn.mock.calls.map(([message]) => String(message)).filter((m) => m.includes(`GET ${ROUTE.slice(1)}`));
    }

    it('answers the host guard status without credentials and never runs the handler', async () => {
      const resolver = vi.fn<FlowCustomerReferenceResolver>((req) => req.user.id);
      const url = await start(jwtEndpoint({ customerReference: resolver }));
      for (const authorization of [undefined, 'Bearer not-a-jwt', 'Basic dXNlcjpwYXNz']) {
        const req = request(url).get(ROUTE);
        const res = await (authorization ? req.set('Authorization', authorization) : req);
        expect(res.status).toBe(401);
        expect(res.text).not.toContain('signature"');
      }
      expect(resolver).not.toHaveBeenCalled();
      expect(sign).not.toHaveBeenCalled();
    });

    it('answers a valid user with exactly the Flow configuration, signed, and no-store', async () => {
      const url = await start();
      const res = await request(url).get(ROUTE).set('Authorization', bearerFor(EXAMPLE_CUSTOMER_REFERENCE));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toStrictEqual({
        publishableKey: PUBLISHABLE_KEY,
        templateId: TEMPLATE_ID,
        user: { customerReference: EXAMPLE_CUSTOMER_REFERENCE, signature: EXAMPLE_SIGNATURE },
      });
      const wire = JSON.stringify(res.headers) + res.text;
      expect(wire).not.toContain(EXAMPLE_SECRET);
      expect(wire).not.toContain(EXAMPLE_SECRET.slice('live_secret_'.length, 30));
    });

    it('adds the e-mail a resolver supplies, and nothing else it returns', async () => {
      const url = await start(
        jwtEndpoint({
          customerReference: (req) => ({ customerReference: req.user.id, email: 'ada@example.com', role: 'admin' }) as never,
        }),
      );
      const res = await request(url).get(ROUTE).set('Authorization', bearerFor('user-7'));
      expect(res.status).toBe(200);
      expect(res.body.user).toStrictEqual({ customerReference: 'user-7', signature: hmac('user-7'), email: 'ada@example.com' });
    });

    it('signs a numeric principal id in its decimal form with the default resolver', async () => {
      const url = await start({
        guards: [{ canActivate: (ctx) => ((ctx.switchToHttp().getRequest().user = { id: 42 }), true) }],
      });
      const res = await request(url).get(ROUTE);
      expect(res.status).toBe(200);
      expect(res.body.user).toStrictEqual({ customerReference: '42', signature: hmac('42') });
    });

    it.each([
      ['a newline', 'user\nid'],
      ['a carriage return', 'user\rid'],
      ['a tab', '\tuser'],
      ['NUL', 'user\u0000'],
      ['U+001F', 'us\u001fer'],
      ['DEL', 'user\u007f'],
      ['a webhook signing string', EXAMPLE_WEBHOOK.signingString],
    ])('refuses a resolved reference containing %s with 403 and no signature', async (_label, reference) => {
      const url = await start(jwtEndpoint({ customerReference: () => reference }));
      const res = await request(url).get(ROUTE).set('Authorization', bearerFor('user-1'));
      expect(res.status).toBe(403);
      expect(res.body).toStrictEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: 'No Flow signature can be issued for this user.',
      });
      expect(res.text).not.toContain(hmac(reference));
      expect(res.text).not.toContain('signature"');
      const warnings = endpointWarnings();
      expect(warnings.some((w) => w.includes('(reason: control_character)'))).toBe(true);
      expect(warnings.join('\n')).not.toContain(reference.includes('request-target') ? 'request-target' : reference);
    });

    it('signs only the principal: query, body and headers naming another id change nothing', async () => {
      const url = await start();
      const auth = bearerFor('alice');
      const expected = { customerReference: 'alice', signature: hmac('alice') };
      const attempts = [
        request(url).get(`${ROUTE}?customerReference=mallory&user[id]=mallory&id=mallory`).set('Authorization', auth),
        request(url).get(ROUTE).set('Authorization', auth).send({ customerReference: 'mallory', user: { id: 'mallory' } }),
        request(url)
          .get(ROUTE)
          .set('Authorization', auth)
          .set('X-User-Id', 'mallory')
          .set('Customer-Reference', 'mallory')
          .set('X-Customer-Reference', 'mallory'),
      ];
      for (const attempt of attempts) {
        const res = await attempt;
        expect(res.status).toBe(200);
        expect(res.body.user).toStrictEqual(expected);
        expect(res.text).not.toContain('mallory');
      }
      expect(sign.mock.calls.map(([reference]) => reference)).toEqual(['alice', 'alice', 'alice']);
      // Fastify does not parse GET bodies at all; a body on another method finds no route either.
      const posted = await request(url).post(ROUTE).set('Authorization', auth).send({ customerReference: 'mallory' });
      expect(posted.status).toBe(404);
      // The route takes no parameters: a path naming another id is not this route.
      expect((await request(url).get(`${ROUTE}/mallory`).set('Authorization', auth)).status).toBe(404);
    });

    it('uses a synchronous custom resolver on a custom path under a global prefix', async () => {
      const url = await start(
        jwtEndpoint({ path: 'kyc/flow-config', customerReference: (req) => `acct-${req.user.id}` }),
        'api',
      );
      const res = await request(url).get('/api/kyc/flow-config').set('Authorization', bearerFor('9'));
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body.user).toStrictEqual({ customerReference: 'acct-9', signature: hmac('acct-9') });
      expect((await request(url).get('/kyc/flow-config').set('Authorization', bearerFor('9'))).status).toBe(404);
      expect((await request(url).get(`/api${ROUTE}`).set('Authorization', bearerFor('9'))).status).toBe(404);
    });

    it('awaits an asynchronous resolver, and serves the default path under the global prefix', async () => {
      const url = await start(
        jwtEndpoint({
          customerReference: async (req) => {
            await new Promise((resolve) => setImmediate(resolve));
            return { customerReference: `db-${req.user.id}` };
          },
        }),
        'api',
      );
      const res = await request(url).get(`/api${ROUTE}`).set('Authorization', bearerFor('5'));
      expect(res.status).toBe(200);
      expect(res.body.user).toStrictEqual({ customerReference: 'db-5', signature: hmac('db-5') });
    });

    type Admit = (req: { user?: unknown }) => boolean;
    const admitAs =
      (user: unknown): Admit =>
      (req) => {
        if (user !== undefined) req.user = user;
        return true;
      };
    it.each<[string, Admit, FlowCustomerReferenceResolver | undefined]>([
      ['no request.user', admitAs(undefined), undefined],
      ['a principal without an id', admitAs({ name: 'Ada' }), undefined],
      ['a resolver returning an object without a reference', admitAs({ id: 'u' }), () => ({ email: 'a@b.c' }) as never],
      ['a resolver returning an empty string', admitAs({ id: 'u' }), () => ''],
    ])('answers 401 and warns when the guard passed with %s', async (_label, admit, resolver) => {
      const url = await start({
        guards: [{ canActivate: (ctx) => admit(ctx.switchToHttp().getRequest()) }],
        customerReference: resolver,
      });
      const res = await request(url).get(ROUTE).query({ customerReference: 'mallory' });
      expect(res.status).toBe(401);
      expect(res.text).not.toContain('signature"');
      expect(sign).not.toHaveBeenCalled();
      const warning = endpointWarnings().find((w) => w.includes('no customer reference was resolved'));
      expect(warning).toContain(`GET ${ROUTE.slice(1)}`);
      expect(warning).toContain('signatureEndpoint.customerReference');
      expect(warning).not.toContain('mallory');
    });
  });
});
