import 'reflect-metadata';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo, Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { describeEmulatorAttempt } from '../../lib/cli/emulator-command.js';
import { startFlowEmulator, type FlowEmulator } from '../../lib/emulator/index.js';
import { FlowModule } from '../../lib/index.js';
import { startReceiver, type TestReceiver } from '../cli/flow-receiver.js';
import { EVENT_PLATFORMS, RECEIVER_PATH } from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';

let emulator: FlowEmulator | undefined;
let app: INestApplication | undefined;
let receiver: TestReceiver | undefined;
afterEach(async () => {
  await emulator?.close();
  await app?.close();
  await receiver?.close();
  emulator = app = receiver = undefined;
});

async function settled(target: FlowEmulator, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (target.deliveries.some((d) => d.state === 'pending' || d.state === 'retrying')) {
    if (performance.now() > end) throw new Error('deliveries still retrying');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(EVENT_PLATFORMS)(
  'the emulator against an app with a global prefix (%s)',
  (_, adapter) => {
    it('does not retry a 404, hints at the prefix, and delivers to the URL it suggests', async () => {
      @Module({
        imports: [FlowModule.forRoot({ apiSecret: secret, webhook: { path: RECEIVER_PATH } })],
      })
      class AppModule {}
      app = await NestFactory.create(AppModule, adapter(), { rawBody: true, logger: false });
      app.setGlobalPrefix('api');
      await app.listen(0, '127.0.0.1');
      const origin = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;

      emulator = await startFlowEmulator({
        keys: { apiSecret: secret, apiKey },
        webhookUrl: `${origin}/${RECEIVER_PATH}`,
        steps: [],
        retryDelaysMs: [20, 20, 20],
      });
      await emulator.pass('user-1');
      await settled(emulator);
      // Wait past every retry pause: no further attempt may come.
      await new Promise((resolve) => setTimeout(resolve, 150));
      const [missed] = emulator.deliveries;
      expect(missed.state).toBe('failed');
      expect(missed.attempts.map((attempt) => attempt.status)).toStrictEqual([404]);
      const hint = missed.attempts[0].hint ?? '';
      expect(hint).toContain(`no route at /${RECEIVER_PATH}`);
      expect(hint).toContain('not retried');
      expect(hint).toContain('app.setGlobalPrefix');
      expect(hint).toContain(`${origin}/api/${RECEIVER_PATH}`);
      // The CLI's line for the attempt carries the hint.
      expect(describeEmulatorAttempt(missed)).toContain(
        `404 (attempt 1, failed) The receiver has no route at /${RECEIVER_PATH}`,
      );

      emulator.setWebhookUrl(`${origin}/api/${RECEIVER_PATH}`);
      await emulator.pass('user-2');
      await settled(emulator);
      const delivered = emulator.deliveries.filter((d) => d.customerReference === 'user-2');
      expect(delivered.map((d) => [d.state, d.attempts[0].status])).toStrictEqual([
        ['delivered', 200],
      ]);
      expect(delivered[0].attempts[0].hint).toBe(undefined);
    });
  },
);

describe('the emulator still retries other refusals', () => {
  it('retries a 500 on the full schedule without a hint', async () => {
    receiver = await startReceiver();
    receiver.answers.push(500, 500);
    emulator = await startFlowEmulator({
      keys: { apiSecret: secret, apiKey },
      webhookUrl: `http://127.0.0.1:${receiver.port}/${RECEIVER_PATH}`,
      steps: [],
      retryDelaysMs: [20, 20],
    });
    await emulator.pass('user-3');
    await settled(emulator);
    const [delivery] = emulator.deliveries;
    expect(delivery.attempts.map((attempt) => attempt.status)).toStrictEqual([500, 500, 204]);
    expect(delivery.attempts.every((attempt) => attempt.hint === undefined)).toBe(true);
  });
});
