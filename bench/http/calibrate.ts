import { FlowSigner, createFlowWebhookVerifier } from '../../lib/index.js';
import { EXAMPLE_CUSTOMER_REFERENCE } from '../../test/fixtures/flow-protocol.js';
import { BENCH_KEY_ID, BENCH_SECRET, EXAMPLE_BODY, signedDelivery } from '../support/deliveries.js';
import type { CalibrationAnswer } from './server-spec.js';

/** CPU µs per call of `fn` over `calls` calls (after a warm-up), from `process.cpuUsage()`. */
function cpuMicrosPerCall(fn: () => unknown, calls: number): number {
  let sink: unknown;
  for (let i = 0; i < calls / 10; i++) sink = fn();
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) sink = fn();
  const used = process.cpuUsage(before);
  void sink;
  return (used.user + used.system) / calls;
}

/**
 * The two in-process costs the HTTP budgets are made of, timed in the server process between
 * rounds (same process, same machine state): the guard's prepared verifier on the documented
 * delivery, and one `FlowSigner.sign` (from the app when it has one).
 */
export function calibrate(signer: FlowSigner | undefined, calls = 20_000): CalibrationAnswer {
  const delivery = signedDelivery(EXAMPLE_BODY);
  const verify = createFlowWebhookVerifier({
    secrets: [BENCH_SECRET],
    apiKeys: [BENCH_KEY_ID],
    now: () => delivery.signedAt,
  });
  if (verify(delivery).id === undefined)
    throw new Error('calibration: the delivery did not verify');
  const sign = signer ?? null;
  return {
    verifyMicros: cpuMicrosPerCall(() => verify(delivery), calls),
    signMicros:
      sign === null
        ? Number.NaN
        : cpuMicrosPerCall(() => sign.sign(EXAMPLE_CUSTOMER_REFERENCE), calls),
  };
}
