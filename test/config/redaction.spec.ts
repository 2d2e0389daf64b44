import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { inspect, format } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FLOW_MODULE_OPTIONS, FLOW_OPTIONS } from '../../lib/flow.constants.js';
import {
  FlowModule,
  FlowSigner,
  type FlowModuleOptions,
  type FlowOptions,
} from '../../lib/index.js';
import { flowConfig, readFlowEnvironment } from '../../lib/config/flow.config.js';
import { redactSecret } from '../../lib/http-signature/secret-shape.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret('live');
const previous = generateSecret('live');

async function boot() {
  const moduleRef = await Test.createTestingModule({
    imports: [FlowModule.forRoot({ apiSecret: secret, previousApiSecrets: [previous] })],
  }).compile();
  return moduleRef;
}

// Every way a host might print or ship an object.
function renderings(value: unknown): string[] {
  return [
    inspect(value),
    inspect(value, { depth: Infinity, showHidden: true }),
    format('%o', value),
    format('%O', value),
    format('%s', value),
    format('%j', value),
    JSON.stringify(value),
    String(JSON.stringify({ nested: { value } })),
  ];
}

describe('secrets never print', () => {
  it('FlowOptions shows a redacted form however it is printed', async () => {
    const options = (await boot()).get<FlowOptions>(FLOW_OPTIONS);
    expect(options.apiSecret).toBe(secret);
    for (const text of [...renderings(options), JSON.stringify({ ...options })]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(previous);
      expect(text).not.toContain(secret.slice(12, 40));
    }
    expect(inspect(options)).toContain(`live_secret_…(${secret.length} chars)`);
    expect(Object.keys(options)).not.toContain('apiSecret');
  });

  it('FlowSigner holds no printable key material', async () => {
    const signer = (await boot()).get(FlowSigner);
    for (const text of renderings(signer)) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(previous);
    }
  });

  it('the config namespace value is redacted when printed but readable by code', () => {
    const env = { FLOW_API_SECRET: secret, FLOW_PREVIOUS_API_SECRETS: previous };
    const values = readFlowEnvironment(env);
    expect(values.apiSecret).toBe(secret);
    for (const text of renderings(values)) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(previous);
    }
    const saved = process.env.FLOW_API_SECRET;
    process.env.FLOW_API_SECRET = secret;
    try {
      const fromNamespace = flowConfig();
      expect(fromNamespace.apiSecret).toBe(secret);
      expect(inspect(fromNamespace)).not.toContain(secret);
    } finally {
      if (saved === undefined) delete process.env.FLOW_API_SECRET;
      else process.env.FLOW_API_SECRET = saved;
    }
  });

  it('redactSecret keeps only the role prefix and the length', () => {
    expect(redactSecret(secret)).toBe(`live_secret_…(${secret.length} chars)`);
    expect(redactSecret('x'.repeat(40))).toBe('…(40 chars)');
    expect(redactSecret(undefined)).toBe('[undefined]');
  });
});

describe('the options as the host gave them', () => {
  it.each([
    ['forRoot', () => FlowModule.forRoot({ apiSecret: secret })],
    [
      'forRootAsync',
      () => FlowModule.forRootAsync({ useFactory: () => Promise.resolve({ apiSecret: secret }) }),
    ],
  ])('print redacted after %s', async (_name, register) => {
    const moduleRef = await Test.createTestingModule({ imports: [register()] }).compile();
    const given = moduleRef.get<symbol, FlowModuleOptions>(FLOW_MODULE_OPTIONS);
    expect(given.apiSecret).toBe(secret);
    for (const text of renderings(given)) expect(text).not.toContain(secret);
  });
});

describe('an event store in the options', () => {
  it('is named, never dumped, so a Redis URL password cannot print', async () => {
    class PasswordHoldingStore {
      readonly url = `redis://user:${secret}@127.0.0.1:6379`;
      claim = () => Promise.resolve({ state: 'done' as const });
      renew = () => Promise.resolve(false);
      complete = () => Promise.resolve(false);
      release = () => Promise.resolve(false);
      recordFailure = () => Promise.resolve(null);
    }
    const store = new PasswordHoldingStore();
    const moduleRef = await Test.createTestingModule({
      imports: [FlowModule.forRoot({ apiSecret: previous, webhook: { store } })],
    }).compile();
    for (const value of [moduleRef.get(FLOW_MODULE_OPTIONS), moduleRef.get(FLOW_OPTIONS)]) {
      for (const text of renderings(value)) expect(text).not.toContain(secret);
      expect(JSON.stringify(value)).toContain('PasswordHoldingStore');
    }
  });
});
