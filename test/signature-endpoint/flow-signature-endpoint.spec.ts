import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { FlowSigner } from '../../lib/index.js';
import type { FlowCustomerReferenceResolver } from '../../lib/signature-endpoint/signature-endpoint-options.js';
import { type FlowSignatureResponse } from '../../lib/signature-endpoint/flow-signature-response.js';
import {
  EXAMPLE_CUSTOMER_REFERENCE,
  EXAMPLE_SECRET,
  EXAMPLE_SIGNATURE,
  EXAMPLE_WEBHOOK,
} from '../fixtures/flow-protocol.js';
import {
  PLATFORMS,
  PUBLISHABLE_KEY,
  REGISTRATIONS,
  TEMPLATE_ID,
  bearerFor,
  flowModule,
  hmac,
  jwtEndpoint,
  useApps,
  type SignedInRequest,
} from './signature-test-app.js';

const ROUTE = '/users/current/flow_signature';

describe.each(PLATFORMS)('signature endpoint on %s', (_platform, adapter) => {
  describe.each(REGISTRATIONS)('with FlowModule.%s', (registration) => {
    const startApp = useApps(adapter);
    let sign: MockInstance<FlowSigner['sign']>;
    let warn: MockInstance<Logger['warn']>;

    beforeEach(() => {
      sign = vi.spyOn(FlowSigner.prototype, 'sign');
      warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    });
    afterEach(() => {
      vi.restoreAllMocks();
    });

    function start(endpoint = jwtEndpoint(), globalPrefix?: string): Promise<string> {
      return startApp([flowModule(registration, endpoint)], globalPrefix);
    }

    /** Warnings the endpoint logged about its route (start-up warnings of other parts are ignored). */
    function endpointWarnings(): string[] {
      return warn.mock.calls
        .map(([message]) => String(message))
        .filter((m) => m.includes(`GET ${ROUTE.slice(1)}`));
    }

    it('answers the host guard status without credentials and never runs the handler', async () => {
      const resolver = vi.fn<FlowCustomerReferenceResolver>((req: SignedInRequest) => req.user.id);
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
      const res = await request(url)
        .get(ROUTE)
        .set('Authorization', bearerFor(EXAMPLE_CUSTOMER_REFERENCE));
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

    it.each([
      ['a newline', 'user\nid', 'control_character'],
      ['a carriage return', 'user\rid', 'control_character'],
      ['a tab', '\tuser', 'control_character'],
      ['NUL', 'user\u0000', 'control_character'],
      ['U+001F', 'us\u001fer', 'control_character'],
      ['DEL', 'user\u007f', 'control_character'],
      ['a whole webhook signing string', EXAMPLE_WEBHOOK.signingString, 'control_character'],
      ['over 1024 UTF-8 bytes', 'é'.repeat(513), 'too_long'],
      ['a lone surrogate', 'user\ud800', 'lone_surrogate'],
    ])(
      'refuses a resolved reference with %s: 403, no signature, reason logged',
      async (_label, reference, reason) => {
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
        expect(JSON.stringify(res.headers) + res.text).not.toContain(EXAMPLE_SECRET);
        const warnings = endpointWarnings();
        expect(warnings.some((w) => w.includes(`(reason: ${reason})`))).toBe(true);
        // Never the value: not the reference, not a recognisable piece of it.
        expect(warnings.join('\n')).not.toMatch(/request-target|user.id|us.er|éé/);
      },
    );

    it('signs only the principal: query, body and headers naming another id change nothing', async () => {
      const url = await start();
      const auth = bearerFor('alice');
      const expected = { customerReference: 'alice', signature: hmac('alice') };
      const attempts = [
        request(url)
          .get(`${ROUTE}?customerReference=mallory&user[id]=mallory&id=mallory`)
          .set('Authorization', auth),
        request(url)
          .get(ROUTE)
          .set('Authorization', auth)
          .send({ customerReference: 'mallory', user: { id: 'mallory' } }),
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
        expect((res.body as FlowSignatureResponse).user).toStrictEqual(expected);
        expect(res.text).not.toContain('mallory');
      }
      expect(sign.mock.calls.map(([reference]) => reference)).toEqual(['alice', 'alice', 'alice']);
      // Fastify does not parse GET bodies at all; a body on another method finds no route either.
      const posted = await request(url)
        .post(ROUTE)
        .set('Authorization', auth)
        .send({ customerReference: 'mallory' });
      expect(posted.status).toBe(404);
      // The route takes no parameters: a path naming another id is not this route.
      expect((await request(url).get(`${ROUTE}/mallory`).set('Authorization', auth)).status).toBe(
        404,
      );
    });

    it('serves a custom path under the global prefix, and only there', async () => {
      const url = await start(jwtEndpoint({ path: 'kyc/flow-config' }), 'api');
      const res = await request(url)
        .get('/api/kyc/flow-config')
        .set('Authorization', bearerFor('9'));
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect((res.body as FlowSignatureResponse).user).toStrictEqual({
        customerReference: '9',
        signature: hmac('9'),
      });
      expect((await request(url).get('/api/kyc/flow-config')).status).toBe(401);
      expect(
        (await request(url).get('/kyc/flow-config').set('Authorization', bearerFor('9'))).status,
      ).toBe(404);
      expect(
        (await request(url).get(`/api${ROUTE}`).set('Authorization', bearerFor('9'))).status,
      ).toBe(404);
    });

    it('serves the default path under the global prefix', async () => {
      const url = await start(jwtEndpoint(), 'api');
      const res = await request(url).get(`/api${ROUTE}`).set('Authorization', bearerFor('5'));
      expect(res.status).toBe(200);
      expect((res.body as FlowSignatureResponse).user).toStrictEqual({
        customerReference: '5',
        signature: hmac('5'),
      });
      expect((await request(url).get(ROUTE).set('Authorization', bearerFor('5'))).status).toBe(404);
    });
  });
});
