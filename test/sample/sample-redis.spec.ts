import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowEventBody, testHeaders } from '../support/flow-webhook-signing.js';
import { redisUrl } from '../support/redis-url.js';
import { generateSecret } from '../support/test-secrets.js';
import { ALICE, getJson, logIn, startSample, type RunningSample } from './sample-test-app.js';

describe('two sample instances sharing Redis (REDIS_URL)', () => {
  const secret = generateSecret();
  const jwtSecret = randomBytes(32).toString('base64url');
  let first: RunningSample;
  let second: RunningSample;

  beforeAll(async () => {
    const env = { FLOW_API_SECRET: secret, SAMPLE_JWT_SECRET: jwtSecret, REDIS_URL: redisUrl() };
    first = await startSample(env);
    second = await startSample(env);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('processes an event delivered to both instances once between them', async () => {
    const id = `whkevt_${randomBytes(7).toString('hex')}`;
    const body = flowEventBody({
      id,
      timestamp: '2026-04-01T09:00:00Z',
      data: {
        object: 'flow_session',
        id: 'flwses_sampleredis001',
        status: 'success',
        step: null,
        customer_reference: ALICE.id,
      },
    });
    for (const instance of [first, second, first]) {
      const headers = testHeaders({ secret, body });
      const response = await fetch(`${instance.baseUrl}/webhook_receivers/flow`, {
        method: 'POST',
        headers,
        body,
      });
      expect(response.status).toBe(200);
    }
    // Each instance keeps statuses in its own memory: only the one that claimed the event applied it.
    const token = await logIn(first.baseUrl, ALICE);
    const histories = await Promise.all(
      [first, second].map(
        async (instance) =>
          (await getJson(instance.baseUrl, '/api/users/current/kyc', token)).body.history,
      ),
    );
    expect(
      histories.flat().filter((entry: { eventId: string }) => entry.eventId === id),
    ).toHaveLength(1);
    expect(histories[0]).toHaveLength(1);
    expect(histories[1]).toStrictEqual([]);
  });

  it('accepts a token issued by the other instance (shared SAMPLE_JWT_SECRET, fixed user ids)', async () => {
    const token = await logIn(second.baseUrl, ALICE);
    const answer = await getJson(first.baseUrl, '/api/users/current/flow_signature', token);
    expect(answer.status).toBe(200);
    expect(answer.body.user.customerReference).toBe(ALICE.id);
  });
});
