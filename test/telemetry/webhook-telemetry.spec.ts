import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlowEventStoreUnavailableError, MemoryFlowEventStore } from '../../lib/index.js';
import { signFlowWebhook } from '../../lib/testing/index.js';
import { EXAMPLE_WEBHOOK } from '../fixtures/flow-protocol.js';
import {
  EVENT_PLATFORMS,
  HandlerProbe,
  RECEIVER_PATH,
  deliver,
  flowEvent,
  type RunningFlowApp,
  STATUS_UPDATED,
  newEventId,
} from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';
import { InMemoryTelemetry, total, type Point } from './support/in-memory-telemetry.js';
import { HOST_ROUTE, startTelemetryApp } from './support/telemetry-app.js';

const HANDLER = 'StatusHandler.onStatus';

/** Sends raw headers and body to the receiver, as a forger would. */
async function post(
  baseUrl: string,
  headers: Record<string, string>,
  body: string,
): Promise<number> {
  const response = await fetch(`${baseUrl}/${RECEIVER_PATH}`, { method: 'POST', headers, body });
  await response.text();
  return response.status;
}

function childrenOf(spans: ReadableSpan[], parent: ReadableSpan): ReadableSpan[] {
  return spans.filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);
}

describe.each(EVENT_PLATFORMS.map(([name]) => name))('telemetry of deliveries (%s)', (platform) => {
  const secret = generateSecret();
  let telemetry: InMemoryTelemetry;
  let running: RunningFlowApp | undefined;
  let probe: HandlerProbe;

  beforeEach(() => {
    telemetry = new InMemoryTelemetry();
    probe = new HandlerProbe();
  });
  afterEach(async () => {
    await running?.app.close();
    running = undefined;
    await telemetry.close();
  });

  async function start(store = new MemoryFlowEventStore()): Promise<string> {
    running = await startTelemetryApp({ platform, secret, probe, store });
    return running.baseUrl;
  }

  it('counts a processed delivery and its duplicate, with handler time, lag and store operations', async () => {
    const baseUrl = await start();
    const event = {
      ...flowEvent(newEventId()),
      timestamp: new Date(Date.now() - 120_000).toISOString(),
    };
    expect((await deliver(baseUrl, secret, event)).status).toBe(200);
    expect(JSON.parse((await deliver(baseUrl, secret, event)).body)).toEqual({
      outcome: 'duplicate',
    });

    const points = await telemetry.points();
    const deliveries = points.filter((point) => point.metric === 'flow.webhook.deliveries');
    expect(deliveries.map((point) => [point.attributes, point.value, point.unit])).toEqual(
      expect.arrayContaining([
        [
          { 'flow.event.name': STATUS_UPDATED, 'flow.delivery.outcome': 'processed' },
          1,
          '{delivery}',
        ],
        [
          { 'flow.event.name': STATUS_UPDATED, 'flow.delivery.outcome': 'duplicate' },
          1,
          '{delivery}',
        ],
      ]),
    );
    expect(deliveries).toHaveLength(2);

    const handler = only(points, 'flow.webhook.handler.duration');
    expect(handler).toMatchObject({
      kind: DataPointType.HISTOGRAM,
      unit: 's',
      value: 1,
      attributes: { 'flow.event.name': STATUS_UPDATED, 'flow.handler.name': HANDLER },
    });
    const lag = only(points, 'flow.webhook.delivery.lag');
    expect(lag).toMatchObject({
      unit: 's',
      value: 1,
      attributes: { 'flow.event.name': STATUS_UPDATED },
    });
    // The event was stamped two minutes ago; the run takes far less than a minute more.
    expect(lag.sum).toBeGreaterThanOrEqual(120);
    expect(lag.sum).toBeLessThan(180);

    const kind = { 'flow.store.kind': 'memory', 'flow.store.outcome': 'ok' };
    const ops = (operation: string): number =>
      total(points, 'flow.store.operations', { ...kind, 'flow.store.operation': operation });
    expect(ops('claim')).toBe(2);
    expect(ops('complete')).toBe(1);
    expect(total(points, 'flow.webhook.refusals')).toBe(0);
  });

  it('traces a delivery: verify, claim, each handler and complete under one delivery span', async () => {
    const baseUrl = await start();
    const event = flowEvent(newEventId());
    expect((await deliver(baseUrl, secret, event)).status).toBe(200);

    const spans = telemetry.finishedSpans();
    const delivery = spans.find((span) => span.name === 'flow.webhook.delivery');
    expect(delivery?.kind).toBe(SpanKind.INTERNAL);
    expect(delivery?.attributes).toEqual({
      'flow.event.name': STATUS_UPDATED,
      'flow.event.id': event.id,
      'flow.delivery.outcome': 'processed',
    });
    expect(delivery?.instrumentationScope.name).toBe('nestjs-cognito-flow');
    const children = childrenOf(spans, delivery!);
    expect(children.map((span) => span.name).sort()).toEqual(
      [
        'flow.handler StatusHandler.onStatus',
        'flow.store.claim',
        'flow.store.complete',
        'flow.webhook.verify',
      ].sort(),
    );
    for (const child of children) {
      expect(child.spanContext().traceId).toBe(delivery!.spanContext().traceId);
    }
    const handler = children.find((span) => span.name.startsWith('flow.handler'));
    expect(handler?.attributes).toEqual({
      'flow.event.name': STATUS_UPDATED,
      'flow.handler.name': HANDLER,
    });
    expect(children.find((span) => span.name === 'flow.store.claim')?.attributes).toEqual({
      'flow.store.kind': 'memory',
    });
    // In order: verified before claimed, the handler after the claim, completed last.
    const startOf = (name: string): number => {
      const [seconds, nanos] = children.find((span) => span.name === name)!.startTime;
      return seconds * 1e9 + nanos;
    };
    expect(startOf('flow.webhook.verify')).toBeLessThanOrEqual(startOf('flow.store.claim'));
    expect(startOf('flow.store.claim')).toBeLessThanOrEqual(startOf(handler!.name));
    expect(startOf(handler!.name)).toBeLessThanOrEqual(startOf('flow.store.complete'));
  });

  it('counts a failing handler as failed and marks its span with the error class, not its message', async () => {
    const baseUrl = await start();
    probe.behaviour = () => {
      throw new TypeError('customer ada.lovelace@example.org broke it');
    };
    expect((await deliver(baseUrl, secret, flowEvent(newEventId()))).status).toBe(500);
    const points = await telemetry.points();
    expect(total(points, 'flow.webhook.deliveries', { 'flow.delivery.outcome': 'failed' })).toBe(1);
    expect(total(points, 'flow.store.operations', { 'flow.store.operation': 'release' })).toBe(1);
    expect(
      total(points, 'flow.store.operations', { 'flow.store.operation': 'record_failure' }),
    ).toBe(1);
    const spans = telemetry.finishedSpans();
    const handler = spans.find((span) => span.name === `flow.handler ${HANDLER}`);
    expect(handler?.status.code).toBe(SpanStatusCode.ERROR);
    expect(handler?.attributes['error.type']).toBe('TypeError');
    expect(JSON.stringify(handler?.status)).not.toContain('ada.lovelace');
    const delivery = spans.find((span) => span.name === 'flow.webhook.delivery');
    expect(delivery?.status.code).toBe(SpanStatusCode.ERROR);
    expect(delivery?.attributes['flow.delivery.outcome']).toBe('failed');
  });

  it('counts refusals under the verifier reason codes, each with a failed delivery span', async () => {
    const baseUrl = await start();
    const body = JSON.stringify(flowEvent(newEventId()));
    const forged = signFlowWebhook({ secret: generateSecret(), path: `/${RECEIVER_PATH}`, body });
    const { 'content-length': _a, ...forgedHeaders } = forged;
    expect(await post(baseUrl, forgedHeaders, body)).toBe(401);
    const {
      authorization: _b,
      'content-length': _c,
      ...unsigned
    } = signFlowWebhook({
      secret,
      path: `/${RECEIVER_PATH}`,
      body,
    });
    expect(await post(baseUrl, unsigned, body)).toBe(401);
    // FLOW-PROTOCOL.md section 3's Date, signed with the right secret: long past the window.
    const stale = signFlowWebhook({
      secret,
      path: `/${RECEIVER_PATH}`,
      body,
      date: EXAMPLE_WEBHOOK.date,
    });
    const { 'content-length': _d, ...staleHeaders } = stale;
    expect(await post(baseUrl, staleHeaders, body)).toBe(401);

    const points = await telemetry.points();
    const refusals = points.filter((point) => point.metric === 'flow.webhook.refusals');
    expect(
      refusals.map((point) => [point.attributes['flow.refusal.reason'], point.value]).sort(),
    ).toEqual([
      ['bad_signature', 1],
      ['missing_authorization', 1],
      ['stale_date', 1],
    ]);
    expect(refusals.every((point) => point.unit === '{delivery}')).toBe(true);
    expect(total(points, 'flow.webhook.deliveries')).toBe(0);
    expect(probe.totalCalls).toBe(0);

    const spans = telemetry.finishedSpans();
    const deliveries = spans.filter((span) => span.name === 'flow.webhook.delivery');
    expect(deliveries.map((span) => span.attributes['error.type']).sort()).toEqual([
      'bad_signature',
      'missing_authorization',
      'stale_date',
    ]);
    for (const span of deliveries) {
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(childrenOf(spans, span).map((child) => child.name)).toEqual(['flow.webhook.verify']);
    }
  });

  it("counts a replay refused on the host's own route, and its mark in the store", async () => {
    const baseUrl = await start();
    const event = flowEvent(newEventId());
    const body = JSON.stringify(event);
    const headers = signFlowWebhook({ secret, path: `/${HOST_ROUTE}`, body });
    const { 'content-length': _length, ...sent } = headers;
    const send = async (): Promise<number> => {
      const response = await fetch(`${baseUrl}/${HOST_ROUTE}`, {
        method: 'POST',
        headers: sent,
        body,
      });
      await response.text();
      return response.status;
    };
    expect(await send()).toBe(200);
    expect(await send()).toBe(409);

    const points = await telemetry.points();

    expect(
      total(points, 'flow.webhook.refusals', { 'flow.refusal.reason': 'replayed_delivery' }),
    ).toBe(1);
    expect(
      total(points, 'flow.store.operations', {
        'flow.store.kind': 'memory',
        'flow.store.operation': 'mark_done',
      }),
    ).toBe(2);
    const spans = telemetry.finishedSpans().filter((span) => span.name === 'flow.webhook.delivery');
    expect(spans).toHaveLength(2);
    expect(spans.filter((span) => span.status.code === SpanStatusCode.ERROR)).toHaveLength(1);
    expect(spans.every((span) => span.attributes['flow.event.id'] === event.id)).toBe(true);
  });

  it('counts a store that cannot answer: the operation as error, the delivery as store_unavailable', async () => {
    const store = new MemoryFlowEventStore();
    store.claim = () =>
      Promise.reject(new FlowEventStoreUnavailableError('not_connected', 'down for the test'));
    const baseUrl = await start(store);
    expect((await deliver(baseUrl, secret, flowEvent(newEventId()))).status).toBe(503);
    const points = await telemetry.points();
    expect(
      total(points, 'flow.store.operations', {
        'flow.store.kind': 'memory',
        'flow.store.operation': 'claim',
        'flow.store.outcome': 'error',
      }),
    ).toBe(1);
    expect(only(points, 'flow.store.unavailable')).toMatchObject({
      unit: '{event}',
      value: 1,
      attributes: { 'flow.store.kind': 'memory' },
    });
    expect(
      total(points, 'flow.webhook.deliveries', { 'flow.delivery.outcome': 'store_unavailable' }),
    ).toBe(1);
    const claim = telemetry.finishedSpans().find((span) => span.name === 'flow.store.claim');
    expect(claim?.status.code).toBe(SpanStatusCode.ERROR);
    expect(claim?.attributes['error.type']).toBe('FlowEventStoreUnavailableError');
  });

  it('counts the signature route answers by status class', async () => {
    const baseUrl = await start();
    const response = await fetch(`${baseUrl}/flow/signature`);
    expect(response.status).toBe(200);
    await response.text();
    const points = await telemetry.points();
    expect(only(points, 'flow.route.answers')).toMatchObject({
      unit: '{answer}',
      value: 1,
      attributes: { 'flow.route': 'signature', 'http.response.status_class': '2xx' },
    });
  });
});

function only(points: Point[], metric: string): Point {
  const found = points.filter((point) => point.metric === metric);
  expect(found, metric).toHaveLength(1);
  return found[0];
}
