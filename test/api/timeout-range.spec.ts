import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FlowApiClient,
  FlowConfigurationError,
  FlowModule,
  RedisFlowEventStore,
  type FlowApiClientOptions,
} from '../../lib/index.js';
import { generateSecret } from '../support/test-secrets.js';
import { startFlowApiStandIn, type FlowApiStandIn } from './support/flow-api-stand-in.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';
/** Node's timers hold at most 2^31 - 1 ms; a longer delay fires after 1 ms. */
const LARGEST = 2 ** 31 - 1;
let api: FlowApiStandIn;

beforeAll(async () => {
  api = await startFlowApiStandIn({ secret, apiKey });
});
afterAll(() => api.close());

async function startUpError(timeoutMs: number): Promise<FlowConfigurationError> {
  const attempt = Test.createTestingModule({
    imports: [FlowModule.forRoot({ apiSecret: secret, apiKey, api: { timeoutMs } })],
  }).compile();
  const error = await attempt.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FlowConfigurationError);
  return error as FlowConfigurationError;
}

describe('API timeouts are held to the range a timer can keep', () => {
  it.each([2 ** 31, 2 ** 40, 0, 1.5])(
    'api.timeoutMs %s stops start-up, naming the option and the range',
    async (value) => {
      const error = await startUpError(value);
      expect(error.code).toBe('invalid_option');
      expect(error.message).toContain(`api.timeoutMs must be a whole number from 1 to ${LARGEST}`);
    },
  );

  it.each(['timeoutMs', 'backoffBaseMs', 'backoffMaxMs', 'retryAfterMaxMs'] as const)(
    'new FlowApiClient refuses %s over 2^31 - 1, naming it and the range',
    (option) => {
      const options: FlowApiClientOptions = { apiKey, apiSecret: secret, [option]: 2 ** 31 };
      expect(() => new FlowApiClient(options)).toThrow(
        new RegExp(
          `^${option} must be a whole number from \\d to ${LARGEST} \\(milliseconds\\)\\.`,
        ),
      );
    },
  );

  it('the largest timeout is usable: a call succeeds rather than timing out', async () => {
    const module = await Test.createTestingModule({
      imports: [
        FlowModule.forRoot({
          apiSecret: secret,
          apiKey,
          apiBaseUrl: api.baseUrl,
          api: { timeoutMs: LARGEST, maxRetries: 0 },
        }),
      ],
    }).compile();
    const client = module.get(FlowApiClient);
    api.sessions.set('flwses_slow1', { id: 'flwses_slow1', status: 'active' });
    const started = Date.now();
    await expect(client.getFlowSession('flwses_slow1')).resolves.toMatchObject({
      id: 'flwses_slow1',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    await module.close();
  });

  it('a Redis event store refuses a timeoutMs over 2^31 - 1 when it is built, before any call', () => {
    expect(
      () => new RedisFlowEventStore({ url: 'redis://127.0.0.1:1', timeoutMs: 2 ** 31 }),
    ).toThrow(`RedisFlowEventStore timeoutMs must be a whole number from 1 to ${LARGEST}`);
    expect(() => new RedisFlowEventStore({ url: 'redis://127.0.0.1:1', timeoutMs: 0 })).toThrow(
      TypeError,
    );
  });
});
