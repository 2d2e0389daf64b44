import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/run-cli.js';
import { FlowApiClient } from '../../lib/index.js';
import { startFlowApiStandIn, type FlowApiStandIn } from '../api/support/flow-api-stand-in.js';
import { generateSecret } from '../support/test-secrets.js';
import { secretFolder } from './secret-files.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';
const files = secretFolder();
let api: FlowApiStandIn;

beforeAll(async () => {
  api = await startFlowApiStandIn({ secret, apiKey });
});
afterAll(async () => {
  files.cleanup();
  await api.close();
});
beforeEach(() => {
  api.requests.length = 0;
  api.script.length = 0;
});

/** Runs the CLI in this process with `env`, collecting what it prints. */
async function run(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    env,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  const result = { code, stdout: out.join('\n'), stderr: err.join('\n') };
  expect(result.stdout + result.stderr).not.toContain(secret);
  expect(result.stdout + result.stderr).not.toContain(secret.slice(-16));
  return result;
}

function environment(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    FLOW_API_SECRET: secret,
    FLOW_API_KEY: apiKey,
    FLOW_API_BASE_URL: api.baseUrl,
    NODE_ENV: 'development',
    ...overrides,
  };
}

describe('cognito-flow session get', () => {
  it('prints the session exactly as the API answered it, over a signed request', async () => {
    const session = {
      id: 'flwses_cli0001',
      object: 'flow_session',
      status: 'success',
      customer_reference: 'user-7',
      user: { id_number: { value: '1234', category: 'ssn', type: 'us_ssn' } },
    };
    api.sessions.set(session.id, session);
    const result = await run(['session', 'get', session.id], environment());
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(session);
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0].ownVerifier && api.requests[0].referenceVerifier).toBe(true);
  });

  it('reads the secret from --secret-file', async () => {
    api.sessions.set('flwses_cli0002', { id: 'flwses_cli0002', status: 'active' });
    const path = files.write('api-secret', `${secret}\n`);
    const env = environment();
    delete env.FLOW_API_SECRET;
    const result = await run(['session', 'get', 'flwses_cli0002', '--secret-file', path], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'active' });
  });

  it("a 404 exits 1 with the status and Cognito's error", async () => {
    const result = await run(['session', 'get', 'flwses_nothere'], environment());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('404');
    expect(result.stderr).toContain('not_found: No flow session with this id.');
  });

  it('refuses a malformed id (exit 2) and a missing FLOW_API_KEY (exit 1) without a request', async () => {
    expect((await run(['session', 'get', '../admin'], environment())).code).toBe(2);
    const env = environment();
    delete env.FLOW_API_KEY;
    const missing = await run(['session', 'get', 'flwses_x1'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('FLOW_API_KEY');
    expect(api.requests).toHaveLength(0);
  });
});

describe('cognito-flow session retry', () => {
  it('POSTs /flow_sessions/retry once (strategy reset, FLOW_TEMPLATE_ID) and prints the new session', async () => {
    const env = environment({ FLOW_TEMPLATE_ID: 'flwtmp_clitemplate01' });
    const created = await run(['session', 'retry', 'user-8'], env);
    // The stand-in has no session for user-8 yet: Cognito's 404, exit 1.
    expect(created.code).toBe(1);
    expect(created.stderr).toContain('404');
    api.script.length = 0;
    const { session: old } = await new FlowApiClient({
      apiKey,
      apiSecret: secret,
      baseUrl: api.baseUrl,
      templateId: 'flwtmp_clitemplate01',
    }).createFlowSession({ customerReference: 'user-8' });
    api.requests.length = 0;
    const result = await run(['session', 'retry', 'user-8'], env);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as { id: string; previous_session_id: string };
    expect(printed.previous_session_id).toBe(old.id);
    expect(api.requests.map((r) => [r.method, r.url, r.body])).toStrictEqual([
      [
        'POST',
        '/flow_sessions/retry',
        '{"customer_reference":"user-8","template_id":"flwtmp_clitemplate01","strategy":"reset"}',
      ],
    ]);
    expect(api.requests[0].ownVerifier && api.requests[0].referenceVerifier).toBe(true);
  });

  it('takes --template and --strategy, and is not repeated after a 503', async () => {
    api.script.push({ status: 503 });
    const result = await run(
      ['session', 'retry', 'user-9', '--template', 'flwtmp_other00001', '--strategy', 'custom'],
      environment(),
    );
    expect(result.code).toBe(1);
    expect(api.requests).toHaveLength(1);
    expect(JSON.parse(api.requests[0].body)).toStrictEqual({
      customer_reference: 'user-9',
      template_id: 'flwtmp_other00001',
      strategy: 'custom',
    });
  });

  it('refuses without a template or with a bad reference (exit 2), before any request', async () => {
    const none = await run(['session', 'retry', 'user-9'], environment());
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('FLOW_TEMPLATE_ID');
    const bad = await run(
      ['session', 'retry', 'a\u0007b', '--template', 'flwtmp_x1'],
      environment(),
    );
    expect(bad.code).toBe(2);
    expect(api.requests).toHaveLength(0);
  });
});

describe('cognito-flow doctor --online', () => {
  const line = (stdout: string) =>
    stdout.split('\n').find((text) => text.includes('API accepts key and secret')) ?? '';

  it('passes when the API accepts the signed request (404 for the unknown session)', async () => {
    const result = await run(['doctor', '--online'], environment());
    expect(line(result.stdout)).toMatch(/^PASS/);
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0].url).toBe('/flow_sessions/flwses_doctorprobe00000000');
    expect(api.requests[0].ownVerifier && api.requests[0].referenceVerifier).toBe(true);
  });

  it('fails with the fix when the API refuses the pair (401)', async () => {
    const result = await run(
      ['doctor', '--online'],
      environment({ FLOW_API_SECRET: generateSecret() }),
    );
    expect(result.code).toBe(1);
    expect(line(result.stdout)).toMatch(
      /^FAIL.*refused the signed request \(401\).*Fix: Copy FLOW_API_KEY/,
    );
  });

  it('warns when the answer tells nothing (503)', async () => {
    api.script.push({ status: 503 });
    const result = await run(['doctor', '--online'], environment());
    expect(line(result.stdout)).toMatch(/^WARN.*503/);
  });

  it('makes no request without --online', async () => {
    await run(['doctor'], environment());
    expect(api.requests).toHaveLength(0);
  });
});
