import 'reflect-metadata';
import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { FLOW_OPTIONS } from '../../lib/flow.constants.js';
import {
  FlowConfigurationError,
  FlowModule,
  FlowSigner,
  type FlowModuleAsyncOptions,
  type FlowOptions,
  type FlowOptionsFactory,
} from '../../lib/index.js';
import {
  EXAMPLE_CUSTOMER_REFERENCE,
  EXAMPLE_SECRET,
  EXAMPLE_SIGNATURE,
} from '../fixtures/flow-protocol.js';
import { withEnv } from '../support/with-env.js';

const SECRET_TOKEN = Symbol('SECRET_TOKEN');
const secretProvider = { provide: SECRET_TOKEN, useValue: EXAMPLE_SECRET };
const fromToken = (secret: string) => ({ apiSecret: secret });

@Module({ providers: [secretProvider], exports: [SECRET_TOKEN] })
class SecretModule {}

@Global()
@Module({ providers: [secretProvider], exports: [SECRET_TOKEN] })
class GlobalSecretModule {}

/** A provider of a module that does not import FlowModule: it resolves only if FlowModule is global. */
@Injectable()
class Elsewhere {
  constructor(@Inject(FlowSigner) readonly signer: FlowSigner) {}
}
@Module({ providers: [Elsewhere] })
class ElsewhereModule {}

@Injectable()
class ValuesFactory implements FlowOptionsFactory {
  createFlowOptions() {
    return { apiSecret: EXAMPLE_SECRET };
  }
}

async function compile(async: FlowModuleAsyncOptions, host: Array<new () => object> = []) {
  return Test.createTestingModule({ imports: [FlowModule.forRootAsync(async), ...host] }).compile();
}

// One case per top-level key beside the factory; each fails if forRootAsync drops that key.
describe('forRootAsync uses each top-level key given beside the factory', () => {
  it('imports: the factory injects a provider of an imported module', async () => {
    const ref = await compile({
      imports: [SecretModule],
      inject: [SECRET_TOKEN],
      useFactory: fromToken,
    });
    expect(ref.get(FlowSigner).sign(EXAMPLE_CUSTOMER_REFERENCE)).toBe(EXAMPLE_SIGNATURE);
  });

  it('inject: the factory receives the injected values', async () => {
    const ref = await compile(
      { inject: [SECRET_TOKEN], useFactory: fromToken, envFallback: false },
      [GlobalSecretModule],
    );
    expect(ref.get(FlowSigner).sign(EXAMPLE_CUSTOMER_REFERENCE)).toBe(EXAMPLE_SIGNATURE);
  });

  it('extraProviders: the factory injects a provider added to the module', async () => {
    const ref = await compile({
      extraProviders: [secretProvider],
      inject: [SECRET_TOKEN],
      useFactory: fromToken,
    });
    expect(ref.get(FlowSigner).sign(EXAMPLE_CUSTOMER_REFERENCE)).toBe(EXAMPLE_SIGNATURE);
  });

  it('isGlobal: a module that does not import FlowModule injects FlowSigner', async () => {
    const ref = await compile({ isGlobal: true, useFactory: () => fromToken(EXAMPLE_SECRET) }, [
      ElsewhereModule,
    ]);
    expect(ref.get(Elsewhere).signer.sign(EXAMPLE_CUSTOMER_REFERENCE)).toBe(EXAMPLE_SIGNATURE);
  });

  it('envFallback: false reads no FLOW_* variable', async () => {
    await withEnv({ FLOW_TEMPLATE_ID: 'flwtmp_fromenvironment' }, async () => {
      const ref = await compile({
        envFallback: false,
        useFactory: () => fromToken(EXAMPLE_SECRET),
      });
      expect(ref.get<FlowOptions>(FLOW_OPTIONS).templateId).toBeUndefined();
    });
  });
});

describe('forRootAsync refuses keys it would otherwise ignore', () => {
  it.each([
    ['inject beside useClass', { useClass: ValuesFactory, inject: [SECRET_TOKEN] }, /inject/],
    ['inject beside useExisting', { useExisting: ValuesFactory, inject: [] }, /inject/],
    [
      'useFactory with useClass',
      { useFactory: () => fromToken(EXAMPLE_SECRET), useClass: ValuesFactory },
      /useFactory and useClass/,
    ],
    [
      'useClass with useExisting',
      { useClass: ValuesFactory, useExisting: ValuesFactory },
      /useClass and useExisting/,
    ],
    ['an unknown key', { useFactory: () => ({}), webhooks: {} }, /unknown key 'webhooks'/],
  ] as const)('%s', (_name, options, message) => {
    const register = () => FlowModule.forRootAsync(options as FlowModuleAsyncOptions);
    expect(register).toThrow(FlowConfigurationError);
    expect(register).toThrow(message);
  });
});
