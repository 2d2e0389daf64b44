import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FlowSession } from '../../lib/verifier/flow-webhook-event.js';
import type { FlowWebhookEvent } from '../../lib/index.js';
import { generateSecret } from '../support/test-secrets.js';
import { expectValidFlowSignature, startReceiver, type TestReceiver } from './flow-receiver.js';
import { runBuiltCli, type CliRun } from './run-built-cli.js';
import { secretFolder } from './secret-files.js';

const FORBID_NETWORK = fileURLToPath(new URL('./forbid-network.mjs', import.meta.url));
const REFERENCE = '3a409367-a417-4d46-9a92-3d7bc5dc4605';
const STATUS_EVENT = 'flow_session.status.updated';

let receiver: TestReceiver;
const files = secretFolder();
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  files.cleanup();
});
beforeEach(() => {
  receiver.received.length = 0;
  receiver.answers.length = 0;
});

const url = (path = '/webhook_receivers/flow') => `http://127.0.0.1:${receiver.port}${path}`;
const send = (args: string[], env: Record<string, string>, nodeArgs?: string[]) =>
  runBuiltCli(['webhook', 'send', ...args], { env, nodeArgs });
const parse = (body: Buffer) =>
  JSON.parse(body.toString('utf8')) as FlowWebhookEvent & { data: FlowSession };

function expectNoSecret(run: CliRun, secret: string): void {
  expect(run.stdout).not.toContain(secret);
  expect(run.stderr).not.toContain(secret);
}

describe('cognito-flow webhook send', () => {
  it('sends one realistic, correctly signed delivery and reports its status and timing', async () => {
    const secret = generateSecret();
    const run = await send(
      [url(), '--event', STATUS_EVENT, '--customer-reference', REFERENCE, '--status', 'success'],
      { FLOW_API_SECRET: secret },
    );
    expect(run.code).toBe(0);
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery.method).toBe('POST');
    expect(delivery.url).toBe('/webhook_receivers/flow');
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers['cognito-version']).toBe('2020-08-14');
    expect(Number(delivery.headers['content-length'])).toBe(delivery.body.length);
    // No API key configured: the keyId announces the secret's environment.
    expect(expectValidFlowSignature(delivery, secret)).toMatch(/^sandbox_key_/);

    const event = parse(delivery.body);
    expect(Object.keys(event)).toEqual(['id', 'timestamp', 'event', 'data', 'environment']);
    expect(event.id).toMatch(/^whkevt_[A-Za-z0-9]+$/);
    expect(event.event).toBe(STATUS_EVENT);
    expect(event.environment).toBe('sandbox');
    expect(event.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Math.abs(Date.parse(event.timestamp) - Date.now())).toBeLessThan(5 * 60_000);
    expect(event.data).toMatchObject({
      object: 'flow_session',
      status: 'success',
      step: null,
      customer_reference: REFERENCE,
    });
    expect(event.data.id).toMatch(/^flwses_[A-Za-z0-9]+$/);

    expect(run.stdout).toMatch(
      new RegExp(`^\\[1/1\\] ${event.id} 204 No Content in \\d+\\.\\d ms\\n$`),
    );
    expectNoSecret(run, secret);
  });

  it('signs the path with its query exactly as sent, with --api-key, FLOW_API_KEY, --date and --secret-file', async () => {
    const secret = generateSecret();
    const envKey = `sandbox_key_${randomBytes(16).toString('hex')}`;
    const flagKey = `sandbox_key_${randomBytes(16).toString('hex')}`;
    const date = 'Sat, 23 Jan 2021 21:43:14 GMT';
    const path = files.write('secret', `${secret}\n`);
    const common = [
      '--event',
      STATUS_EVENT,
      '--customer-reference',
      'user-7',
      '--secret-file',
      path,
    ];

    const fromEnv = await send([url('/hooks/flow?tenant=a&x=%20y'), ...common, '--date', date], {
      FLOW_API_KEY: envKey,
    });
    expect(fromEnv.code).toBe(0);
    const flagged = await send([url(), ...common, '--api-key', flagKey], { FLOW_API_KEY: envKey });
    expect(flagged.code).toBe(0);

    const [first, second] = receiver.received;
    expect(first.url).toBe('/hooks/flow?tenant=a&x=%20y');
    expect(first.headers.date).toBe(date);
    expect(expectValidFlowSignature(first, secret)).toBe(envKey);
    expect(expectValidFlowSignature(second, secret)).toBe(flagKey);
  });

  it('builds step and retried events with their own defaults', async () => {
    const secret = generateSecret('live');
    const env = { FLOW_API_SECRET: secret, NODE_ENV: 'production' };
    expect(
      (
        await send(
          [url(), '--event', 'flow_session.step.updated', '--customer-reference', 'u1'],
          env,
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await send(
          [
            url(),
            '--event',
            'flow_session.step.updated',
            '--customer-reference',
            'u1',
            '--step',
            'selfie_check',
          ],
          env,
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await send(
          [
            url(),
            '--event',
            'flow_session.retried',
            '--customer-reference',
            'u1',
            '--environment',
            'sandbox',
          ],
          env,
        )
      ).code,
    ).toBe(0);
    const [step, selfie, retried] = receiver.received.map((delivery) => {
      expectValidFlowSignature(delivery, secret);
      return parse(delivery.body);
    });
    expect(step).toMatchObject({
      event: 'flow_session.step.updated',
      environment: 'live',
      data: { status: 'active', step: 'kyc_check' },
    });
    expect(selfie.data.step).toBe('selfie_check');
    expect(retried).toMatchObject({
      event: 'flow_session.retried',
      environment: 'sandbox',
      data: { status: 'active', step: null },
    });
  });

  it('--repeat sends N deliveries with fresh event ids, one progress line each and a summary', async () => {
    const secret = generateSecret();
    const run = await send(
      [url(), '--event', STATUS_EVENT, '--customer-reference', REFERENCE, '--repeat', '5'],
      { FLOW_API_SECRET: secret },
    );
    expect(run.code).toBe(0);
    expect(receiver.received).toHaveLength(5);
    const events = receiver.received.map((delivery) => {
      expectValidFlowSignature(delivery, secret);
      return parse(delivery.body);
    });
    expect(new Set(events.map((event) => event.id)).size).toBe(5);
    // One run describes one flow session.
    expect(new Set(events.map((event) => event.data.id)).size).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    events.forEach((event, index) =>
      expect(lines[index]).toMatch(new RegExp(`^\\[${index + 1}/5\\] ${event.id} 204 `)),
    );
    expect(lines[5]).toMatch(
      /^5\/5 deliveries answered 2xx; time min [\d.]+ ms, mean [\d.]+ ms, max [\d.]+ ms\.$/,
    );
  });

  it('--event-id repeats one event id, to test redelivery', async () => {
    const secret = generateSecret();
    const run = await send(
      [
        url(),
        '--event',
        STATUS_EVENT,
        '--customer-reference',
        'u',
        '--repeat',
        '3',
        '--event-id',
        'whkevt_again',
      ],
      { FLOW_API_SECRET: secret },
    );
    expect(run.code).toBe(0);
    expect(receiver.received.map((delivery) => parse(delivery.body).id)).toEqual([
      'whkevt_again',
      'whkevt_again',
      'whkevt_again',
    ]);
  });

  it('exits 1 when a delivery is answered non-2xx, after sending every delivery', async () => {
    const secret = generateSecret();
    receiver.answers.push(200, 503, 201);
    const run = await send(
      [url(), '--event', STATUS_EVENT, '--customer-reference', 'u', '--repeat', '3'],
      { FLOW_API_SECRET: secret },
    );
    expect(run.code).toBe(1);
    expect(receiver.received).toHaveLength(3);
    expect(run.stdout).toMatch(
      /\[2\/3\] whkevt_\w+ 503 Service Unavailable in [\d.]+ ms answer 503/,
    );
    expect(run.stdout).toMatch(/2\/3 deliveries answered 2xx/);

    receiver.answers.push(401);
    const single = await send([url(), '--event', STATUS_EVENT, '--customer-reference', 'u'], {
      FLOW_API_SECRET: secret,
    });
    expect(single.code).toBe(1);
    expect(single.stdout).toMatch(/401 Unauthorized/);
  });

  it('does not follow a redirect: a 3xx is a failed delivery', async () => {
    receiver.answers.push(307);
    const run = await send([url(), '--event', STATUS_EVENT, '--customer-reference', 'u'], {
      FLOW_API_SECRET: generateSecret(),
    });
    expect(run.code).toBe(1);
    expect(receiver.received).toHaveLength(1);
    expect(run.stdout).toMatch(/307 Temporary Redirect/);
  });

  it('exits 1 when nothing answers', async () => {
    const closed = await startReceiver();
    const port = closed.port;
    await closed.close();
    const run = await send(
      [`http://127.0.0.1:${port}/x`, '--event', STATUS_EVENT, '--customer-reference', 'u'],
      { FLOW_API_SECRET: generateSecret() },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\[1\/1\] whkevt_\w+ failed: ECONNREFUSED/);
  });

  it('accepts localhost as loopback', async () => {
    const run = await send(
      [`http://localhost:${receiver.port}/x`, '--event', STATUS_EVENT, '--customer-reference', 'u'],
      { FLOW_API_SECRET: generateSecret() },
    );
    expect(run.code).toBe(0);
    expect(receiver.received).toHaveLength(1);
  });

  it.each([
    'http://example.com/webhook_receivers/flow',
    'https://10.0.0.5/hook',
    'http://127.0.0.1.example.com/x',
    'http://[::ffff:7f00:1]/x',
  ])('refuses %s before any network use, explaining why', async (remote) => {
    const secret = generateSecret();
    const run = await send(
      [remote, '--event', STATUS_EVENT, '--customer-reference', 'u'],
      { FLOW_API_SECRET: secret },
      ['--import', FORBID_NETWORK],
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/not a loopback address/);
    expect(run.stderr).toMatch(/marks a real user as verified/);
    expect(run.stderr).toMatch(/Nothing was sent/);
    expect(run.stderr).toMatch(/--allow-remote/);
    expect(run.stderr).not.toMatch(/FORBIDDEN NETWORK USE/);
    expectNoSecret(run, secret);
  });

  it('--allow-remote lets a remote URL through (the network guard of these tests catches the attempt)', async () => {
    // 192.0.2.0/24 is reserved for documentation; the preload refuses the fetch before any packet leaves.
    const run = await send(
      [
        'http://192.0.2.1:9/hook',
        '--event',
        STATUS_EVENT,
        '--customer-reference',
        'u',
        '--allow-remote',
      ],
      { FLOW_API_SECRET: generateSecret() },
      ['--import', FORBID_NETWORK],
    );
    expect(run.stderr).toMatch(/FORBIDDEN NETWORK USE: fetch http:\/\/192\.0\.2\.1:9\/hook/);
    expect(run.code).toBe(1);
  });

  it('prints its help and the webhook help', async () => {
    const help = await runBuiltCli(['webhook', 'send', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /^Usage: cognito-flow webhook send <url> --event <name> --customer-reference <id>/,
    );
    for (const option of [
      '--status',
      '--repeat',
      '--date',
      '--allow-remote',
      '--secret-file',
      '--api-key',
      '--event-id',
    ]) {
      expect(help.stdout).toContain(option);
    }
    const group = await runBuiltCli(['webhook', '--help']);
    expect(group.code).toBe(0);
    expect(group.stdout).toMatch(/send <url>/);
  });

  it.each([
    [['webhook']],
    [['webhook', 'receive']],
    [['webhook', 'send']],
    [['webhook', 'send', 'URL', '--customer-reference', 'u']],
    [['webhook', 'send', 'URL', '--event', STATUS_EVENT]],
    [['webhook', 'send', 'URL', '--event', 'NotAnEvent', '--customer-reference', 'u']],
    [['webhook', 'send', 'URL', '--event', STATUS_EVENT, '--customer-reference', 'a\nb']],
    [
      [
        'webhook',
        'send',
        'URL',
        '--event',
        STATUS_EVENT,
        '--customer-reference',
        'u',
        '--repeat',
        '0',
      ],
    ],
    [
      [
        'webhook',
        'send',
        'URL',
        '--event',
        STATUS_EVENT,
        '--customer-reference',
        'u',
        '--repeat',
        'many',
      ],
    ],
    [
      [
        'webhook',
        'send',
        'URL',
        '--event',
        STATUS_EVENT,
        '--customer-reference',
        'u',
        '--date',
        '2021-01-23T21:43:14Z',
      ],
    ],
    [
      [
        'webhook',
        'send',
        'URL',
        '--event',
        STATUS_EVENT,
        '--customer-reference',
        'u',
        '--date',
        'Mon, 23 Jan 2021 21:43:14 GMT',
      ],
    ],
    [
      [
        'webhook',
        'send',
        'URL',
        '--event',
        STATUS_EVENT,
        '--customer-reference',
        'u',
        '--status',
        'Success!',
      ],
    ],
    [['webhook', 'send', 'URL', '--event', STATUS_EVENT, '--customer-reference', 'u', '--bogus']],
    [
      [
        'webhook',
        'send',
        'URL',
        '--event',
        STATUS_EVENT,
        '--customer-reference',
        'u',
        '--secret',
        'x',
      ],
    ],
    [
      [
        'webhook',
        'send',
        'URL',
        '--event',
        STATUS_EVENT,
        '--customer-reference',
        'u',
        '--api-key',
        'sandbox_publishable_key_0',
      ],
    ],
    [['webhook', 'send', 'not a url', '--event', STATUS_EVENT, '--customer-reference', 'u']],
    [
      [
        'webhook',
        'send',
        'ftp://127.0.0.1/x',
        '--event',
        STATUS_EVENT,
        '--customer-reference',
        'u',
      ],
    ],
  ])('exits 2 without sending for %j', async (args) => {
    const real = args.map((arg) => (arg === 'URL' ? url() : arg));
    const run = await runBuiltCli(real, { env: { FLOW_API_SECRET: generateSecret() } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^cognito-flow: .+\nRun 'cognito-flow (webhook send|webhook) --help' for usage\.\n$/,
    );
    expect(receiver.received).toHaveLength(0);
  });

  it('exits 1 without sending when no secret is configured', async () => {
    const run = await send([url(), '--event', STATUS_EVENT, '--customer-reference', 'u'], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/No API secret/);
    expect(receiver.received).toHaveLength(0);
  });
});
