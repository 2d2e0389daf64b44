import { expect } from 'vitest';
import {
  EXAMPLE_CUSTOMER_REFERENCE,
  EXAMPLE_SECRET,
  EXAMPLE_SIGNATURE,
  EXAMPLE_WEBHOOK,
} from '../fixtures/flow-protocol.js';

const PUBLISHABLE_KEY = 'live_publishable_key_0123456789abcdef0123456789abcdef';
const TEMPLATE_ID = 'flwtmp_smoke';

/** The environment the smoke scenario runs in: only what a host would set, nothing inherited. */
export const SMOKE_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  // Cognito's known answers need its public example secret, which production refuses.
  NODE_ENV: 'development',
  FLOW_API_SECRET: EXAMPLE_SECRET,
  FLOW_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
  FLOW_TEMPLATE_ID: TEMPLATE_ID,
  SMOKE_CUSTOMER_REFERENCE: EXAMPLE_CUSTOMER_REFERENCE,
  SMOKE_WEBHOOK_BODY: EXAMPLE_WEBHOOK.body,
};

/** The JSON line the smoke scenario prints. */
interface SmokeResult {
  loader: string;
  nestVersion: string;
  signature: string;
  endpoint: unknown;
  webhookStatuses: number[];
  handled: string[];
  protocolEventId: string;
  emulatorPageStatus: number;
}

/** Checks the scenario's JSON line against the protocol's known answers. */
export function expectSmokeResult(
  stdout: string,
  nestMajor: number,
  loader: 'import' | 'require',
): void {
  const result = JSON.parse(stdout.trim()) as SmokeResult;
  expect(result.loader).toBe(loader);
  expect(result.nestVersion.split('.')[0]).toBe(String(nestMajor));
  expect(result.signature).toBe(EXAMPLE_SIGNATURE);
  expect(result.endpoint).toEqual({
    status: 200,
    body: {
      publishableKey: PUBLISHABLE_KEY,
      templateId: TEMPLATE_ID,
      user: { customerReference: EXAMPLE_CUSTOMER_REFERENCE, signature: EXAMPLE_SIGNATURE },
    },
  });
  // The delivery is processed, its replay acknowledged without running the handler again.
  expect(result.webhookStatuses).toEqual([200, 200]);
  expect(result.handled).toEqual(['whkevt_11111111111111']);
  // The /protocol entry point verified the same delivery; the /emulator one served its page.
  expect(result.protocolEventId).toBe('whkevt_11111111111111');
  expect(result.emulatorPageStatus).toBe(200);
}
