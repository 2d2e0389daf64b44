import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createFlowWebhookVerifier } from '../../lib/protocol/index.js';
import { expectValidFlowSignature, startReceiver, type TestReceiver } from './flow-receiver.js';
import { BUILT_CLI, emptyWorkingFolder, runBuiltCli } from './run-built-cli.js';
import { generateSecret } from '../support/test-secrets.js';

/** A running `cognito-flow emulator` child and what it printed. */
interface RunningCli {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Starts the built CLI's emulator and resolves once it says it is running. */
function startCli(args: string[], env: Record<string, string> = {}): Promise<RunningCli> {
  const child = spawn(process.execPath, [BUILT_CLI, 'emulator', ...args], {
    cwd: emptyWorkingFolder(),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No banner in 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve({ child, output: () => output, exited });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`Exited ${code}:\n${output}`)));
  });
}

function setting(output: string, name: string): string {
  const match = new RegExp(`${name}=(\\S+)`).exec(output);
  if (!match) throw new Error(`${name} not printed:\n${output}`);
  return match[1];
}

let running: RunningCli | undefined;
let receiver: TestReceiver | undefined;

afterEach(async () => {
  if (running && running.child.exitCode === null) running.child.kill('SIGTERM');
  await running?.exited;
  await receiver?.close();
  running = undefined;
  receiver = undefined;
});

describe('cognito-flow emulator', () => {
  it('generates development keys, prints what the app needs, and delivers signed webhooks', async () => {
    receiver = await startReceiver();
    const webhookUrl = `http://127.0.0.1:${receiver.port}/webhook_receivers/flow`;
    running = await startCli(['--webhook-url', webhookUrl]);
    const output = running.output();
    const secret = setting(output, 'FLOW_API_SECRET');
    const apiKey = setting(output, 'FLOW_API_KEY');
    expect(secret).toMatch(/^emulator_secret_[0-9a-f]{64}$/);
    expect(apiKey).toMatch(/^emulator_key_[0-9a-f]{32}$/);
    const scriptUrl = setting(output, 'FLOW_SCRIPT_URL');
    expect(scriptUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/flow\.js$/);
    expect(output).toContain(`Webhooks to:   ${webhookUrl}`);
    const origin = new URL(scriptUrl).origin;

    const script = await fetch(scriptUrl);
    expect(script.headers.get('content-type')).toContain('application/javascript');
    expect(await script.text()).toContain(JSON.stringify(origin));

    // What a page does: new Flow({…}).open() with a reference signed by the backend.
    const signature = createHmac('sha256', secret).update('user-7').digest('base64');
    const opened = await fetch(`${origin}/emulator/open`, {
      method: 'POST',
      body: JSON.stringify({
        publishableKey: setting(output, 'FLOW_PUBLISHABLE_KEY'),
        templateId: setting(output, 'FLOW_TEMPLATE_ID'),
        user: { customerReference: 'user-7', signature },
      }),
    });
    expect(opened.status).toBe(201);
    const { session } = (await opened.json()) as { session: { id: string } };
    const passed = await fetch(`${origin}/emulator/sessions/${session.id}/pass`, {
      method: 'POST',
    });
    expect(passed.status).toBe(200);
    expect(receiver.received).toHaveLength(4);
    const verify = createFlowWebhookVerifier({ secrets: [secret], apiKeys: [apiKey] });
    for (const delivery of receiver.received) {
      expect(expectValidFlowSignature(delivery, secret)).toBe(apiKey);
      expect(verify({ ...delivery, rawBody: delivery.body }).data.customer_reference).toBe(
        'user-7',
      );
    }
    await expect
      .poll(() => running?.output() ?? '')
      .toContain(
        'webhook flow_session.status.updated success for user-7: 204 (attempt 1, delivered)',
      );
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });

  it('uses FLOW_API_SECRET without printing it', async () => {
    const secret = generateSecret();
    running = await startCli([], {
      FLOW_API_SECRET: secret,
      FLOW_TEMPLATE_ID: 'flwtmp_fromtheenv0001',
    });
    const output = running.output();
    expect(output).not.toContain(secret);
    expect(output).toContain('FLOW_API_SECRET: from FLOW_API_SECRET (not printed)');
    expect(setting(output, 'FLOW_TEMPLATE_ID')).toBe('flwtmp_fromtheenv0001');
    // Public keys generated beside a sandbox secret share its environment, as FlowModule requires.
    expect(setting(output, 'FLOW_PUBLISHABLE_KEY')).toMatch(
      /^sandbox_publishable_key_[0-9a-f]{32}$/,
    );
  });

  it('refuses a webhook URL off this machine without --allow-remote, starting nothing', async () => {
    const run = await runBuiltCli(['emulator', '--webhook-url', 'https://example.com/hook']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not a loopback address');
    expect(run.stdout).toBe('');
  });

  it.each(['production', ' Production ', 'prod'])(
    'refuses to start under NODE_ENV=%j unless --allow-production',
    async (nodeEnv) => {
      const run = await runBuiltCli(['emulator'], { env: { NODE_ENV: nodeEnv } });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('NODE_ENV names a production environment');
      expect(run.stderr).toContain('--allow-production');
      expect(run.stdout).toBe('');
      running = await startCli(['--allow-production'], { NODE_ENV: nodeEnv });
      expect(running.output()).toContain('Flow emulator running.');
    },
  );

  it('refuses a live secret without printing it', async () => {
    const secret = generateSecret('live');
    const run = await runBuiltCli(['emulator'], { env: { FLOW_API_SECRET: secret } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('keys.apiSecret is a live key');
    expect(`${run.stdout}${run.stderr}`).not.toContain(secret.slice(12));
  });

  it('prints the control token, which lets a client of another origin drive it; --allowed-origins lets a page', async () => {
    running = await startCli([
      '--allowed-origins',
      'http://localhost:5173, https://app.example.com',
    ]);
    const token = /Control token: (\S+)/.exec(running.output())?.[1] ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const origin = new URL(setting(running.output(), 'FLOW_API_BASE_URL')).origin;
    const refused = await fetch(`${origin}/emulator/state`, {
      headers: { Origin: 'https://elsewhere.example' },
    });
    expect(refused.status).toBe(403);
    const allowed = await fetch(`${origin}/emulator/state`, {
      headers: { Origin: 'https://elsewhere.example', 'X-Flow-Emulator-Token': token },
    });
    expect(allowed.status).toBe(200);
    const script = await (await fetch(`${origin}/flow.js`)).text();
    expect(script).not.toContain(token);
    for (const page of ['http://localhost:5173', 'https://app.example.com']) {
      const listed = await fetch(`${origin}/emulator/state`, { headers: { Origin: page } });
      expect(listed.status, page).toBe(200);
      expect(listed.headers.get('access-control-allow-origin')).toBe(page);
    }
    const other = await fetch(`${origin}/emulator/state`, {
      headers: { Origin: 'http://localhost:5174' },
    });
    expect(other.status).toBe(403);
  });

  it('refuses a bad port and unknown options', async () => {
    const port = await runBuiltCli(['emulator', '--port', '70000']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port must be a whole number from 0 to 65535.');
    const unknown = await runBuiltCli(['emulator', '--verbose']);
    expect(unknown.code).toBe(2);
  });
});
