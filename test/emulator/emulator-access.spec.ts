import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlowEmulator, type FlowEmulator } from '../../lib/emulator/index.js';
import { rawHttpRequest } from '../support/raw-http.js';

let emulator: FlowEmulator;
let port: number;
// The app the emulator was told about (through its webhook URL): a receiver answering 204.
let app: Server;
let APP_PORT: number;
let CROSS_SITE: string[];

beforeAll(async () => {
  app = createServer((request, response) => {
    request.resume();
    response.writeHead(204).end();
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  APP_PORT = (app.address() as AddressInfo).port;
  CROSS_SITE = [
    'https://evil.example',
    `http://127.0.0.1:${APP_PORT + 1}`, // another service on this machine: another origin
    `http://localhost.:${APP_PORT}`,
    'null',
  ];
  emulator = await startFlowEmulator({
    webhookUrl: `http://127.0.0.1:${APP_PORT}/webhook_receivers/flow`,
    retryDelaysMs: [],
    deliveryTimeoutMs: 200,
  });
  port = Number(new URL(emulator.url).port);
});
afterAll(async () => {
  await emulator?.close();
  await new Promise((resolve) => app.close(resolve));
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: { errors?: Array<{ code: string }>; session?: { status: string }; sessions?: unknown[] };
  text: string;
}

/** One request with exactly these headers (http.request lets the test set `Host`). */
function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = '',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: { Host: `127.0.0.1:${port}`, ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Answer['json'];
          try {
            json = JSON.parse(text) as Answer['json'];
          } catch {
            json = {};
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, json, text });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A fresh active session of its own, so each check starts from the same state. */
async function activeSession(reference: string): Promise<string> {
  const session = await emulator.end(reference, 'pending_review');
  return session.id;
}

describe('the emulator answers only its own loopback Host (DNS rebinding)', () => {
  it('refuses another name or port with 421, on every route', async () => {
    for (const host of [
      `evil.example:${port}`,
      `localhost.:${port}`,
      `127.0.0.1:${port + 1 === 65536 ? 1 : port + 1}`,
      'localhost',
      `127.0.0.2:${port}`,
    ])
      for (const path of ['/', '/flow.js', '/emulator/state', '/flow_sessions/flwses_x1']) {
        const answer = await send('GET', path, { Host: host });
        expect(answer.status, `${host} ${path}`).toBe(421);
        expect(answer.json.errors?.[0].code).toBe('host_not_allowed');
        expect(answer.text).not.toContain(emulator.controlToken);
      }
  });

  it('answers localhost, 127.0.0.1 and [::1] with its port, in any case', async () => {
    for (const host of [
      `localhost:${port}`,
      `LocalHost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
    ])
      expect((await send('GET', '/flow.js', { Host: host })).status, host).toBe(200);
  });
});

describe('a malformed request-target', () => {
  it('answers 400, never 500, and the emulator keeps serving', async () => {
    for (const line of [
      'GET //x:99999 HTTP/1.1',
      'GET //emulator/state HTTP/1.1',
      'GET http://x:99999/ HTTP/1.1',
      'GET http://127.0.0.1/emulator/state HTTP/1.1',
      'GET * HTTP/1.1',
      'OPTIONS * HTTP/1.1',
    ]) {
      const answer = await rawHttpRequest(port, [line], '');
      expect(answer.status, line).toBe(400);
    }
    expect((await send('GET', '/flow.js')).status).toBe(200);
  });
});

describe('the control routes refuse cross-site pages', () => {
  it('refuses pass, open, state and the preflight from an origin it was not told about', async () => {
    const id = await activeSession('cross-site-1');
    for (const origin of CROSS_SITE) {
      const pass = await send('POST', `/emulator/sessions/${id}/pass`, {
        Origin: origin,
        'Content-Type': 'text/plain',
      });
      expect(pass.status, origin).toBe(403);
      expect(pass.json.errors?.[0].code).toBe('cross_site');
      expect(pass.headers['access-control-allow-origin']).toBeUndefined();
      const state = await send('GET', '/emulator/state', { Origin: origin });
      expect(state.status, origin).toBe(403);
      expect(state.json.sessions).toBeUndefined();
      const open = await send('POST', '/emulator/open', { Origin: origin }, '{}');
      expect(open.status, origin).toBe(403);
      const preflight = await send('OPTIONS', '/emulator/open', {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
      });
      expect(preflight.status, origin).toBe(403);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect(emulator.sessions.find((s) => s.id === id)?.status).toBe('pending_review');
  });

  it('refuses a browser request without Origin unless it is same-origin or typed in', async () => {
    for (const [site, mode] of [
      ['cross-site', 'no-cors'],
      ['cross-site', 'navigate'],
      ['same-site', 'cors'],
    ]) {
      const state = await send('GET', '/emulator/state', {
        'Sec-Fetch-Site': site,
        'Sec-Fetch-Mode': mode,
      });
      expect(state.status, `${site} ${mode}`).toBe(403);
    }
    for (const [site, mode] of [
      ['none', 'navigate'],
      ['same-origin', 'cors'],
    ])
      expect(
        (await send('GET', '/emulator/state', { 'Sec-Fetch-Site': site, 'Sec-Fetch-Mode': mode }))
          .status,
        `${site} ${mode}`,
      ).toBe(200);
  });

  it('gives no CORS answer to any origin but the app’s', async () => {
    for (const path of ['/flow.js', '/emulator/state'])
      for (const origin of CROSS_SITE) {
        const answer = await send('GET', path, { Origin: origin });
        expect(answer.headers['access-control-allow-origin'], `${path} ${origin}`).toBeUndefined();
      }
  });
});

describe('the control routes still answer the app, the emulator and its clients', () => {
  it("lets the app's origins (its webhook URL's, under each loopback name) drive the dialog", async () => {
    for (const origin of [`http://127.0.0.1:${APP_PORT}`, `http://localhost:${APP_PORT}`]) {
      const id = await activeSession(`app-${origin}`);
      const passed = await send('POST', `/emulator/sessions/${id}/pass`, {
        Origin: origin,
        'Content-Type': 'text/plain',
      });
      expect(passed.status, origin).toBe(200);
      expect(passed.json.session?.status).toBe('success');
      expect(passed.headers['access-control-allow-origin']).toBe(origin);
      expect(passed.headers.vary).toBe('Origin');
      const preflight = await send('OPTIONS', '/emulator/open', { Origin: origin });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(origin);
    }
  });

  it('lets its own pages and clients that are not browsers use them', async () => {
    const own = await send('POST', `/emulator/sessions/${await activeSession('own')}/pass`, {
      Origin: `http://localhost:${port}`,
    });
    expect(own.status).toBe(200);
    const cli = await send('POST', `/emulator/sessions/${await activeSession('cli')}/fail`);
    expect(cli.status).toBe(200);
    expect(cli.json.session?.status).toBe('failed');
    // Node's fetch sends Sec-Fetch-Mode: cors, but no Origin nor Sec-Fetch-Site: not a browser.
    const node = await fetch(
      `${emulator.apiBaseUrl}/emulator/sessions/${await activeSession('node')}/pass`,
      {
        method: 'POST',
        body: '{}',
      },
    );
    expect(node.status).toBe(200);
  });

  it("takes the run's token from any origin and refuses a wrong one", async () => {
    const id = await activeSession('token');
    const wrong = await send('POST', `/emulator/sessions/${id}/pass`, {
      Origin: 'https://evil.example',
      // The last character changed, never to itself.
      'X-Flow-Emulator-Token': `${emulator.controlToken.slice(0, -1)}${emulator.controlToken.endsWith('A') ? 'B' : 'A'}`,
    });
    expect(wrong.status).toBe(403);
    expect(wrong.json.errors?.[0].code).toBe('bad_token');
    // A wrong token is refused even where no token is needed.
    const wrongLocal = await send('GET', '/emulator/state', { 'X-Flow-Emulator-Token': 'x' });
    expect(wrongLocal.status).toBe(403);
    const right = await send('POST', `/emulator/sessions/${id}/pass`, {
      Origin: 'https://evil.example',
      'X-Flow-Emulator-Token': emulator.controlToken,
    });
    expect(right.status).toBe(200);
    expect(right.json.session?.status).toBe('success');
  });
});

describe("the run's control token", () => {
  it('is 32 random bytes in base64url, shown on the status page, never in flow.js', async () => {
    expect(emulator.controlToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const other = await startFlowEmulator();
    try {
      expect(other.controlToken).not.toBe(emulator.controlToken);
    } finally {
      await other.close();
    }
    const page = await send('GET', '/');
    expect(page.text).toContain(`<code id="control-token">${emulator.controlToken}</code>`);
    expect(page.headers['content-security-policy']).toBe("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    const script = await send('GET', '/flow.js', { Origin: `http://127.0.0.1:${APP_PORT}` });
    expect(script.status).toBe(200);
    expect(script.text).not.toContain(emulator.controlToken);
    const state = await send('GET', '/emulator/state');
    expect(state.text).not.toContain(emulator.controlToken);
  });
});
