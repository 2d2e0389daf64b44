import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/run-cli.js';
import { FlowApiClient } from '../../lib/index.js';
import { startFlowEmulator, type FlowEmulator } from '../../lib/emulator/index.js';
import { generateSecret } from '../support/test-secrets.js';
import { startReceiver, type TestReceiver } from './flow-receiver.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_00000000000000000000000000000003';
const templateId = 'flwtmp_clisessions001';
let emulator: FlowEmulator;
let receiver: TestReceiver;

beforeAll(async () => {
  receiver = await startReceiver();
  emulator = await startFlowEmulator({
    keys: { apiSecret: secret, apiKey, templateId },
    webhookUrl: `http://127.0.0.1:${receiver.port}/webhook_receivers/flow`,
    retryDelaysMs: [],
  });
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});
beforeEach(() => {
  receiver.received.length = 0;
});

async function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    env: {
      FLOW_API_SECRET: secret,
      FLOW_API_KEY: apiKey,
      FLOW_TEMPLATE_ID: templateId,
      FLOW_API_BASE_URL: emulator.apiBaseUrl,
      NODE_ENV: 'development',
      ...env,
    },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

function statusEvents(): Array<[string, string]> {
  return receiver.received
    .map(
      (d) =>
        JSON.parse(d.body.toString('utf8')) as {
          event: string;
          data: { id: string; status: string };
        },
    )
    .filter((b) => b.event === 'flow_session.status.updated')
    .map((b) => [b.data.id, b.data.status]);
}

describe('cognito-flow emulator end', () => {
  it.each(['expired', 'canceled', 'pending_review', 'success', 'failed'])(
    'ends a running emulator session %s and its status webhook is sent',
    async (status) => {
      const { session } = await new FlowApiClient({
        apiKey,
        apiSecret: secret,
        templateId,
        baseUrl: emulator.apiBaseUrl,
      }).createFlowSession({ customerReference: `cli-${status}` });
      const result = await run(['emulator', 'end', session.id, status]);
      expect(result.code).toBe(0);
      expect((JSON.parse(result.stdout) as { status: string }).status).toBe(status);
      expect(statusEvents()).toStrictEqual([[session.id, status]]);
      // An ended session cannot be ended again (a pending review can still be decided).
      const again = await run(['emulator', 'end', session.id, 'expired']);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('409');
    },
  );

  it('refuses a bad status, a bad id or a URL off this machine (exit 2)', async () => {
    expect((await run(['emulator', 'end', 'flwses_x1', 'active'])).code).toBe(2);
    expect((await run(['emulator', 'end', '../x', 'expired'])).code).toBe(2);
    // The id rule is the API client's: up to 100 letters and digits after flwses_.
    const longest = await run(['emulator', 'end', `flwses_${'a'.repeat(100)}`, 'expired']);
    expect(longest.stderr).not.toContain('A flow session id is');
    const tooLong = await run(['emulator', 'end', `flwses_${'a'.repeat(101)}`, 'expired']);
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toContain('flwses_ followed by 1 to 100 letters and digits');
    const remote = await run([
      'emulator',
      'end',
      'flwses_x1',
      'expired',
      '--url',
      'http://10.0.0.1:4010',
    ]);
    expect(remote.code).toBe(2);
  });
});

describe('cognito-flow session retry against the emulator, end to end', () => {
  it('prints the new session; the old one is canceled; webhooks for both', async () => {
    const failed = await emulator.fail('cli-retry');
    receiver.received.length = 0;
    const result = await run(['session', 'retry', 'cli-retry']);
    expect(result.code).toBe(0);
    const renewed = JSON.parse(result.stdout) as { id: string; previous_session_id: string };
    expect(renewed.previous_session_id).toBe(failed.id);
    expect(
      receiver.received.map((d) => {
        const body = JSON.parse(d.body.toString('utf8')) as {
          event: string;
          data: { id: string; status: string };
        };
        return [body.event, body.data.id, body.data.status];
      }),
    ).toStrictEqual([
      ['flow_session.status.updated', failed.id, 'canceled'],
      ['flow_session.retried', renewed.id, 'active'],
    ]);
    const read = await run(['session', 'get', failed.id]);
    expect((JSON.parse(read.stdout) as { status: string }).status).toBe('canceled');
  });
});
