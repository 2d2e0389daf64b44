import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { loadSampleConfig, type SampleConfig } from '../../sample/src/config/sample-config.js';
import { createSampleApp } from '../../sample/src/sample-app.js';
import { FLOW_ENVIRONMENT_VARIABLES, type FlowSignatureResponse } from '../../lib/index.js';
import type { KycView } from '../../sample/src/kyc/kyc-status.store.js';
import type { PageConfig } from '../../sample/src/page/page-config.controller.js';
import { withEnv } from '../support/with-env.js';

/** The sample's demo users as the docs list them: fixed ids, so tests know them independently. */
export const ALICE = {
  username: 'alice',
  password: 'alice-password',
  id: '6f1c2b7e-3d5a-4e8f-9b0c-1a2d3e4f5a6b',
} as const;
/** See {@link ALICE}. */
export const BOB = {
  username: 'bob',
  password: 'bob-password',
  id: 'c9d8e7f6-a5b4-4c3d-8e2f-1b0a9c8d7e6f',
} as const;

/** A running in-process sample and its base URL. */
export interface RunningSample {
  app: INestApplication;
  config: SampleConfig;
  baseUrl: string;
  close(): Promise<void>;
}

// Every variable the sample or FlowModule reads: unset unless a test gives it.
const SAMPLE_VARIABLES = [
  ...Object.values(FLOW_ENVIRONMENT_VARIABLES),
  'FLOW_SCRIPT_URL',
  'FLOW_DEV_SECRET_FILE',
  'REDIS_URL',
  'DATABASE_URL',
  'SAMPLE_JWT_SECRET',
];

/**
 * Starts the sample from its sources on 127.0.0.1 with a free port. `env` is the whole sample
 * environment: it is set in `process.env` while the app is created (FlowModule reads it then).
 */
export async function startSample(env: Record<string, string | undefined>): Promise<RunningSample> {
  const vars = { ...Object.fromEntries(SAMPLE_VARIABLES.map((name) => [name, undefined])), ...env };
  const { app, config } = await withEnv(vars, async () => {
    const config = loadSampleConfig({ ...process.env, HOST: '127.0.0.1', PORT: '0' });
    const app = await createSampleApp(config, { logger: false });
    await app.init();
    return { app, config };
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, config, baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Logs in over HTTP and returns the bearer token. */
export async function logIn(
  baseUrl: string,
  user: { username: string; password: string },
): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, password: user.password }),
  });
  if (response.status !== 200) throw new Error(`login answered ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** What the sample's routes answer when they succeed, by path. */
interface SampleAnswers {
  '/api/users/current/flow_signature': FlowSignatureResponse;
  '/api/users/current/kyc': KycView;
  '/api/sample/config': PageConfig;
}

/** The answer's type for a known route; anything else (an error body, say) stays unknown. */
type AnswerTo<P extends string> = P extends keyof SampleAnswers
  ? SampleAnswers[P]
  : P extends `${infer Route extends keyof SampleAnswers}?${string}`
    ? SampleAnswers[Route]
    : unknown;

/** GET with a bearer token; returns status, headers and the parsed JSON body. */
export async function getJson<P extends string>(baseUrl: string, path: P, token?: string) {
  const response = await fetch(`${baseUrl}${path}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: (text === '' ? undefined : JSON.parse(text)) as AnswerTo<P>,
  };
}
