import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryFlowEventStore, type FlowWebhookOptions } from '../../lib/index.js';
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
import { InMemoryTelemetry, deliveries, operations } from './support/in-memory-telemetry.js';
import { startTelemetryApp } from './support/telemetry-app.js';

/** The `flow.delivery.outcome` of each delivery span, in the order they ended. */
function spanOutcomes(spans: ReadableSpan[]): unknown[] {
  return spans
    .filter((span) => span.name === 'flow.webhook.delivery')
    .map((span) => span.attributes['flow.delivery.outcome']);
}

describe.each(EVENT_PLATFORMS.map(([name]) => name))(
  'telemetry of delivery outcomes (%s)',
  (platform) => {
    const secret = generateSecret();
    let telemetry: InMemoryTelemetry;
    let running: RunningFlowApp | undefined;
    let probe: HandlerProbe;

    let releaseHandler = (): void => undefined;
    /** Makes the handler wait until `releaseHandler()`. */
    function holdHandler(): void {
      const held = new Promise<void>((resolve) => (releaseHandler = resolve));
      probe.behaviour = () => held;
    }

    beforeEach(() => {
      telemetry = new InMemoryTelemetry();
      probe = new HandlerProbe();
    });
    afterEach(async () => {
      // A test that failed while a handler was held must still let the app shut down.
      releaseHandler();
      await running?.app.close();
      running = undefined;
      await telemetry.close();
    });

    async function start(webhook: Omit<FlowWebhookOptions, 'path' | 'store'>): Promise<string> {
      const store = new MemoryFlowEventStore();
      running = await startTelemetryApp({ platform, secret, probe, store, webhook });
      return running.baseUrl;
    }

    it('counts a poison event dead-lettered at maxAttempts once, with the store operations it made', async () => {
      const deadLetters: Array<[string, number]> = [];
      const baseUrl = await start({
        maxAttempts: 2,
        onDeadLetter: (event, _error, attempts) => void deadLetters.push([event.id, attempts]),
      });
      probe.behaviour = () => {
        throw new Error('poison');
      };
      const event = flowEvent(newEventId());
      expect((await deliver(baseUrl, secret, event)).status).toBe(500);
      const last = await deliver(baseUrl, secret, event);
      expect([last.status, JSON.parse(last.body)]).toEqual([200, { outcome: 'dead_lettered' }]);
      expect(deadLetters).toEqual([[event.id, 2]]);

      const points = await telemetry.points();
      expect(deliveries(points)).toEqual({
        [`${STATUS_UPDATED} failed`]: 1,
        [`${STATUS_UPDATED} dead_letter`]: 1,
      });
      // Both tries claimed and counted a failure; the first released its claim for the retry, the
      // second marked the id done so Cognito's next retry is a duplicate.
      expect(operations(points)).toEqual({
        'memory claim ok': 2,
        'memory record_failure ok': 2,
        'memory release ok': 1,
        'memory complete ok': 1,
      });
      expect(probe.calls.get(event.id)).toBe(2);

      const spans = telemetry.finishedSpans();
      expect(spanOutcomes(spans)).toEqual(['failed', 'dead_letter']);
      const deadLettered = spans.filter((span) => span.name === 'flow.webhook.delivery')[1];
      // Acknowledged with 200: not an error for the operator's trace view.
      expect(deadLettered.status.code).not.toBe(SpanStatusCode.ERROR);
    });

    it('counts a delivery whose claim another delivery of the same id holds as in_progress', async () => {
      const baseUrl = await start({});
      holdHandler();
      const event = flowEvent(newEventId());
      const first = deliver(baseUrl, secret, event);
      await expect.poll(() => probe.calls.get(event.id), { timeout: 5000 }).toBe(1);

      const second = await deliver(baseUrl, secret, event);
      expect(second.status).toBe(409);
      expect(JSON.parse(second.body)).toMatchObject({ outcome: 'in_progress' });
      expect(Number(second.retryAfter)).toBeGreaterThanOrEqual(1);
      const whileHeld = await telemetry.points();
      expect(deliveries(whileHeld)).toEqual({ [`${STATUS_UPDATED} in_progress`]: 1 });

      releaseHandler();
      expect((await first).status).toBe(200);
      const points = await telemetry.points();
      expect(deliveries(points)).toEqual({
        [`${STATUS_UPDATED} in_progress`]: 1,
        [`${STATUS_UPDATED} processed`]: 1,
      });
      // The refused claim is still an answered store operation: two claims, one completion.
      expect(operations(points)).toEqual({ 'memory claim ok': 2, 'memory complete ok': 1 });
      expect(probe.calls.get(event.id)).toBe(1);

      const spans = telemetry.finishedSpans();
      expect(spanOutcomes(spans)).toEqual(['in_progress', 'processed']);
      const busy = spans.find((span) => span.attributes['flow.delivery.outcome'] === 'in_progress');
      // No handler ran under the refused delivery: only verification and the claim.
      const children = spans.filter(
        (span) => span.parentSpanContext?.spanId === busy?.spanContext().spanId,
      );
      expect(children.map((span) => span.name).sort()).toEqual([
        'flow.store.claim',
        'flow.webhook.verify',
      ]);
    });

    it('counts the renewals of a claim held by a handler longer than a third of the lease', async () => {
      // The shortest lease the module accepts: a renewal every 333 ms while a handler runs.
      const baseUrl = await start({ leaseMs: 1000 });
      const quick = flowEvent(newEventId());
      expect((await deliver(baseUrl, secret, quick)).status).toBe(200);
      // A handler that returns at once never waits for a renewal.
      expect(operations(await telemetry.points())).toEqual({
        'memory claim ok': 1,
        'memory complete ok': 1,
      });

      holdHandler();
      const slow = deliver(baseUrl, secret, flowEvent(newEventId()));
      const renewals = async (): Promise<number> =>
        operations(await telemetry.points())['memory renew ok'] ?? 0;
      await expect.poll(renewals, { timeout: 5000, interval: 50 }).toBeGreaterThanOrEqual(2);
      releaseHandler();
      expect((await slow).status).toBe(200);

      const points = await telemetry.points();
      const { 'memory renew ok': renewed, ...others } = operations(points);
      expect(renewed).toBeGreaterThanOrEqual(2);
      expect(others).toEqual({ 'memory claim ok': 2, 'memory complete ok': 2 });
      expect(deliveries(points)).toEqual({ [`${STATUS_UPDATED} processed`]: 2 });
    });
  },
);
