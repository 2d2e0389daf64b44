import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FlowApiClient, FlowApiError } from '../../lib/index.js';
import { startFlowApiStandIn, type FlowApiStandIn } from '../api/support/flow-api-stand-in.js';
import { EVENT_PLATFORMS, HandlerProbe, type RunningFlowApp } from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';
import { InMemoryTelemetry, total } from './support/in-memory-telemetry.js';
import { startTelemetryApp } from './support/telemetry-app.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';

describe.each(EVENT_PLATFORMS.map(([name]) => name))(
  "telemetry of Cognito's API calls (%s)",
  (platform) => {
    let telemetry: InMemoryTelemetry;
    let running: RunningFlowApp;
    let api: FlowApiStandIn;

    // A stand-in per platform: its first session for the principal is created (201), later ones found.
    beforeAll(async () => {
      api = await startFlowApiStandIn({ secret, apiKey });
    });
    afterAll(() => api.close());

    beforeEach(async () => {
      telemetry = new InMemoryTelemetry();
      running = await startTelemetryApp({
        platform,
        secret,
        probe: new HandlerProbe(),
        apiKey,
        apiBaseUrl: api.baseUrl,
      });
    });
    afterEach(async () => {
      await running.app.close();
      await telemetry.close();
    });

    it('makes one CLIENT span per request with the HTTP client conventions, and counts it', async () => {
      const response = await fetch(`${running.baseUrl}/flow/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(200);
      await response.text();

      const spans = telemetry.finishedSpans().filter((span) => span.kind === SpanKind.CLIENT);
      expect(spans).toHaveLength(1);
      const port = Number(new URL(api.baseUrl).port);
      expect(spans[0].name).toBe('POST');
      expect(spans[0].attributes).toEqual({
        'http.request.method': 'POST',
        'server.address': '127.0.0.1',
        'server.port': port,
        // The query (?idempotent=true) is left out.
        'url.full': `${api.baseUrl}/flow_sessions`,
        'url.template': '/flow_sessions',
        'flow.api.operation': 'flow_sessions.create',
        'http.response.status_code': 201,
      });
      expect(spans[0].status.code).toBe(SpanStatusCode.UNSET);

      const points = await telemetry.points();
      const create = { 'flow.api.operation': 'flow_sessions.create' };
      expect(
        total(points, 'flow.api.requests', { ...create, 'http.response.status_class': '2xx' }),
      ).toBe(1);
      const duration = points.find((point) => point.metric === 'flow.api.request.duration');
      expect(duration).toMatchObject({
        unit: 's',
        value: 1,
        attributes: { ...create, 'http.response.status_class': '2xx' },
      });
      expect(total(points, 'flow.api.retries')).toBe(0);
      expect(
        total(points, 'flow.route.answers', {
          'flow.route': 'hosted_session',
          'http.response.status_class': '2xx',
        }),
      ).toBe(1);
    });

    it('counts a retry, marks the failed attempt, and never puts the session id in a URL', async () => {
      const client = running.app.get(FlowApiClient);
      const { session } = await client.createFlowSession({ customerReference: 'retry-user' });
      api.script.push({ status: 503 });
      const read = await client.getFlowSession(session.id);
      expect(read.id).toBe(session.id);
      await expect(client.getFlowSession('flwses_missing0000000')).rejects.toBeInstanceOf(
        FlowApiError,
      );

      const gets = telemetry
        .finishedSpans()
        .filter((span) => span.attributes['flow.api.operation'] === 'flow_sessions.get');
      expect(gets).toHaveLength(3);
      for (const span of gets) {
        expect(span.attributes['url.full']).toBe(`${api.baseUrl}/flow_sessions/REDACTED`);
        expect(span.attributes['url.template']).toBe('/flow_sessions/{id}');
        expect(JSON.stringify(span.attributes)).not.toContain(session.id);
      }
      const [failed, resent, missing] = gets;
      expect(failed.attributes['http.response.status_code']).toBe(503);
      expect(failed.attributes['error.type']).toBe('503');
      expect(failed.status.code).toBe(SpanStatusCode.ERROR);
      expect(resent.attributes['http.request.resend_count']).toBe(1);
      expect(resent.attributes['http.response.status_code']).toBe(200);
      expect(missing.attributes['error.type']).toBe('404');

      const points = await telemetry.points();
      const get = { 'flow.api.operation': 'flow_sessions.get' };
      expect(total(points, 'flow.api.retries', get)).toBe(1);
      expect(
        total(points, 'flow.api.requests', { ...get, 'http.response.status_class': '5xx' }),
      ).toBe(1);
      expect(
        total(points, 'flow.api.requests', { ...get, 'http.response.status_class': '2xx' }),
      ).toBe(1);
      expect(
        total(points, 'flow.api.requests', { ...get, 'http.response.status_class': '4xx' }),
      ).toBe(1);
    });
  },
);
