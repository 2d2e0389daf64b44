import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import {
  EXAMPLE_CUSTOMER_REFERENCE,
  EXAMPLE_SECRET,
  EXAMPLE_SIGNATURE,
} from '../fixtures/flow-protocol.js';
import { flowEventBody, testHeaders } from '../support/flow-webhook-signing.js';

/** What a docs app needs to start, and one request that shows it works. */
export interface DocAppCheck {
  env: Record<string, string>;
  check(base: string): Promise<void>;
}

/** The documented live keys of FLOW-PROTOCOL.md (public examples), as a reader's .env holds them. */
const FLOW_ENV = {
  FLOW_API_SECRET: EXAMPLE_SECRET,
  FLOW_API_KEY: 'live_key_deadbeefcafedeadbeefcafedeadbeef',
  FLOW_PUBLISHABLE_KEY: 'live_publishable_key_deadbeefcafedeadbeefcafedeadbeef',
  FLOW_TEMPLATE_ID: 'flwtmp_deadbeefcafe',
};
const JWT_SECRET = 'a-long-random-string-for-the-docs-apps-login-tokens';

/** An HS256 token, made with node:crypto only, as the app's login would issue. */
function jwt(sub: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub, iat: Math.floor(Date.now() / 1000) })}`;
  return `${unsigned}.${createHmac('sha256', JWT_SECRET).update(unsigned).digest('base64url')}`;
}

/** The signature route with a login token: 200 and the documented signature of the reference. */
async function signatureFor(base: string, path = '/users/current/flow_signature'): Promise<void> {
  const response = await fetch(`${base}${path}`, {
    headers: { authorization: `Bearer ${jwt(EXAMPLE_CUSTOMER_REFERENCE)}` },
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    user: { customerReference: string; signature: string };
  };
  expect(body.user).toEqual({
    customerReference: EXAMPLE_CUSTOMER_REFERENCE,
    signature: EXAMPLE_SIGNATURE,
  });
}

/** A delivery signed with node:crypto for `path`: the receiver answers 200. */
async function deliver(base: string, path: string, secret = EXAMPLE_SECRET, id = 'whkevt_docs_1') {
  const body = flowEventBody({ id, environment: 'live' });
  const headers = testHeaders({ secret, url: path, body, keyId: FLOW_ENV.FLOW_API_KEY });
  const response = await fetch(`${base}${path}`, { method: 'POST', headers, body });
  return response.status;
}

/**
 * One check per app of the docs, by `<guide> › <section>`. A new full-app snippet needs its
 * entry here: the suite fails on an app it has no check for.
 */
export const DOC_APP_CHECKS: Record<string, DocAppCheck> = {
  'README.md › Quick start': {
    env: { ...FLOW_ENV, JWT_SECRET },
    check: (base) => signatureFor(base),
  },
  'docs/signature-route.md › 1. Guard the route': {
    env: { ...FLOW_ENV, JWT_SECRET },
    check: (base) => signatureFor(base),
  },
  'docs/signature-route.md › 1. Guard the route (2)': {
    env: { ...FLOW_ENV, JWT_SECRET },
    check: (base) => signatureFor(base),
  },
  'docs/api-client.md › Give a mobile user a hosted session': {
    env: { ...FLOW_ENV },
    check: async (base) => {
      // The stand-in guard lets no request through: the route exists and is guarded.
      const response = await fetch(`${base}/users/current/flow_session`, { method: 'POST' });
      expect(response.status).toBe(403);
    },
  },
  'docs/webhooks.md › 1. Keep the raw body': {
    env: { ...FLOW_ENV, JWT_SECRET },
    check: async (base) => expect(await deliver(base, '/webhook_receivers/flow')).toBe(200),
  },
  'docs/telemetry.md › Turn it on': {
    env: FLOW_ENV,
    check: async (base) => expect(await deliver(base, '/webhook_receivers/flow')).toBe(200),
  },
  'docs/health.md › Health checks': {
    env: FLOW_ENV,
    check: async (base) => {
      // Cognito's API cannot be reached from the test machine: the API check is down, the store up.
      const response = await fetch(`${base}/health`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as {
        info: Record<string, { status: string }>;
        error: Record<string, { status: string; reason: string }>;
      };
      expect(body.info.flow_event_store.status).toBe('up');
      expect(body.error.flow_api.status).toBe('down');
      expect(['network', 'timeout', 'unreachable']).toContain(body.error.flow_api.reason);
    },
  },
  'docs/fitting-your-app.md › Use a global auth guard': {
    env: { ...FLOW_ENV, JWT_SECRET },
    check: async (base) => {
      await signatureFor(base);
      // @Public() lets deliveries past the global guard; the signature still decides.
      expect(await deliver(base, '/webhook_receivers/flow')).toBe(200);
    },
  },
  'docs/fitting-your-app.md › Version your API': {
    env: FLOW_ENV,
    // Global prefix and URI versioning: the receiver stays version-neutral.
    check: async (base) => expect(await deliver(base, '/api/webhook_receivers/flow')).toBe(200),
  },
  'docs/fitting-your-app.md › Throttle your API': {
    env: FLOW_ENV,
    check: async (base) => {
      // More deliveries than the throttler's limit of 10: none answered 429.
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++)
        statuses.push(
          await deliver(base, '/webhook_receivers/flow', EXAMPLE_SECRET, `whkevt_docs_${i}`),
        );
      expect(statuses).toEqual(Array(12).fill(200));
    },
  },
  'docs/fitting-your-app.md › Choose where configuration comes from': {
    env: {
      KYC_API_SECRET: EXAMPLE_SECRET,
      KYC_API_KEY: FLOW_ENV.FLOW_API_KEY,
      KYC_PUBLISHABLE_KEY: FLOW_ENV.FLOW_PUBLISHABLE_KEY,
      KYC_TEMPLATE_ID: FLOW_ENV.FLOW_TEMPLATE_ID,
    },
    check: async (base) => expect(await deliver(base, '/webhook_receivers/flow')).toBe(200),
  },
};
