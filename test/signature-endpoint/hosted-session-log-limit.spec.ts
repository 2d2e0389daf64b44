import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PLATFORMS, bearerFor, useApps } from './signature-test-app.js';
import { ROUTE, useHostedSessionApi } from './hosted-session-test-app.js';

const { api, flowModule } = useHostedSessionApi();

describe.each(PLATFORMS)('hosted-session route on %s: error lines', (_platform, adapter) => {
  const start = useApps(adapter);
  let errors: string[];

  beforeEach(() => {
    api().requests.length = 0;
    api().script.length = 0;
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
    const url = await start([flowModule({ values: { api: { maxRetries: 0 } } })]);
    const failing = () =>
      request(url).post(ROUTE).send({}).set('Authorization', bearerFor('u-flood'));
    for (let i = 0; i < 5; i++) {
      api().script.push({ status: 422 });
      expect((await failing()).status).toBe(502);
    }
    const lines = () => errors.filter((line) => line.includes("Cognito's API call failed"));
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toContain('code http, status 422');

    // Another reason is not hidden behind the first.
    api().script.push({ status: 500 });
    expect((await failing()).status).toBe(503);
    expect(lines()).toHaveLength(2);
    expect(lines()[1]).toContain('status 500');

    vi.setSystemTime(Date.now() + 61_000);
    api().script.push({ status: 422 });
    expect((await failing()).status).toBe(502);
    expect(lines()).toHaveLength(3);
    expect(lines()[2]).toMatch(/status 422.*\(4 more .* not logged\)/);
    expect(api().requests).toHaveLength(7);
  });
});
