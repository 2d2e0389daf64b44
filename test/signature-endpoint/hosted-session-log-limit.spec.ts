import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlowModule } from '../../lib/index.js';
import { startFlowApiStandIn, type FlowApiStandIn } from '../api/support/flow-api-stand-in.js';
import { EXAMPLE_SECRET } from '../fixtures/flow-protocol.js';
import {
  PLATFORMS,
  PUBLISHABLE_KEY,
  TEMPLATE_ID,
  bearerFor,
  jwtEndpoint,
  useApps,
} from './signature-test-app.js';

const API_KEY = 'live_key_0123456789abcdef0123456789abcdef';
const ROUTE = '/users/current/flow_session';
let api: FlowApiStandIn;

beforeAll(async () => {
  api = await startFlowApiStandIn({ secret: EXAMPLE_SECRET, apiKey: API_KEY });
});
afterAll(() => api.close());

function flowModule() {
  return FlowModule.forRoot({
    apiSecret: EXAMPLE_SECRET,
    apiKey: API_KEY,
    publishableKey: PUBLISHABLE_KEY,
    templateId: TEMPLATE_ID,
    apiBaseUrl: api.baseUrl,
    api: { maxRetries: 0 },
    signatureEndpoint: jwtEndpoint({ hostedSessionPath: ROUTE.slice(1) }),
  });
}

describe.each(PLATFORMS)('hosted-session route on %s: error lines', (_platform, adapter) => {
  const start = useApps(adapter);
  let errors: string[];

  beforeEach(() => {
    api.requests.length = 0;
    api.script.length = 0;
    errors = [];
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'error').mockImplementation(
      (message: unknown) => void errors.push(String(message)),
    );
    // Only the clock is controlled: sockets and timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('are written once per reason per minute, then with the count left out', async () => {
    const url = await start([flowModule()]);
    const failing = () =>
      request(url).post(ROUTE).send({}).set('Authorization', bearerFor('u-flood'));
    for (let i = 0; i < 5; i++) {
      api.script.push({ status: 422 });
      expect((await failing()).status).toBe(502);
    }
    const lines = () => errors.filter((line) => line.includes("Cognito's API call failed"));
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toContain('code http, status 422');

    // Another reason is not hidden behind the first.
    api.script.push({ status: 500 });
    expect((await failing()).status).toBe(503);
    expect(lines()).toHaveLength(2);
    expect(lines()[1]).toContain('status 500');

    vi.setSystemTime(Date.now() + 61_000);
    api.script.push({ status: 422 });
    expect((await failing()).status).toBe(502);
    expect(lines()).toHaveLength(3);
    expect(lines()[2]).toMatch(/status 422.*\(4 more .* not logged\)/);
    expect(api.requests).toHaveLength(7);
  });
});
