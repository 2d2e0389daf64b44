import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PLATFORMS, TEMPLATE_ID, bearerFor, useApps } from './signature-test-app.js';
import { ROUTE, useHostedSessionApi } from './hosted-session-test-app.js';

const { api, flowModule } = useHostedSessionApi();

/** The resolver hands over the e-mail the principal carries, whatever it is; default retries. */
const emailModule = () =>
  flowModule({
    endpoint: {
      customerReference: (req: { user: { id: string; email?: string } }) => ({
        customerReference: req.user.id,
        email: req.user.email,
      }),
    },
    values: { api: undefined },
  });

// Each one would be refused by Cognito's JSON body rules or is over 1,024 UTF-8 bytes.
const INVALID_EMAILS: Array<[string, string]> = [
  ['a control character (BEL)', 'ada\u0007@example.com'],
  ['a newline', 'ada@example.com\nBcc: eve@example.com'],
  ['over 1,024 bytes', `${'a'.repeat(1020)}@example.com`],
  ['a lone surrogate', 'ada\ud800@example.com'],
];

describe.each(PLATFORMS)(
  'hosted-session route on %s: the e-mail from the principal',
  (_p, adapter) => {
    const start = useApps(adapter);
    let warnings: string[];
    let errors: string[];

    beforeEach(() => {
      api().requests.length = 0;
      api().script.length = 0;
      warnings = [];
      errors = [];
      vi.spyOn(Logger.prototype, 'warn').mockImplementation(
        (m: unknown) => void warnings.push(String(m)),
      );
      vi.spyOn(Logger.prototype, 'error').mockImplementation(
        (m: unknown) => void errors.push(String(m)),
      );
    });
    afterEach(() => vi.restoreAllMocks());

    it.each(INVALID_EMAILS)(
      'with %s is left out of the session request, one warning without it, never a 500',
      async (_case, email) => {
        const url = await start([emailModule()]);
        const res = await request(url)
          .post(ROUTE)
          .send({})
          .set('Authorization', bearerFor('user-mail', email));
        expect(res.status).toBe(200);
        expect(api().requests).toHaveLength(1);
        expect(JSON.parse(api().requests[0].body)).toEqual({
          shareable: true,
          template_id: TEMPLATE_ID,
          user: { customer_reference: 'user-mail' },
        });
        expect(errors).toEqual([]);
        const about = warnings.filter((line) => line.includes('e-mail'));
        expect(about).toHaveLength(1);
        expect(about[0]).toContain('left out');
        // No personal data: neither the address nor its parts are in the line.
        expect(about[0]).not.toContain('ada');
        expect(about[0]).not.toContain('example.com');
        expect(about[0]).not.toContain('aaaa');
      },
    );

    it('a valid e-mail is still sent, with no warning', async () => {
      const url = await start([emailModule()]);
      const res = await request(url)
        .post(ROUTE)
        .send({})
        .set('Authorization', bearerFor('user-mail-ok', 'ada@example.com'));
      expect(res.status).toBe(200);
      expect((JSON.parse(api().requests[0].body) as { user: unknown }).user).toEqual({
        customer_reference: 'user-mail-ok',
        email: 'ada@example.com',
      });
      expect(warnings.filter((line) => line.includes('e-mail'))).toEqual([]);
    });

    it('the signature route beside it leaves the same e-mail out of its answer, with one warning', async () => {
      const url = await start([emailModule()]);
      const res = await request(url)
        .get('/users/current/flow_signature')
        .set('Authorization', bearerFor('user-mail-sig', 'ada\u0007@example.com'));
      expect(res.status).toBe(200);
      expect((res.body as { user: Record<string, unknown> }).user).toEqual({
        customerReference: 'user-mail-sig',
        signature: expect.any(String) as unknown,
      });
      const about = warnings.filter((line) => line.includes('e-mail'));
      expect(about).toHaveLength(1);
      expect(about[0]).not.toContain('ada');
    });
  },
);
