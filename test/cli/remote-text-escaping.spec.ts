import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeEmulatorAttempt } from '../../lib/cli/emulator-command.js';
import { runCli } from '../../lib/cli/run-cli.js';
import type { FlowEmulatorDelivery } from '../../lib/emulator/webhook-deliveries.js';
import { startFlowApiStandIn, type FlowApiStandIn } from '../api/support/flow-api-stand-in.js';
import { generateSecret } from '../support/test-secrets.js';
import { HOSTILE_TEXT, TERMINAL_ACTIVE } from '../support/hostile-text.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';
let api: FlowApiStandIn;

beforeAll(async () => {
  api = await startFlowApiStandIn({ secret, apiKey });
});
afterAll(() => api.close());
beforeEach(() => {
  api.requests.length = 0;
  api.script.length = 0;
});

const environment = () => ({
  FLOW_API_SECRET: secret,
  FLOW_API_KEY: apiKey,
  FLOW_API_BASE_URL: api.baseUrl,
  NODE_ENV: 'development',
});

/** Runs the CLI in this process; every printed line is kept as printed. */
async function run(args: string[]) {
  const lines: string[] = [];
  const code = await runCli(args, {
    env: environment(),
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
  });
  return { code, lines };
}

/** No printed line holds a character a terminal acts on, and no remote text starts a line. */
function expectInert(lines: string[]): void {
  for (const line of lines) {
    for (const row of line.split('\n')) {
      expect(row).not.toMatch(TERMINAL_ACTIVE);
      expect(row.startsWith('FAKE')).toBe(false);
    }
  }
}

const hostileErrors = { errors: [{ code: HOSTILE_TEXT, message: HOSTILE_TEXT }] };

describe('remote text reaches the terminal escaped', () => {
  it('session get: the JSON of a session full of controls prints inert and still parses to it', async () => {
    const session = {
      id: 'flwses_hostile01',
      status: HOSTILE_TEXT,
      customer_reference: HOSTILE_TEXT,
      user: { name: { first: HOSTILE_TEXT } },
    };
    api.sessions.set(session.id, session);
    const result = await run(['session', 'get', session.id]);
    expect(result.code).toBe(0);
    expectInert(result.lines);
    expect(JSON.parse(result.lines.join('\n'))).toEqual(session);
  });

  it("session get: Cognito's error codes and messages print inert", async () => {
    api.script.push({ status: 422, body: hostileErrors });
    const result = await run(['session', 'get', 'flwses_hostile02']);
    expect(result.code).toBe(1);
    expect(result.lines.join('\n')).toContain('422');
    expect(result.lines.join('\n')).toContain('\\x1b[31m');
    expectInert(result.lines);
  });

  it("doctor --online: Cognito's error codes and messages print inert", async () => {
    api.script.push({ status: 503, body: hostileErrors });
    const result = await run(['doctor', '--online']);
    const line = result.lines.find((text) => text.includes('API accepts key and secret')) ?? '';
    expect(line).toMatch(/^WARN.*503.*\\u202e/);
    expectInert(result.lines);
  });

  it("the emulator's attempt lines print a hostile reference, status and answer inert", () => {
    const delivery: FlowEmulatorDelivery = {
      eventId: 'whkevt_1',
      event: 'flow_session.status.updated',
      sessionId: 'flwses_1',
      customerReference: HOSTILE_TEXT,
      status: HOSTILE_TEXT,
      step: HOSTILE_TEXT,
      body: '{}',
      state: 'retrying',
      attempts: [{ at: new Date().toISOString(), detail: HOSTILE_TEXT }],
    };
    const line = describeEmulatorAttempt(delivery);
    expect(line).toContain('\\u202eevil');
    expectInert([line]);
  });

  it('trigger: what a hostile emulator answers (session, deliveries) prints inert', async () => {
    const session = {
      id: 'flwses_hostile0000001',
      status: 'active',
      customer_reference: 'ref-1',
      steps: {},
    };
    let stateCalls = 0;
    const fake = createServer((request, response) => {
      const url = request.url ?? '';
      const send = (status: number, body: unknown, type = 'application/json') => {
        response.writeHead(status, { 'Content-Type': type });
        response.end(JSON.stringify(body));
      };
      request.resume();
      request.on('end', () => {
        if (url === '/emulator/state') {
          stateCalls += 1;
          const deliveries =
            stateCalls === 1
              ? []
              : [
                  {
                    eventId: 'whkevt_hostile',
                    event: 'flow_session.status.updated',
                    sessionId: session.id,
                    customerReference: HOSTILE_TEXT,
                    status: HOSTILE_TEXT,
                    step: HOSTILE_TEXT,
                    state: 'delivered',
                    attempts: [{ at: '2026-01-01T00:00:00Z', status: 200 }],
                  },
                ];
          return send(200, {
            keys: { apiKey, publishableKey: 'x', templateId: 'flwtmp_hostile' },
            sessions: [],
            deliveries,
          });
        }
        const json = 'application/vnd.api+json';
        if (url.startsWith('/flow_sessions?')) return send(201, session, json);
        if (url.startsWith('/emulator/sessions/')) return send(200, { session });
        // The session read back names a hostile customer reference and status.
        return send(
          200,
          { ...session, status: HOSTILE_TEXT, customer_reference: HOSTILE_TEXT },
          json,
        );
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = fake.address() as AddressInfo;
      const { code, lines } = await run([
        'trigger',
        'flow_session.status.updated',
        '--customer-reference',
        'ref-1',
        '--url',
        `http://127.0.0.1:${port}`,
      ]);
      expect(code).toBe(0);
      expect(lines.join('\n')).toContain('Session flwses_hostile0000001 (created)');
      expect(lines.filter((line) => line.includes('\\u202eevil')).length).toBeGreaterThan(1);
      expectInert(lines);
    } finally {
      await new Promise((resolve) => fake.close(resolve));
    }
  });
});
