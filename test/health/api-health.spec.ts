import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFlowApiStandIn, type FlowApiStandIn } from '../api/support/flow-api-stand-in.js';
import { FlowHealthIndicator } from '../../lib/health/index.js';
import { EVENT_PLATFORMS, type RunningFlowApp } from '../support/flow-events-app.js';
import { generateSecret } from '../support/test-secrets.js';
import { getHealth, startHealthApp } from './health-app.js';

const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';
const PROBE_PATH = '/flow_sessions/flwses_doctorprobe00000000';

describe.each(EVENT_PLATFORMS.map(([name]) => name))(
  "the API check against a stand-in of Cognito's API (%s)",
  (platform) => {
    const secret = generateSecret();
    let api: FlowApiStandIn;
    let running: RunningFlowApp;
    let wrongSecret: RunningFlowApp;
    let noKey: RunningFlowApp;

    beforeAll(async () => {
      api = await startFlowApiStandIn({ secret, apiKey });
      running = await startHealthApp({ platform, secret, apiKey, apiBaseUrl: api.baseUrl });
      wrongSecret = await startHealthApp({
        platform,
        secret: generateSecret(),
        apiKey,
        apiBaseUrl: api.baseUrl,
      });
      noKey = await startHealthApp({ platform, secret, apiBaseUrl: api.baseUrl });
    });
    afterAll(async () => {
      for (const app of [running, wrongSecret, noKey]) await app?.app.close();
      await api?.close();
    });
    beforeEach(() => {
      api.requests.length = 0;
      api.script.length = 0;
    });

    it("is up when Cognito accepts doctor --online's signed probe (404 for the unknown session)", async () => {
      const answer = await getHealth(running.baseUrl, '/health/api');
      expect(answer.status).toBe(200);
      expect(answer.body.details.flow_api).toEqual({ status: 'up' });
      expect(api.requests).toHaveLength(1);
      expect(api.requests[0].method).toBe('GET');
      expect(api.requests[0].url).toBe(PROBE_PATH);
      expect(api.requests[0].ownVerifier && api.requests[0].referenceVerifier).toBe(true);
    });

    it('is down with 503 when Cognito refuses the signature (401), and never shows either secret', async () => {
      const answer = await getHealth(wrongSecret.baseUrl, '/health/api');
      expect(answer.status).toBe(503);
      expect(answer.body.details.flow_api).toEqual({ status: 'down', reason: 'refused (401)' });
      expect(answer.text).not.toContain(secret);
      expect(api.requests).toHaveLength(1);
    });

    it("makes one attempt, not the client's retries, and shows no remote text of a 503", async () => {
      const remote = '\u001b[31mdatabase password is hunter2';
      api.script.push({
        status: 503,
        body: { errors: [{ code: 'unavailable', message: remote }] },
      });
      const answer = await getHealth(running.baseUrl, '/health/api');
      expect(answer.status).toBe(503);
      expect(answer.body.details.flow_api).toEqual({ status: 'down', reason: 'status 503' });
      expect(answer.text).not.toContain('hunter2');
      expect(answer.text).not.toContain('unavailable');
      expect(api.requests).toHaveLength(1);
    });

    it('is down with reason timeout when Cognito does not answer within timeoutMs', async () => {
      api.script.push({ hang: true });
      const started = Date.now();
      const answer = await getHealth(running.baseUrl, '/health/api');
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(750);
      expect(took).toBeLessThan(5000);
      expect(answer.status).toBe(503);
      expect(answer.body.details.flow_api).toEqual({ status: 'down', reason: 'timeout' });
      expect(api.requests).toHaveLength(1);
    });

    it('is down with reason not_configured when no API key is set, and sends nothing', async () => {
      const answer = await getHealth(noKey.baseUrl, '/health/api');
      expect(answer.status).toBe(503);
      expect(answer.body.details.flow_api).toEqual({ status: 'down', reason: 'not_configured' });
      expect(api.requests).toHaveLength(0);
    });

    it('reuses an answer for cacheMs (30 s by default): many checks, one request', async () => {
      // A fresh verdict (cacheMs: 0), which the cached route then reuses.
      expect((await getHealth(running.baseUrl, '/health/api')).status).toBe(200);
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => getHealth(running.baseUrl, '/health/api-cached')),
      );
      const later = await getHealth(running.baseUrl, '/health/api-cached');
      for (const answer of [...answers, later]) {
        expect(answer.status).toBe(200);
        expect(answer.body.details.flow_api).toEqual({ status: 'up' });
      }
      expect(api.requests).toHaveLength(1);
      // cacheMs: 0 asks every time; the next cached check reuses the newest answer.
      api.script.push({ status: 401 });
      expect((await getHealth(running.baseUrl, '/health/api')).status).toBe(503);
      expect((await getHealth(running.baseUrl, '/health/api-cached')).status).toBe(503);
      expect((await getHealth(running.baseUrl, '/health/api')).status).toBe(200);
      expect(api.requests).toHaveLength(3);
    });

    it('shows no secret when inspected or serialised', () => {
      const indicator = running.app.get(FlowHealthIndicator);
      expect(inspect(indicator, { depth: 10 })).not.toContain(secret);
      expect(JSON.stringify(indicator)).not.toContain(secret);
    });

    it('is opt-in: the store check sends no request to Cognito', async () => {
      const answer = await getHealth(running.baseUrl, '/health');
      expect(answer.status).toBe(200);
      expect(answer.body.details).toEqual({ flow_event_store: { status: 'up' } });
      expect(api.requests).toHaveLength(0);
    });
  },
);
