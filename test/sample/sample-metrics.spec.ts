import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowEventBody, testHeaders } from '../support/flow-webhook-signing.js';
import { generateSecret } from '../support/test-secrets.js';
import { ALICE, startSample, type RunningSample } from './sample-test-app.js';

const WEBHOOK = '/webhook_receivers/flow';

/** A status event of Alice's with a fresh id. */
function event(id = `whkevt_${randomBytes(7).toString('hex')}`): string {
  return flowEventBody({
    id,
    timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    data: {
      object: 'flow_session',
      id: 'flwses_samplemetrics01',
      status: 'success',
      step: null,
      customer_reference: ALICE.id,
    },
  });
}

/** Posts `body` with `headers` (Content-Length left to fetch) and returns the status. */
async function post(baseUrl: string, body: string, headers: Record<string, string>) {
  const { 'content-length': _length, ...sent } = headers;
  const response = await fetch(`${baseUrl}${WEBHOOK}`, { method: 'POST', headers: sent, body });
  await response.arrayBuffer();
  return response.status;
}

/**
 * The value of every sample of `metric` in a Prometheus text exposition, summed by `label`.
 * Written from the format's rules (name{label="value",…} number), not from the exporter's code.
 */
function scrapeBy(text: string, metric: string, label: string): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!match || match[1] !== metric) continue;
    const value = new RegExp(`(?:^|,)${label}="([^"]*)"`).exec(match[2])?.[1];
    if (value === undefined) continue;
    sums[value] = (sums[value] ?? 0) + Number(match[3]);
  }
  return sums;
}

describe('the sample exposes /metrics and /health', () => {
  const secret = generateSecret();
  let sample: RunningSample;

  beforeAll(async () => {
    sample = await startSample({
      FLOW_API_SECRET: secret,
      SAMPLE_JWT_SECRET: randomBytes(32).toString('base64url'),
    });
  });
  afterAll(async () => {
    await sample?.close();
  });

  it('counts each delivery by outcome and each refusal by reason, exactly as sent', async () => {
    const sent: number[] = [];
    // Four distinct events, processed; the first one again, a duplicate.
    const bodies = [event(), event(), event(), event()];
    for (const body of [...bodies, bodies[0]])
      sent.push(await post(sample.baseUrl, body, testHeaders({ secret, body })));
    expect(sent).toEqual([200, 200, 200, 200, 200]);

    const refused: number[] = [];
    // Signed with another secret: bad_signature, twice.
    for (let i = 0; i < 2; i += 1) {
      const body = event();
      refused.push(
        await post(sample.baseUrl, body, testHeaders({ secret: generateSecret(), body })),
      );
    }
    // Signed an hour ago: stale_date, three times.
    for (let i = 0; i < 3; i += 1) {
      const body = event();
      const date = new Date(Date.now() - 3600_000);
      refused.push(await post(sample.baseUrl, body, testHeaders({ secret, body, date })));
    }
    // The body changed after signing: digest_mismatch, once.
    const signed = event();
    refused.push(await post(sample.baseUrl, event(), testHeaders({ secret, body: signed })));
    // No Authorization at all: missing_authorization, once.
    const { authorization: _authorization, ...unsigned } = testHeaders({ secret, body: signed });
    refused.push(await post(sample.baseUrl, signed, unsigned));
    expect(refused).toEqual([401, 401, 401, 401, 401, 401, 401]);

    const response = await fetch(`${sample.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(scrapeBy(text, 'flow_webhook_deliveries_total', 'flow_delivery_outcome')).toEqual({
      processed: 4,
      duplicate: 1,
    });
    expect(scrapeBy(text, 'flow_webhook_deliveries_total', 'flow_event_name')).toEqual({
      'flow_session.status.updated': 5,
    });
    expect(scrapeBy(text, 'flow_webhook_refusals_total', 'flow_refusal_reason')).toEqual({
      bad_signature: 2,
      stale_date: 3,
      digest_mismatch: 1,
      missing_authorization: 1,
    });
    // Counts only: no secret, no customer reference, no event id.
    expect(text).not.toContain(secret);
    expect(text).not.toContain(ALICE.id);
    expect(text).not.toContain('whkevt_');

    // The page's chart reads the same counts as JSON.
    const activity = await fetch(`${sample.baseUrl}/api/sample/activity`);
    expect(activity.status).toBe(200);
    expect(await activity.json()).toEqual({
      deliveries: { processed: 4, duplicate: 1 },
      refusals: { bad_signature: 2, stale_date: 3, digest_mismatch: 1, missing_authorization: 1 },
    });
  });

  it('answers /health without a login: 200 while the event store is up', async () => {
    const response = await fetch(`${sample.baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      details: { flow_event_store: { status: 'up' } },
    });
    // Outside the /api prefix: the prefixed paths do not exist.
    expect((await fetch(`${sample.baseUrl}/api/health`)).status).toBe(404);
    expect((await fetch(`${sample.baseUrl}/api/metrics`)).status).toBe(404);
  });
});
