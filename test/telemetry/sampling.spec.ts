import {
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SamplingResult,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryFlowEventStore } from '../../lib/index.js';
import {
  EVENT_PLATFORMS,
  HandlerProbe,
  deliver,
  flowEvent,
  type RunningFlowApp,
  STATUS_UPDATED,
  newEventId,
} from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';
import { InMemoryTelemetry, total, type TracingSetup } from './support/in-memory-telemetry.js';
import { startTelemetryApp } from './support/telemetry-app.js';

/** Samples nothing and notes the name of every span it was asked about. */
class RefusingSampler implements Sampler {
  readonly asked: string[] = [];
  shouldSample(_context: unknown, _traceId: string, name: string): SamplingResult {
    this.asked.push(name);
    return { decision: SamplingDecision.NOT_RECORD };
  }
  toString(): string {
    return 'RefusingSampler';
  }
}

describe.each(EVENT_PLATFORMS.map(([name]) => name))('telemetry sampling (%s)', (platform) => {
  const secret = generateSecret();
  let telemetry: InMemoryTelemetry | undefined;
  let running: RunningFlowApp | undefined;

  afterEach(async () => {
    await running?.app.close();
    running = undefined;
    await telemetry?.close();
    telemetry = undefined;
  });

  async function start(tracing: TracingSetup): Promise<string> {
    telemetry = new InMemoryTelemetry(true, tracing);
    const probe = new HandlerProbe();
    running = await startTelemetryApp({
      platform,
      secret,
      probe,
      store: new MemoryFlowEventStore(),
    });
    return running.baseUrl;
  }

  it('counts every metric with a MeterProvider alone, no TracerProvider registered', async () => {
    const baseUrl = await start({ traces: false });
    expect((await deliver(baseUrl, secret, flowEvent(newEventId()))).status).toBe(200);

    const points = await telemetry!.points();
    const delivered = { 'flow.event.name': STATUS_UPDATED, 'flow.delivery.outcome': 'processed' };
    expect(total(points, 'flow.webhook.deliveries', delivered)).toBe(1);
    expect(
      total(points, 'flow.webhook.handler.duration', { 'flow.event.name': STATUS_UPDATED }),
    ).toBe(1);
    expect(total(points, 'flow.webhook.delivery.lag', { 'flow.event.name': STATUS_UPDATED })).toBe(
      1,
    );
    const ok = { 'flow.store.kind': 'memory', 'flow.store.outcome': 'ok' };
    expect(total(points, 'flow.store.operations', { ...ok, 'flow.store.operation': 'claim' })).toBe(
      1,
    );
    expect(
      total(points, 'flow.store.operations', { ...ok, 'flow.store.operation': 'complete' }),
    ).toBe(1);
  });

  it('asks the sampler once per delivery and starts no child of a delivery it left out', async () => {
    const sampler = new RefusingSampler();
    const baseUrl = await start({ sampler });
    expect((await deliver(baseUrl, secret, flowEvent(newEventId()))).status).toBe(200);
    expect((await deliver(baseUrl, secret, flowEvent(newEventId()))).status).toBe(200);

    expect(sampler.asked).toEqual(['flow.webhook.delivery', 'flow.webhook.delivery']);
    expect(telemetry!.finishedSpans()).toEqual([]);
    const points = await telemetry!.points();
    expect(total(points, 'flow.webhook.deliveries', { 'flow.delivery.outcome': 'processed' })).toBe(
      2,
    );
  });

  it('exports whole span trees only, under a parent-based ratio sampler', async () => {
    const baseUrl = await start({
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.5) }),
    });
    const deliveries = 24;
    for (let index = 0; index < deliveries; index++) {
      expect((await deliver(baseUrl, secret, flowEvent(newEventId()))).status).toBe(200);
    }

    const spans = telemetry!.finishedSpans();
    const byTrace = new Map<string, string[]>();
    for (const span of spans) {
      const names = byTrace.get(span.spanContext().traceId) ?? [];
      names.push(span.name);
      byTrace.set(span.spanContext().traceId, names);
    }
    // With 24 deliveries at one in two, none sampled or all sampled has odds of 2 in 16 million.
    expect(byTrace.size).toBeGreaterThan(0);
    expect(byTrace.size).toBeLessThan(deliveries);
    for (const names of byTrace.values()) {
      expect(names.sort()).toEqual(
        [
          'flow.handler StatusHandler.onStatus',
          'flow.store.claim',
          'flow.store.complete',
          'flow.webhook.delivery',
          'flow.webhook.verify',
        ].sort(),
      );
    }
    const points = await telemetry!.points();
    expect(total(points, 'flow.webhook.deliveries')).toBe(deliveries);
  });
});
