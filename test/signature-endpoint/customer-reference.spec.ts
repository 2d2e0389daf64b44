import 'reflect-metadata';
import { ForbiddenException, Logger, type ExecutionContext } from '@nestjs/common';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { FlowSigner } from '../../lib/index.js';
import type { FlowCustomerReferenceResolver } from '../../lib/signature-endpoint/signature-endpoint-options.js';
import { type FlowSignatureResponse } from '../../lib/signature-endpoint/flow-signature-response.js';
import {
  PLATFORMS,
  REGISTRATIONS,
  bearerFor,
  flowModule,
  hmac,
  jwtEndpoint,
  useApps,
  type SignedInRequest,
} from './signature-test-app.js';

const ROUTE = '/users/current/flow_signature';

/** A guard that admits everyone and sets `request.user` to `user` (left unset when undefined). */
function admitAs(user: unknown): { canActivate: (context: ExecutionContext) => boolean } {
  return {
    canActivate: (context) => {
      if (user !== undefined) context.switchToHttp().getRequest<{ user?: unknown }>().user = user;
      return true;
    },
  };
}

describe.each(PLATFORMS)('customer reference resolution on %s', (_platform, adapter) => {
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

    function start(endpoint: Parameters<typeof flowModule>[1]): Promise<string> {
      return startApp([flowModule(registration, endpoint)]);
    }

    it('uses a synchronous resolver', async () => {
      const url = await start(
        jwtEndpoint({ customerReference: (req: SignedInRequest) => `acct-${req.user.id}` }),
      );
      const res = await request(url).get(ROUTE).set('Authorization', bearerFor('9'));
      expect(res.status).toBe(200);
      expect((res.body as FlowSignatureResponse).user).toStrictEqual({
        customerReference: 'acct-9',
        signature: hmac('acct-9'),
      });
    });

    it('awaits an asynchronous resolver returning an identity object', async () => {
      const url = await start(
        jwtEndpoint({
          customerReference: async (req: SignedInRequest) => {
            await new Promise((resolve) => setImmediate(resolve));
            return { customerReference: `db-${req.user.id}` };
          },
        }),
      );
      const res = await request(url).get(ROUTE).set('Authorization', bearerFor('5'));
      expect(res.status).toBe(200);
      expect((res.body as FlowSignatureResponse).user).toStrictEqual({
        customerReference: 'db-5',
        signature: hmac('db-5'),
      });
    });

    it('adds the e-mail a resolver supplies, and nothing else it returns', async () => {
      const url = await start(
        jwtEndpoint({
          customerReference: (req: SignedInRequest) =>
            ({ customerReference: req.user.id, email: 'ada@example.com', role: 'admin' }) as never,
        }),
      );
      const res = await request(url).get(ROUTE).set('Authorization', bearerFor('user-7'));
      expect(res.status).toBe(200);
      expect((res.body as FlowSignatureResponse).user).toStrictEqual({
        customerReference: 'user-7',
        signature: hmac('user-7'),
        email: 'ada@example.com',
      });
    });

    it('signs a numeric principal id in its decimal form with the default resolver', async () => {
      const url = await start({ guards: [admitAs({ id: 42 })] });
      const res = await request(url).get(ROUTE);
      expect(res.status).toBe(200);
      expect((res.body as FlowSignatureResponse).user).toStrictEqual({
        customerReference: '42',
        signature: hmac('42'),
      });
    });

    it('lets an HttpException thrown by the resolver choose the answer', async () => {
      const url = await start(
        jwtEndpoint({
          customerReference: () => {
            throw new ForbiddenException('Verification is closed for this account.');
          },
        }),
      );
      const res = await request(url).get(ROUTE).set('Authorization', bearerFor('u'));
      expect(res.status).toBe(403);
      expect((res.body as { message: string }).message).toBe(
        'Verification is closed for this account.',
      );
      expect(sign).not.toHaveBeenCalled();
    });

    it.each<[string, unknown, FlowCustomerReferenceResolver | undefined, string]>([
      [
        'no request.user',
        undefined,
        undefined,
        'the default resolver, request.user.id, returned undefined',
      ],
      [
        'a principal without an id',
        { name: 'Ada' },
        undefined,
        'the default resolver, request.user.id, returned undefined',
      ],
      [
        'a resolver returning null',
        { id: 'u' },
        () => null,
        'signatureEndpoint.customerReference returned null',
      ],
      [
        'a resolver returning an empty string',
        { id: 'u' },
        () => '',
        'signatureEndpoint.customerReference returned an empty string',
      ],
      [
        'a resolver returning a number',
        { id: 'u' },
        () => 7 as never,
        'signatureEndpoint.customerReference returned a number instead of a string',
      ],
      [
        'a resolver returning an object without a reference',
        { id: 'u' },
        () => ({ email: 'a@b.c' }) as never,
        'signatureEndpoint.customerReference returned an object whose customerReference is undefined',
      ],
    ])(
      'answers 401 and explains the misconfiguration when the guard passed with %s',
      async (_label, user, resolver, cause) => {
        const url = await start({ guards: [admitAs(user)], customerReference: resolver });
        const res = await request(url)
          .get(ROUTE)
          .query({ customerReference: 'mallory' })
          .set('X-User-Id', 'mallory');
        expect(res.status).toBe(401);
        expect(res.text).not.toContain('signature"');
        expect(sign).not.toHaveBeenCalled();
        const warning = warn.mock.calls
          .map(([m]) => String(m))
          .find((m) => m.includes('no customer reference was resolved'));
        expect(warning).toContain(`GET ${ROUTE.slice(1)}`);
        expect(warning).toContain(`(${cause})`);
        expect(warning).toContain('signatureEndpoint.customerReference');
        expect(warning).not.toMatch(/mallory|a@b\.c|Ada/);
      },
    );
  });
});
