import type { INestApplication } from '@nestjs/common';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/run-cli.js';
import { startFlowEmulator, type FlowEmulator } from '../../lib/emulator/index.js';
import { EVENT_PLATFORMS } from '../support/flow-events-app.js';
import { startFetchSessionHost, type SessionRecorder } from '../support/fetch-session-host.js';
import { generateSecret } from '../support/test-secrets.js';
import { startReceiver } from './flow-receiver.js';
import { runBuiltCli } from './run-built-cli.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_00000000000000000000000000000071';
const templateId = 'flwtmp_clitrigger001';

async function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    // No FLOW_API_KEY nor FLOW_TEMPLATE_ID: the command takes them from the emulator.
    env: { FLOW_API_SECRET: secret, NODE_ENV: 'development', ...env },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** The session id the command printed, and whether it said created or reused. */
function printed(stdout: string): { id: string; how: string } {
  const match = /^Session (flwses_[A-Za-z0-9]+) \((created|reused)\)/m.exec(stdout);
  expect(match, stdout).not.toBeNull();
  return { id: match![1], how: match![2] };
}

describe.each(EVENT_PLATFORMS)(
  'cognito-flow trigger against an emulator and a %s app',
  (platform) => {
    let emulator: FlowEmulator;
    let app: INestApplication;
    let recorder: SessionRecorder;
    let url: string;
    const trigger = (event: string, reference: string, ...more: string[]) =>
      run(['trigger', event, '--customer-reference', reference, '--url', url, ...more]);
    const seenFor = (reference: string) =>
      recorder.seen.filter((seen) => seen.customerReference === reference);

    beforeAll(async () => {
      emulator = await startFlowEmulator({
        keys: { apiSecret: secret, apiKey, templateId },
        retryDelaysMs: [],
      });
      const host = await startFetchSessionHost(platform, emulator.keys, emulator.apiBaseUrl);
      app = host.app;
      recorder = host.recorder;
      emulator.setWebhookUrl(host.webhookUrl);
      url = emulator.apiBaseUrl;
    });
    afterAll(async () => {
      await app.close();
      await emulator.close();
    });

    it("status success: the app's fetchSession() returns the session the command printed", async () => {
      const result = await trigger('flow_session.status.updated', 'alice', '--status', 'success');
      expect(result.code, result.stderr).toBe(0);
      const { id, how } = printed(result.stdout);
      expect(how).toBe('created');
      // The default template has three steps: three step webhooks, then the status one.
      expect(result.stdout).toContain('4/4 webhooks answered 2xx.');
      const seen = seenFor('alice');
      expect(seen.map((s) => [s.event, s.eventSessionId, s.sessionId])).toStrictEqual([
        ['flow_session.step.updated', id, id],
        ['flow_session.step.updated', id, id],
        ['flow_session.step.updated', id, id],
        ['flow_session.status.updated', id, id],
      ]);
      expect(seen.at(-1)!.status).toBe('success');
      expect(emulator.sessions.find((s) => s.id === id)?.status).toBe('success');
    });

    it('reuses the reference’s session while it can take the change, then opens a new one', async () => {
      const review = await trigger(
        'flow_session.status.updated',
        'bob',
        '--status',
        'pending_review',
      );
      expect(review.code, review.stderr).toBe(0);
      const first = printed(review.stdout);
      const decided = await trigger('flow_session.status.updated', 'bob', '--status', 'failed');
      expect(decided.code, decided.stderr).toBe(0);
      expect(printed(decided.stdout)).toStrictEqual({ id: first.id, how: 'reused' });
      // An ended session cannot end again: the next trigger opens a new one.
      const again = await trigger('flow_session.status.updated', 'bob');
      expect(again.code, again.stderr).toBe(0);
      const second = printed(again.stdout);
      expect(second.how).toBe('created');
      expect(second.id).not.toBe(first.id);
      const statuses = seenFor('bob')
        .filter((s) => s.event === 'flow_session.status.updated')
        .map((s) => [s.sessionId, s.status]);
      expect(statuses).toStrictEqual([
        [first.id, 'pending_review'],
        [first.id, 'failed'],
        [second.id, 'success'],
      ]);
    });

    it('step.updated passes one step; the session read back is still active', async () => {
      const result = await trigger('flow_session.step.updated', 'carol');
      expect(result.code, result.stderr).toBe(0);
      const { id } = printed(result.stdout);
      expect(result.stdout).toContain('1/1 webhooks answered 2xx.');
      expect(seenFor('carol')).toStrictEqual([
        {
          event: 'flow_session.step.updated',
          eventSessionId: id,
          sessionId: id,
          status: 'active',
          customerReference: 'carol',
          previousSessionId: null,
        },
      ]);
    });

    it('retried: the old session ends canceled, the new one carries previous_session_id', async () => {
      const failed = printed(
        (await trigger('flow_session.status.updated', 'dave', '--status', 'failed')).stdout,
      );
      const result = await trigger('flow_session.retried', 'dave');
      expect(result.code, result.stderr).toBe(0);
      const renewed = printed(result.stdout);
      expect(renewed.id).not.toBe(failed.id);
      expect(seenFor('dave').slice(-2)).toStrictEqual([
        {
          event: 'flow_session.status.updated',
          eventSessionId: failed.id,
          sessionId: failed.id,
          status: 'canceled',
          customerReference: 'dave',
          previousSessionId: null,
        },
        {
          event: 'flow_session.retried',
          eventSessionId: renewed.id,
          sessionId: renewed.id,
          status: 'active',
          customerReference: 'dave',
          previousSessionId: failed.id,
        },
      ]);
    });

    it('the built bin does the same, with the URL from FLOW_API_BASE_URL and a fresh reference', async () => {
      const result = await runBuiltCli(['trigger', 'flow_session.status.updated'], {
        env: { FLOW_API_SECRET: secret, FLOW_API_BASE_URL: url, NODE_ENV: 'development' },
      });
      expect(result.code, result.stderr).toBe(0);
      const { id } = printed(result.stdout);
      const seen = recorder.seen.filter((s) => s.sessionId === id);
      expect(seen.at(-1)).toMatchObject({ status: 'success', eventSessionId: id });
      expect(seen.at(-1)!.customerReference).toMatch(/^flow-trigger-[A-Za-z0-9]{14}$/);
    });

    it('webhook send --session-id: the handler reads that session; an invented id fails', async () => {
      const session = await emulator.pass('erin');
      const send = (...more: string[]) =>
        run(
          [
            'webhook',
            'send',
            emulator.webhookUrl!,
            '--event',
            'flow_session.status.updated',
            '--customer-reference',
            'erin',
            ...more,
          ],
          { FLOW_API_KEY: apiKey },
        );
      const before = recorder.seen.length;
      const known = await send('--session-id', session.id);
      expect(known.code, known.stderr).toBe(0);
      expect(recorder.seen.slice(before)).toMatchObject([
        { eventSessionId: session.id, sessionId: session.id, status: 'success' },
      ]);
      // Without it, the API does not know the invented session: the handler throws, the app answers 5xx.
      const invented = await send();
      expect(invented.code).toBe(1);
      expect(invented.stdout).toMatch(/ 500 /);
      expect(recorder.seen.length).toBe(before + 1);
    });
  },
);

describe('cognito-flow trigger refusals', () => {
  let emulator: FlowEmulator;
  beforeAll(async () => {
    emulator = await startFlowEmulator({ keys: { apiSecret: secret }, retryDelaysMs: [] });
  });
  afterAll(() => emulator.close());
  const base = () => ['--url', emulator.apiBaseUrl];

  it('bad arguments exit 2 and change nothing; the unknown word is not echoed', async () => {
    const cases = [
      ['trigger', 'flow_session.deleted_secret_word', ...base()],
      ['trigger', 'flow_session.step.updated', '--status', 'success', ...base()],
      ['trigger', 'flow_session.status.updated', '--status', 'active', ...base()],
      ['trigger', 'flow_session.status.updated', '--customer-reference', 'a\u0007b', ...base()],
      ['trigger', 'flow_session.status.updated', '--url', 'http://10.0.0.1:4010'],
      ['trigger', 'flow_session.status.updated'],
    ];
    for (const args of cases) {
      const result = await run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).not.toContain('deleted_secret_word');
    }
    expect(emulator.sessions).toStrictEqual([]);
  });

  it('a secret that is not the emulator’s: exit 1, says so, never prints either secret', async () => {
    const other = generateSecret();
    const result = await run(['trigger', 'flow_session.status.updated', ...base()], {
      FLOW_API_SECRET: other,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('401');
    expect(result.stderr).toContain('not the one the emulator runs on');
    expect(`${result.stdout}${result.stderr}`).not.toContain(other);
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
    expect(emulator.sessions).toStrictEqual([]);
  });

  it('no secret: exit 1 naming FLOW_API_SECRET and --secret-file', async () => {
    const result = await run(['trigger', 'flow_session.status.updated', ...base()], {
      FLOW_API_SECRET: '',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FLOW_API_SECRET.*--secret-file/s);
  });

  it('an emulator without a webhook URL: the session is made, exit 1 with the fix', async () => {
    const result = await run(['trigger', 'flow_session.status.updated', ...base()]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('not sent (no webhook URL)');
    expect(result.stdout).toContain('0/4 webhooks answered 2xx.');
    expect(result.stderr).toContain('--webhook-url');
  });

  it('a receiver answering 500: exit 1, the answer shown', async () => {
    const receiver = await startReceiver();
    receiver.answers.push(500, 500, 500, 500);
    emulator.setWebhookUrl(`http://127.0.0.1:${receiver.port}/webhook_receivers/flow`);
    try {
      const result = await run(['trigger', 'flow_session.status.updated', ...base()]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(': 500 (attempt 1, failed)');
      expect(receiver.received).toHaveLength(4);
    } finally {
      emulator.setWebhookUrl(undefined);
      await receiver.close();
    }
  });

  it('no emulator listening: exit 1', async () => {
    const gone = await startFlowEmulator({ keys: { apiSecret: secret } });
    const url = gone.apiBaseUrl;
    await gone.close();
    const result = await run(['trigger', 'flow_session.status.updated', '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No emulator answered');
  });

  it('a session id that is not flwses_ never reaches a control route path (exit 1)', async () => {
    const paths: string[] = [];
    const fake = createServer((request, response) => {
      paths.push(request.url ?? '');
      request.resume();
      request.on('end', () => {
        const state = { keys: { apiKey, publishableKey: 'x', templateId }, deliveries: [] };
        const session = { id: 'flwses_1/../../x', status: 'active', customer_reference: 'r' };
        const body = request.url === '/emulator/state' ? state : session;
        response.writeHead(request.url === '/emulator/state' ? 200 : 201, {
          'Content-Type': 'application/vnd.api+json',
        });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = fake.address() as AddressInfo;
      const result = await run([
        'trigger',
        'flow_session.status.updated',
        '--url',
        `http://127.0.0.1:${port}`,
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('without a flwses_ id');
      expect(paths).toStrictEqual(['/emulator/state', '/flow_sessions?idempotent=true']);
    } finally {
      await new Promise((resolve) => fake.close(resolve));
    }
  });

  it('--help prints the events and options', async () => {
    const result = await run(['trigger', '--help']);
    expect(result.code).toBe(0);
    for (const word of ['flow_session.retried', '--status', '--customer-reference', '--url'])
      expect(result.stdout).toContain(word);
  });
});
