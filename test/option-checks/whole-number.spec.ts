import { describe, expect, it } from 'vitest';
import { resolveFlowOptions } from '../../lib/config/resolve-flow-options.js';
import { resolveFlowEmulatorOptions } from '../../lib/emulator/flow-emulator-options.js';
import { FlowApiClient, MemoryFlowEventStore } from '../../lib/index.js';
import { createFlowWebhookVerifier } from '../../lib/protocol/index.js';
import { generateSecret } from '../support/test-secrets.js';

const apiSecret = generateSecret();
const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';
const quiet = { warn: () => undefined };

// Every numeric option of every part, with the smallest value it takes and a call that checks
// it: one rule, so each refuses the same values with the same sentence.
const OPTIONS: Array<
  [label: string, minimum: number, check: (value: unknown) => unknown, range?: string]
> = [
  [
    'webhook.maxAttempts',
    1,
    (value) =>
      resolveFlowOptions({ apiSecret, webhook: { maxAttempts: value as number } }, {}, quiet),
  ],
  [
    'api.timeoutMs',
    1,
    (value) =>
      resolveFlowOptions({ apiSecret, apiKey, api: { timeoutMs: value as number } }, {}, quiet),
    // A delay: at most what a Node timer keeps.
    'from 1 to 2147483647 (milliseconds)',
  ],
  [
    'maxRetries',
    0,
    (value) => new FlowApiClient({ apiKey, apiSecret, maxRetries: value as number }),
  ],
  [
    'deliveryTimeoutMs',
    1,
    (value) => resolveFlowEmulatorOptions({ deliveryTimeoutMs: value as number }),
  ],
  [
    'MemoryFlowEventStore maxEntries',
    1,
    (value) => new MemoryFlowEventStore({ maxEntries: value as number }),
  ],
  [
    'toleranceSeconds',
    1,
    (value) =>
      createFlowWebhookVerifier({ secrets: [apiSecret], toleranceSeconds: value as number }),
  ],
];

describe.each(OPTIONS)('%s follows the whole-number rule', (label, minimum, check, given) => {
  const range = given ?? `of at least ${minimum}`;
  it.each([
    [1.5, '1.5'],
    [minimum - 1, String(minimum - 1)],
    [2 ** 53, '9007199254740992'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['5', 'string'],
  ])('refuses %s', (value, shown) => {
    expect(() => check(value)).toThrow(`${label} must be a whole number ${range}. Got ${shown}.`);
  });

  it('accepts the smallest value and a large one', () => {
    expect(() => check(minimum)).not.toThrow();
    expect(() => check(2 ** 31 - 1)).not.toThrow();
  });
});

it('the emulator port has a range, in the same sentence', () => {
  expect(() => resolveFlowEmulatorOptions({ port: 65536 })).toThrow(
    'port must be a whole number from 0 to 65535. Got 65536.',
  );
  expect(() => resolveFlowEmulatorOptions({ port: 0 })).not.toThrow();
});
