import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EVENT_PLATFORMS,
  HandlerProbe,
  RECEIVER_PATH,
  handlerModule,
  startFlowApp,
  type RunningFlowApp,
} from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';
import { runBuiltCli } from './run-built-cli.js';

const STATUS_EVENT = 'flow_session.status.updated';

// The tool's deliveries against the module's own receiver: what the CLI signs, FlowModule accepts.
describe.each(EVENT_PLATFORMS.map(([name]) => name))(
  'webhook send to the FlowModule receiver (%s)',
  (platform) => {
    const secret = generateSecret();
    const probe = new HandlerProbe();
    let running: RunningFlowApp;
    beforeAll(async () => {
      running = await startFlowApp({ platform, secret, hostModules: [handlerModule(probe)] });
    });
    afterAll(async () => {
      await running.app.close();
    });
    const receiver = () => `${running.baseUrl}/${RECEIVER_PATH}`;

    it('is accepted and processed once, however often the same event id is delivered', async () => {
      const run = await runBuiltCli(
        [
          'webhook',
          'send',
          receiver(),
          '--event',
          STATUS_EVENT,
          '--customer-reference',
          'user-9',
          '--repeat',
          '3',
          '--event-id',
          `whkevt_${platform}once`,
        ],
        { env: { FLOW_API_SECRET: secret } },
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/3\/3 deliveries answered 2xx/);
      expect(probe.calls.get(`whkevt_${platform}once`)).toBe(1);
      // Each line ends with what the receiver said it did: processed once, then duplicates.
      const outcomes = run.stdout
        .split('\n')
        .filter((line) => line.startsWith('['))
        .map((line) => /^\[(\d)\/3\] whkevt_\w+ 200 OK in [\d.]+ ms: (\w+)$/.exec(line)?.slice(1));
      expect(outcomes).toStrictEqual([
        ['1', 'processed'],
        ['2', 'duplicate'],
        ['3', 'duplicate'],
      ]);
    });

    it('gives each delivery a fresh event id by default, each processed', async () => {
      const before = probe.totalCalls;
      const run = await runBuiltCli(
        [
          'webhook',
          'send',
          receiver(),
          '--event',
          STATUS_EVENT,
          '--customer-reference',
          'user-9',
          '--repeat',
          '2',
        ],
        {
          env: { FLOW_API_SECRET: secret },
        },
      );
      expect(run.code).toBe(0);
      expect(probe.totalCalls).toBe(before + 2);
    });

    it('exits 1 when the receiver refuses: another secret, or a Date outside the window', async () => {
      const before = probe.totalCalls;
      const wrongSecret = await runBuiltCli(
        ['webhook', 'send', receiver(), '--event', STATUS_EVENT, '--customer-reference', 'user-9'],
        {
          env: { FLOW_API_SECRET: generateSecret() },
        },
      );
      expect(wrongSecret.code).toBe(1);
      expect(wrongSecret.stdout).toMatch(/\[1\/1\] whkevt_\w+ 4\d\d /);

      const stale = await runBuiltCli(
        [
          'webhook',
          'send',
          receiver(),
          '--event',
          STATUS_EVENT,
          '--customer-reference',
          'user-9',
          '--date',
          'Sat, 23 Jan 2021 21:43:14 GMT',
        ],
        { env: { FLOW_API_SECRET: secret } },
      );
      expect(stale.code).toBe(1);
      expect(stale.stdout).toMatch(/\[1\/1\] whkevt_\w+ 4\d\d /);
      expect(probe.totalCalls).toBe(before);
    });
  },
);
