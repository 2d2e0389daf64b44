import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FlowApiClient,
  FlowApiError,
  FlowConfigurationError,
  FlowModule,
  type FlowModuleOptions,
} from '../../lib/index.js';
import { withEnv } from '../support/with-env.js';
import { generateSecret } from '../support/test-secrets.js';
import { startFlowApiStandIn, type FlowApiStandIn } from './support/flow-api-stand-in.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_0123456789abcdef0123456789abcdef';
let api: FlowApiStandIn;

beforeAll(async () => {
  api = await startFlowApiStandIn({ secret, apiKey });
});
afterAll(() => api.close());

const FLOW_VARIABLES = {
  FLOW_API_SECRET: undefined,
  FLOW_API_KEY: undefined,
  FLOW_API_BASE_URL: undefined,
  FLOW_TEMPLATE_ID: undefined,
};

async function clientFrom(
  options: FlowModuleOptions,
  env: Record<string, string | undefined> = {},
): Promise<FlowApiClient> {
  return withEnv({ ...FLOW_VARIABLES, ...env }, async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [FlowModule.forRoot(options)],
    }).compile();
    return moduleRef.get(FlowApiClient);
  });
}

describe('FlowApiClient from FlowModule', () => {
  it('is configured from the FLOW_* variables, FLOW_API_BASE_URL included', async () => {
    const client = await clientFrom(
      {},
      {
        FLOW_API_SECRET: secret,
        FLOW_API_KEY: apiKey,
        FLOW_API_BASE_URL: api.baseUrl,
        FLOW_TEMPLATE_ID: 'flwtmp_fromenv0001',
      },
    );
    expect(client.baseUrl).toBe(api.baseUrl);
    const { session } = await client.createFlowSession({ customerReference: 'env-user' });
    expect(session.template.id).toBe('flwtmp_fromenv0001');
    expect(api.requests.at(-1)?.ownVerifier).toBe(true);
    expect(api.requests.at(-1)?.referenceVerifier).toBe(true);
  });

  it('takes the api block (timeout, retries, version) and options over the environment', async () => {
    const client = await clientFrom(
      {
        apiSecret: secret,
        apiKey,
        apiBaseUrl: api.baseUrl,
        api: { timeoutMs: 1234, maxRetries: 0, cognitoVersion: '2016-09-01' },
      },
      { FLOW_API_BASE_URL: 'https://unused.example' },
    );
    expect(client.toJSON()).toMatchObject({
      baseUrl: api.baseUrl,
      timeoutMs: 1234,
      maxRetries: 0,
      cognitoVersion: '2016-09-01',
    });
    api.script.push({ status: 503 });
    await expect(client.getFlowSession('flwses_m1')).rejects.toMatchObject({ attempts: 1 });
    expect(api.requests.at(-1)?.headers['cognito-version']).toBe('2016-09-01');
  });

  it('chooses the host from the key prefix when no base URL is set', async () => {
    const sandbox = await clientFrom({ apiSecret: secret, apiKey });
    expect(sandbox.baseUrl).toBe('https://sandbox.cognitohq.com');
  });

  it('without an API key, exists but every call says what to set', async () => {
    const client = await clientFrom({ apiSecret: secret });
    expect(client.configured).toBe(false);
    const error = await client.getFlowSession('flwses_x').catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(FlowApiError);
    expect(error).toMatchObject({ code: 'not_configured' });
    expect((error as Error).message).toContain('FLOW_API_KEY');
  });

  it.each([
    ['a base URL that is not http(s)', { apiBaseUrl: 'ftp://api.example' }, /apiBaseUrl/],
    ['a base URL with credentials', { apiBaseUrl: 'https://u:p@api.example' }, /credentials/],
    ['a zero timeout', { api: { timeoutMs: 0 } }, /api\.timeoutMs/],
    ['negative retries', { api: { maxRetries: -1 } }, /api\.maxRetries/],
    ['a version with spaces', { api: { cognitoVersion: '2020 08 14' } }, /cognitoVersion/],
  ])('refuses %s at start-up', async (_label, options, message) => {
    const start = clientFrom({ apiSecret: secret, apiKey, ...options });
    await expect(start).rejects.toBeInstanceOf(FlowConfigurationError);
    await expect(clientFrom({ apiSecret: secret, apiKey, ...options })).rejects.toThrow(message);
  });

  it('prints no secret, from the module or from the options it resolved', async () => {
    const client = await clientFrom({ apiSecret: secret, apiKey, apiBaseUrl: api.baseUrl });
    const shown = `${inspect(client, { depth: 5, showHidden: true })}${JSON.stringify(client)}`;
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain(secret.slice(-16));
  });
});
