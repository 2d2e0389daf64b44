import { describe, expect, it } from 'vitest';
import {
  FLOW_LIVE_API_BASE_URL,
  FLOW_SANDBOX_API_BASE_URL,
  resolveFlowApiBase,
} from '../../lib/api/flow-api-base-url.js';
import {
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfter,
  retryDelayMs,
} from '../../lib/api/retry-policy.js';

describe('Retry-After', () => {
  const now = Date.parse('Tue, 01 Dec 2026 12:00:00 GMT');
  it('reads delay-seconds and HTTP dates, and ignores garbage', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('backoff', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, backoffBaseMs: 100, backoffMaxMs: 350 };
  it('doubles per retry up to the cap, with full jitter', () => {
    const top = { ...policy, random: () => 0.999999 };
    expect([1, 2, 3, 4].map((retry) => retryDelayMs(top, retry, undefined))).toEqual([
      99, 199, 349, 349,
    ]);
    expect(retryDelayMs({ ...policy, random: () => 0 }, 3, undefined)).toBe(0);
  });
  it('waits at least Retry-After, capped at retryAfterMaxMs', () => {
    const low = { ...policy, random: () => 0, retryAfterMaxMs: 5000 };
    expect(retryDelayMs(low, 1, 2000)).toBe(2000);
    expect(retryDelayMs(low, 1, 3_600_000)).toBe(5000);
  });
  it('retries 429 and 5xx only', () => {
    expect([429, 500, 502, 503, 599].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 422, 300, 200].some(isRetryableStatus)).toBe(false);
  });
});

describe('API host', () => {
  it('follows the key prefix, and a base URL wins', () => {
    expect(resolveFlowApiBase('live_key_1')).toEqual({
      origin: FLOW_LIVE_API_BASE_URL,
      pathPrefix: '',
    });
    expect(resolveFlowApiBase('sandbox_key_1')).toEqual({
      origin: FLOW_SANDBOX_API_BASE_URL,
      pathPrefix: '',
    });
    expect(FLOW_LIVE_API_BASE_URL).toBe('https://api.cognitohq.com');
    expect(FLOW_SANDBOX_API_BASE_URL).toBe('https://sandbox.cognitohq.com');
    expect(resolveFlowApiBase('live_key_1', 'http://127.0.0.1:9/api/')).toEqual({
      origin: 'http://127.0.0.1:9',
      pathPrefix: '/api',
    });
  });
  it('refuses an unknown prefix without a base URL, and unusable base URLs', () => {
    expect(() => resolveFlowApiBase('key_1')).toThrow(/FLOW_API_BASE_URL/);
    for (const url of ['ftp://x', 'not a url', 'https://u:p@x', 'https://x/?a=1', 'https://x/#f']) {
      expect(() => resolveFlowApiBase('live_key_1', url), url).toThrow(TypeError);
    }
  });
});
