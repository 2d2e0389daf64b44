import { DataPointType } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { createFlowTelemetry } from '../../lib/telemetry/create-flow-telemetry.js';
import {
  EVENT_PLATFORMS,
  HandlerProbe,
  deliver,
  flowEvent,
  type RunningFlowApp,
  newEventId,
} from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';
import { InMemoryTelemetry, total } from './support/in-memory-telemetry.js';
import { startTelemetryApp } from './support/telemetry-app.js';

// Counters are tallied in the process and observed at collection; these tests hold the tally to
// what a synchronous counter would have reported.

const outcome = (value: string) => ({ 'flow.delivery.outcome': value });

describe.each(EVENT_PLATFORMS.map(([name]) => name))('tallied counters (%s)', (platform) => {
  const secret = generateSecret();
  let telemetry: InMemoryTelemetry | undefined;
  const running: RunningFlowApp[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map(({ app }) => app.close()));
    await telemetry?.close();
    telemetry = undefined;
  });

  it('adds up the deliveries of two apps on one meter, as running totals across collections', async () => {
    telemetry = new InMemoryTelemetry();
    const [first, second] = [
      await startTelemetryApp({ platform, secret, probe: new HandlerProbe() }),
      await startTelemetryApp({ platform, secret, probe: new HandlerProbe() }),
    ];
    running.push(first, second);
    const event = flowEvent(newEventId());
    expect((await deliver(first.baseUrl, secret, event)).status).toBe(200);
    expect((await deliver(second.baseUrl, secret, flowEvent(newEventId()))).status).toBe(200);
    expect((await deliver(first.baseUrl, secret, event)).status).toBe(200);
    expect((await deliver(second.baseUrl, generateSecret(), event)).status).toBe(401);

    let points = await telemetry.points();
    expect(total(points, 'flow.webhook.deliveries', outcome('processed'))).toBe(2);
    expect(total(points, 'flow.webhook.deliveries', outcome('duplicate'))).toBe(1);
    expect(total(points, 'flow.webhook.refusals')).toBe(1);
    // One point per attribute set, whichever app counted it.
    const processed = points.filter(
      (point) =>
        point.metric === 'flow.webhook.deliveries' &&
        point.attributes['flow.delivery.outcome'] === 'processed',
    );
    expect(processed).toHaveLength(1);
    expect(processed[0].kind).toBe(DataPointType.SUM);

    expect((await deliver(second.baseUrl, secret, flowEvent(newEventId()))).status).toBe(200);
    points = await telemetry.points();
    expect(total(points, 'flow.webhook.deliveries', outcome('processed'))).toBe(3);
    expect(total(points, 'flow.webhook.deliveries', outcome('duplicate'))).toBe(1);
  });
});

describe('a tallied counter past its cap', () => {
  let telemetry: InMemoryTelemetry | undefined;
  afterEach(async () => {
    await telemetry?.close();
    telemetry = undefined;
  });

  it('keeps 256 attribute sets and counts the rest under otel.metric.overflow', async () => {
    telemetry = new InMemoryTelemetry();
    const recorder = createFlowTelemetry();
    expect(recorder.enabled).toBe(true);
    for (let reason = 0; reason < 300; reason++) recorder.refused(`reason_${reason}`);
    for (let again = 0; again < 5; again++) recorder.refused('reason_0');
    for (let again = 0; again < 3; again++) recorder.refused('reason_299');

    const refusals = (await telemetry.points()).filter(
      (point) => point.metric === 'flow.webhook.refusals',
    );
    expect(refusals).toHaveLength(257);
    const byReason = new Map(
      refusals.map((point) => [point.attributes['flow.refusal.reason'], point.value]),
    );
    expect(byReason.get('reason_0')).toBe(6);
    expect(byReason.get('reason_255')).toBe(1);
    expect(byReason.has('reason_256')).toBe(false);
    const overflow = refusals.find((point) => point.attributes['otel.metric.overflow'] === true);
    expect(overflow?.value).toBe(44 + 3);
    expect(total(refusals, 'flow.webhook.refusals')).toBe(308);
  });
});
