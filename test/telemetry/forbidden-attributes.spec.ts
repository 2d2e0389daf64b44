import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowApiClient } from '../../lib/index.js';
import { signFlowWebhook } from '../../lib/testing/index.js';
import { startFlowApiStandIn, type FlowApiStandIn } from '../api/support/flow-api-stand-in.js';
import {
  EVENT_PLATFORMS,
  HandlerProbe,
  RECEIVER_PATH,
  flowEvent,
  newEventId,
} from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';
import { InMemoryTelemetry } from './support/in-memory-telemetry.js';
import { PRINCIPAL, deliverToHostRoute, startTelemetryApp } from './support/telemetry-app.js';

const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';

/** Every attribute value of every span (and its events and status) and every data point. */
async function everyRecordedText(telemetry: InMemoryTelemetry): Promise<string[]> {
  const texts: string[] = [];
  for (const span of telemetry.finishedSpans()) {
    texts.push(span.name, JSON.stringify(span.status));
    for (const [key, value] of Object.entries(span.attributes)) texts.push(key, String(value));
    for (const event of span.events) texts.push(event.name, JSON.stringify(event.attributes ?? {}));
  }
  for (const point of await telemetry.points()) {
    texts.push(point.metric);
    for (const [key, value] of Object.entries(point.attributes)) texts.push(key, String(value));
  }
  return texts;
}

describe.each(EVENT_PLATFORMS.map(([name]) => name))(
  'no secret, signature, reference or identity data in telemetry (%s)',
  (platform) => {
    const secret = generateSecret();
    let api: FlowApiStandIn;
    beforeAll(async () => {
      api = await startFlowApiStandIn({ secret, apiKey });
    });
    afterAll(() => api.close());

    it('walks every attribute of every span and data point of a full run', async () => {
      const telemetry = new InMemoryTelemetry();
      const probe = new HandlerProbe();
      const running = await startTelemetryApp({
        platform,
        secret,
        probe,
        apiKey,
        apiBaseUrl: api.baseUrl,
      });
      const forbidden: string[] = [secret, PRINCIPAL.id, PRINCIPAL.email];
      try {
        const { baseUrl } = running;
        // Deliveries whose session carries a reference, an e-mail and names.
        const reference = `ref-${randomUUID()}`;
        const event = flowEvent(newEventId());
        event.data = {
          ...event.data,
          id: 'flwses_secretsession0001',
          customer_reference: reference,
          email: 'grace.hopper@example.net',
          first_name: 'Grace',
          last_name: 'Hopperton',
        };
        forbidden.push(
          reference,
          'flwses_secretsession0001',
          'grace.hopper@example.net',
          'Hopperton',
        );
        const body = JSON.stringify(event);
        const signed = signFlowWebhook({ secret, apiKey, path: `/${RECEIVER_PATH}`, body });
        const { 'content-length': _length, ...headers } = signed;
        forbidden.push(signatureOf(signed.authorization), signed.digest, signed.authorization);
        for (let i = 0; i < 2; i++) {
          const response = await fetch(`${baseUrl}/${RECEIVER_PATH}`, {
            method: 'POST',
            headers,
            body,
          });
          expect([response.status, await response.text()]).toEqual([200, expect.any(String)]);
        }
        // A forgery: its signature is refused, and must not be recorded either.
        const forged = signFlowWebhook({
          secret: generateSecret(),
          apiKey,
          path: `/${RECEIVER_PATH}`,
          body,
        });
        forbidden.push(signatureOf(forged.authorization));
        const { 'content-length': _forgedLength, ...forgedHeaders } = forged;
        await (
          await fetch(`${baseUrl}/${RECEIVER_PATH}`, {
            method: 'POST',
            headers: forgedHeaders,
            body,
          })
        ).text();
        // The host's own route.
        const host = await deliverToHostRoute(baseUrl, secret, event, apiKey);
        expect(host.status).toBe(200);
        forbidden.push(signatureOf(host.authorization));
        // The signature route: its answer carries the reference's signature.
        const answer = (await (await fetch(`${baseUrl}/flow/signature`)).json()) as {
          user: { signature: string };
        };
        forbidden.push(answer.user.signature);
        // The hosted-session route and the API client, whose session links to identity data.
        const hosted = (await (
          await fetch(`${baseUrl}/flow/session`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          })
        ).json()) as { url?: string; sessionId?: string };
        const client = running.app.get(FlowApiClient);
        const { session } = await client.createFlowSession({
          customerReference: PRINCIPAL.id,
          email: PRINCIPAL.email,
        });
        api.sessions.get(session.id)!.user = { name: { first: 'Ada', last: PRINCIPAL.lastName } };
        await client.getFlowSession(session.id);
        forbidden.push(session.id, PRINCIPAL.lastName);
        for (const value of Object.values(hosted))
          if (typeof value === 'string') forbidden.push(value);

        expect(probe.totalCalls).toBe(1);
        expect(refusalReasons(await telemetry.points())).toContain('bad_signature');
        const texts = await everyRecordedText(telemetry);
        // The run did record: spans of each kind and metric points.
        expect(texts).toEqual(
          expect.arrayContaining(['flow.webhook.delivery', 'POST', 'GET', 'flow.api.requests']),
        );
        for (const value of forbidden) {
          const leaks = texts.filter((text) => text.includes(value));
          expect(leaks, `${value.slice(0, 12)}… recorded`).toEqual([]);
        }
      } finally {
        await running.app.close();
        await telemetry.close();
      }
    });
  },
);

/** The refusal reasons counted, sorted. */
function refusalReasons(points: Awaited<ReturnType<InMemoryTelemetry['points']>>): string[] {
  return points
    .filter((point) => point.metric === 'flow.webhook.refusals')
    .map((point) => String(point.attributes['flow.refusal.reason']))
    .sort();
}

function signatureOf(authorization: string): string {
  return /signature="([^"]+)"/.exec(authorization)![1];
}
