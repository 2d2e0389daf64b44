import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, postgresReady } from '../support/database-url.js';
import { flowEventBody, testHeaders } from '../support/flow-webhook-signing.js';
import { generateSecret } from '../support/test-secrets.js';
import { ALICE, getJson, logIn, startSample, type RunningSample } from './sample-test-app.js';

describe('two sample instances sharing PostgreSQL (DATABASE_URL)', () => {
  const secret = generateSecret();
  const jwtSecret = randomBytes(32).toString('base64url');
  let first: RunningSample;
  let second: RunningSample;
  let pool: pg.Pool;

  beforeAll(async () => {
    const url = await postgresReady();
    pool = new pg.Pool({ connectionString: url, max: 1 });
    const env = {
      FLOW_API_SECRET: secret,
      SAMPLE_JWT_SECRET: jwtSecret,
      DATABASE_URL: databaseUrl(),
    };
    first = await startSample(env);
    second = await startSample(env);
  }, 60_000);
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await pool?.end();
  });

  it('processes an event delivered to both instances once between them, its mark in the database', async () => {
    const id = `whkevt_${randomBytes(7).toString('hex')}`;
    const body = flowEventBody({
      id,
      timestamp: '2026-04-01T09:00:00Z',
      data: {
        object: 'flow_session',
        id: 'flwses_samplepg00001',
        status: 'success',
        step: null,
        customer_reference: ALICE.id,
      },
    });
    const outcomes: unknown[] = [];
    for (const instance of [first, second, first]) {
      const response = await fetch(`${instance.baseUrl}/webhook_receivers/flow`, {
        method: 'POST',
        headers: testHeaders({ secret, body }),
        body,
      });
      expect(response.status).toBe(200);
      outcomes.push(await response.json());
    }
    expect(outcomes).toEqual([
      { outcome: 'processed' },
      { outcome: 'duplicate' },
      { outcome: 'duplicate' },
    ]);
    const { rows } = await pool.query('SELECT state FROM flow_events WHERE id = $1', [id]);
    expect(rows).toEqual([{ state: 'done' }]);
    const token = await logIn(first.baseUrl, ALICE);
    const history = (await getJson(first.baseUrl, '/api/users/current/kyc', token)).body.history;
    expect(history.filter((entry: { eventId: string }) => entry.eventId === id)).toHaveLength(1);
  });
});
