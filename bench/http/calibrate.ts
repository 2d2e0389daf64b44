import { FlowSigner, type FlowEventDispatcher, type FlowWebhookEvent } from '../../lib/index.js';
import { createFlowWebhookVerifier } from '../../lib/protocol/index.js';
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
 * How much memory is walked before each cold call: 4 MiB is past a core's own caches (L1, L2),
 * 32 MiB past the shared L3 too, so the call then starts from main memory (the worst case).
 */
export const EVICTION_BYTES = { l2: 4 * 1024 * 1024, l3: 32 * 1024 * 1024 } as const;
const CACHE_LINE = 64;
let eviction: Uint8Array | undefined;

/**
 * Wall µs per call of `fn` after walking `bytes` of other memory before each call (only the call
 * is timed): what the same work costs when a server runs it between other requests' work.
 */
function coldMicrosPerCall(fn: () => unknown, calls: number, bytes: number): number {
  eviction ??= new Uint8Array(EVICTION_BYTES.l3);
  const end = Math.min(bytes, eviction.length);
  let total = 0n;
  let sink: unknown;
  for (let i = 0; i < calls; i++) {
    for (let j = i % CACHE_LINE; j < end; j += CACHE_LINE) eviction[j]++;
    const start = process.hrtime.bigint();
    sink = fn();
    total += process.hrtime.bigint() - start;
  }
  void sink;
  return Number(total) / calls / 1000;
}

/**
 * The two in-process costs the HTTP budgets are made of, timed in the server process between
 * rounds (same process, same machine state): the guard's prepared verifier on the documented
 * delivery, and one `FlowSigner.sign` (from the app when it has one); each in a hot loop (what the
 * budgets are set from) and after walking other memory before every call (what bounds them in a
 * server, where other requests' work runs between two verifications).
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
  const coldCalls = Math.max(Math.floor(calls / 20), 10);
  return {
    verifyMicros: cpuMicrosPerCall(() => verify(delivery), calls),
    verifyL2Micros: coldMicrosPerCall(() => verify(delivery), coldCalls, EVICTION_BYTES.l2),
    verifyColdMicros: coldMicrosPerCall(() => verify(delivery), coldCalls, EVICTION_BYTES.l3),
    signMicros:
      sign === null
        ? Number.NaN
        : cpuMicrosPerCall(() => sign.sign(EXAMPLE_CUSTOMER_REFERENCE), calls),
    signColdMicros:
      sign === null
        ? Number.NaN
        : coldMicrosPerCall(
            () => sign.sign(EXAMPLE_CUSTOMER_REFERENCE),
            coldCalls,
            EVICTION_BYTES.l3,
          ),
    signL2Micros:
      sign === null
        ? Number.NaN
        : coldMicrosPerCall(
            () => sign.sign(EXAMPLE_CUSTOMER_REFERENCE),
            coldCalls,
            EVICTION_BYTES.l2,
          ),
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
