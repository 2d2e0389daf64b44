import 'reflect-metadata';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  FOREIGN_ORIGIN_MESSAGE,
  NOT_JSON_MESSAGE,
} from '../../lib/signature-endpoint/cross-site-check.js';
import { PLATFORMS, bearerFor, useApps } from './signature-test-app.js';
import { ROUTE, useHostedSessionApi } from './hosted-session-test-app.js';

const { api, flowModule } = useHostedSessionApi();

/** A request as a browser or a client would send it: its content type, body and Origin. */
interface Sent {
  type?: string;
  body?: string;
  origin?: string;
}

describe.each(PLATFORMS)(
  'hosted-session route against cross-site requests on %s',
  (name, adapter) => {
    const start = useApps(adapter);
    let url: string;
    let user = 0;

    beforeEach(async () => {
      api().requests.length = 0;
      url = await start([flowModule()]);
    });

    /** POSTs as a logged-in user (a fresh one each time), as the cookie or token would. */
    function post({ type, body, origin }: Sent) {
      let req = request(url)
        .post(ROUTE)
        .set('Authorization', bearerFor(`cross-site-${name}-${(user += 1)}`));
      if (type !== undefined) req = req.set('Content-Type', type);
      if (origin !== undefined) req = req.set('Origin', origin);
      return body === undefined ? req : req.send(body);
    }

    it.each<[string, Sent]>([
      ['JSON, as a mobile app sends it', { type: 'application/json', body: '{}' }],
      ['JSON with charset=utf-8', { type: 'application/json; charset=utf-8', body: '{}' }],
      [
        'JSON from another origin (CORS preflights it)',
        { type: 'application/json', body: '{}', origin: 'https://other.example' },
      ],
    ])('accepts %s', async (_label, sent) => {
      const res = await post(sent);
      expect(res.status).toBe(200);
      expect((res.body as { sessionId: string }).sessionId).toMatch(/^flwses_/);
      expect(api().requests).toHaveLength(1);
    });

    it.each<[string, (url: string) => Sent]>([
      [
        'a same-origin form post',
        (base) => ({ type: 'application/x-www-form-urlencoded', body: 'a=1', origin: base }),
      ],
      [
        'a same-origin text/plain post',
        (base) => ({ type: 'text/plain', body: 'x', origin: base }),
      ],
      ['a same-origin POST without a body', (base) => ({ origin: base })],
    ])('accepts %s (Origin names this host)', async (_label, make) => {
      const res = await post(make(url));
      expect(res.status).toBe(200);
      expect(api().requests).toHaveLength(1);
    });

    it.each<[string, Sent]>([
      ['text/plain', { type: 'text/plain', body: '{"a":1}' }],
      ['a form post', { type: 'application/x-www-form-urlencoded', body: 'a=1' }],
      ['no content type and no body', {}],
    ])(
      'refuses %s without Origin: 415 saying what to send, no call to Cognito',
      async (_label, sent) => {
        const res = await post(sent);
        expect(res.status).toBe(415);
        expect((res.body as { message: string }).message).toBe(NOT_JSON_MESSAGE);
        expect(api().requests).toHaveLength(0);
      },
    );

    it.each<[string, (url: string) => Sent]>([
      [
        'text/plain from a foreign site',
        () => ({ type: 'text/plain', body: 'x', origin: 'https://evil.example' }),
      ],
      [
        'a form from a foreign site',
        () => ({
          type: 'application/x-www-form-urlencoded',
          body: 'a=1',
          origin: 'https://evil.example',
        }),
      ],
      ['a body-less POST from a foreign site', () => ({ origin: 'https://evil.example' })],
      [
        'a form from an opaque origin (null)',
        () => ({ type: 'application/x-www-form-urlencoded', body: 'a=1', origin: 'null' }),
      ],
      [
        'a form from this host name on another port',
        (base) => ({ type: 'text/plain', body: 'x', origin: base.replace(/:\d+$/, ':1') }),
      ],
      [
        'a form whose Origin carries a path',
        (base) => ({ type: 'text/plain', body: 'x', origin: `${base}/evil` }),
      ],
      [
        'a form whose Origin has this host as a prefix',
        (base) => ({ type: 'text/plain', body: 'x', origin: `${base}.evil.example` }),
      ],
    ])('refuses %s: 403, no call to Cognito', async (_label, make) => {
      const res = await post(make(url));
      expect(res.status).toBe(403);
      expect((res.body as { message: string }).message).toBe(FOREIGN_ORIGIN_MESSAGE);
      expect(api().requests).toHaveLength(0);
    });

    it('still asks the guard first: a cross-site request without credentials is 401', async () => {
      const res = await request(url)
        .post(ROUTE)
        .set('Content-Type', 'text/plain')
        .set('Origin', 'https://evil.example')
        .send('x');
      expect(res.status).toBe(401);
      expect(api().requests).toHaveLength(0);
    });
  },
);
