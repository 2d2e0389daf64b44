import {
  FlowSigner,
  createFlowWebhookVerifier,
  type FlowEventDispatcher,
  type FlowWebhookEvent,
} from '../../lib/index.js';
import { EXAMPLE_CUSTOMER_REFERENCE } from '../../test/fixtures/flow-protocol.js';
import { BENCH_KEY_ID, BENCH_SECRET, EXAMPLE_BODY, signedDelivery } from '../support/deliveries.js';
import type { CalibrationAnswer } from './server-spec.js';

/** CPU µs per call of `fn` over `calls` calls (after a warm-up), from `process.cpuUsage()`. */
function cpuMicrosPerCall(fn: () => unknown, calls: number): number {
  let sink: unknown;
  for (let i = 0; i < calls / 2; i++) sink = fn();
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
export function calibrate(
  signer: FlowSigner | undefined,
  calls = 20_000,
): Omit<CalibrationAnswer, 'dispatchMicros'> {
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

let calibrationEvents = 0;

/**
 * CPU µs of one `FlowEventDispatcher.dispatch` of a new event, in the receiver's own process with
 * its own store and handlers (claim, handler, complete, lease timer): the receiver's share that is
 * not verification. Each event has a new id, as in the HTTP load.
 */
export async function calibrateDispatch(
  dispatcher: FlowEventDispatcher,
  template: FlowWebhookEvent,
  calls = 5_000,
): Promise<number> {
  const run = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const id = `whkevt_cal${String(calibrationEvents++).padStart(11, '0')}`;
      const result = await dispatcher.dispatch({ ...template, id });
      if (result.outcome !== 'processed')
        throw new Error(`calibration: dispatch answered ${result.outcome}`);
    }
  };
  await run(calls / 10);
  const before = process.cpuUsage();
  await run(calls);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}
