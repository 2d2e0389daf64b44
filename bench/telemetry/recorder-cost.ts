// Per-delivery CPU of the telemetry calls alone, without HTTP: every call one delivery through
// the built-in receiver makes, timed with tinybench against each SDK set-up of the benchmark.
//   node bench/.out/bench/telemetry/recorder-cost.js <off|metrics|traces|ratio> [milliseconds]
// (after `npm run bench -- --quick` or `npx tsc -p bench/tsconfig.json` has compiled it).
import { Bench } from 'tinybench';
import { DeliveryTrace } from '../../lib/events/delivery-trace.js';
import { createFlowTelemetry } from '../../lib/telemetry/create-flow-telemetry.js';
import type { FlowTelemetry } from '../../lib/telemetry/flow-telemetry.js';
import type { FlowWebhookEvent } from '../../lib/verifier/flow-webhook-event.js';
import { registerBenchSdk } from './bench-sdk.js';

type Scenario = 'off' | 'metrics' | 'traces' | 'ratio';

const event = {
  id: 'evt_0001',
  event: 'flow_session.completed',
  timestamp: new Date().toISOString(),
} as unknown as FlowWebhookEvent;

/** Every telemetry call one delivery through the built-in receiver makes, in order. */
async function delivery(telemetry: FlowTelemetry, request: object): Promise<void> {
  const span = telemetry.startDelivery();
  const verify = span.child('flow.webhook.verify');
  verify.end();
  telemetry.handOver(request, span);
  const traced = DeliveryTrace.begin(telemetry, event, request, 'memory');
  await traced.step('flow.store.claim', () => {
    telemetry.storeOperation('memory', 'claim', true);
    return Promise.resolve();
  });
  traced.claimed(event);
  const done = traced.watch?.('handleCompleted');
  done?.();
  await traced.step('flow.store.complete', () => {
    telemetry.storeOperation('memory', 'complete', true);
    return Promise.resolve();
  });
  traced.end({ outcome: 'processed', status: 200 } as never);
}

const scenario = (process.argv[2] ?? 'metrics') as Scenario;
if (scenario !== 'off') registerBenchSdk(scenario);
const telemetry = createFlowTelemetry(scenario !== 'off');
const bench = new Bench({ time: Number(process.argv[3] ?? 3000), warmupTime: 1000 });
bench.add(scenario, () => delivery(telemetry, {}));
await bench.run();
const result = bench.tasks[0].result as { latency?: { mean: number; p50?: number } };
console.log(
  JSON.stringify({
    scenario,
    meanMicros: (result.latency?.mean ?? NaN) * 1000,
    p50: (result.latency?.p50 ?? NaN) * 1000,
  }),
);
