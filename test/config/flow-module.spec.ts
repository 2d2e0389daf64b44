import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { ModulesContainer } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { FLOW_ENVIRONMENT_VARIABLES, flowConfig } from '../../lib/config/flow.config.js';
import { FLOW_OPTIONS } from '../../lib/flow.constants.js';
import {
  FlowModule,
  FlowOptions,
  FlowSigner,
  InjectFlowOptions,
  type FlowOptionsFactory,
} from '../../lib/index.js';
import { type FlowModuleValues } from '../../lib/config/flow-module-options.interface.js';
import {
  EXAMPLE_CUSTOMER_REFERENCE,
  EXAMPLE_SECRET,
  EXAMPLE_SIGNATURE,
} from '../fixtures/flow-protocol.js';
import { generateSecret } from '../support/test-secrets.js';
import { withEnv } from '../support/with-env.js';

const FLOW_VARS = Object.values(FLOW_ENVIRONMENT_VARIABLES);

afterEach(() => {
  for (const name of FLOW_VARS) delete process.env[name];
});

async function compile(imports: any[]) {
  return Test.createTestingModule({ imports }).compile();
}

describe('FlowModule.forRoot', () => {
  it('signs the known answer with options given in code', async () => {
    const moduleRef = await compile([FlowModule.forRoot({ apiSecret: EXAMPLE_SECRET })]);
    expect(moduleRef.get(FlowSigner).sign(EXAMPLE_CUSTOMER_REFERENCE)).toBe(EXAMPLE_SIGNATURE);
  });

  it('with no argument reads FLOW_* from the environment through @nestjs/config', async () => {
    await withEnv(
      {
        FLOW_API_SECRET: EXAMPLE_SECRET,
        FLOW_PUBLISHABLE_KEY: 'live_publishable_key_0123456789abcdef0123456789abcdef',
        FLOW_TEMPLATE_ID: 'flwtmp_abc',
        FLOW_API_KEY: 'live_key_deadbeefcafedeadbeefcafedeadbeef',
        FLOW_PREVIOUS_API_KEYS:
          'live_key_00000000000000000000000000000000, live_key_11111111111111111111111111111111',
      },
      async () => {
        const moduleRef = await compile([FlowModule.forRoot()]);
        expect(moduleRef.get(FlowSigner).sign(EXAMPLE_CUSTOMER_REFERENCE)).toBe(EXAMPLE_SIGNATURE);
        const options = moduleRef.get<FlowOptions>(FLOW_OPTIONS);
        expect(options.templateId).toBe('flwtmp_abc');
        expect(options.apiKeys).toEqual([
          'live_key_deadbeefcafedeadbeefcafedeadbeef',
          'live_key_00000000000000000000000000000000',
          'live_key_11111111111111111111111111111111',
        ]);
      },
    );
  });

  it('lets options override the environment field by field', async () => {
    const envSecret = generateSecret('live');
    await withEnv({ FLOW_API_SECRET: envSecret, FLOW_TEMPLATE_ID: 'flwtmp_from_env' }, async () => {
      const moduleRef = await compile([FlowModule.forRoot({ apiSecret: EXAMPLE_SECRET })]);
      const options = moduleRef.get<FlowOptions>(FLOW_OPTIONS);
      expect(moduleRef.get(FlowSigner).sign(EXAMPLE_CUSTOMER_REFERENCE)).toBe(EXAMPLE_SIGNATURE);
      expect(options.apiSecret).toBe(EXAMPLE_SECRET);
      expect(options.templateId).toBe('flwtmp_from_env');
    });
  });

  it('reads previous secrets from FLOW_PREVIOUS_API_SECRETS and verifies with them', async () => {
    const current = generateSecret('live');
    await withEnv(
      { FLOW_API_SECRET: current, FLOW_PREVIOUS_API_SECRETS: `${EXAMPLE_SECRET}` },
      async () => {
        const moduleRef = await compile([FlowModule.forRoot()]);
        const signer = moduleRef.get(FlowSigner);
        expect(signer.verify(EXAMPLE_CUSTOMER_REFERENCE, EXAMPLE_SIGNATURE)).toBe(true);
        expect(signer.sign(EXAMPLE_CUSTOMER_REFERENCE)).not.toBe(EXAMPLE_SIGNATURE);
      },
    );
  });

  it('registers no controller, hence no route, when no route block is given', async () => {
    const countControllers = async (imports: any[]) => {
      const moduleRef = await compile(imports);
      const modules = [...moduleRef.get(ModulesContainer).values()];
      return modules.reduce((sum, module) => sum + module.controllers.size, 0);
    };
    expect(await countControllers([FlowModule.forRoot({ apiSecret: EXAMPLE_SECRET })])).toBe(0);
    // Positive control: the same count sees the controllers that route blocks add.
    const withRoutes = FlowModule.forRoot({
      apiSecret: EXAMPLE_SECRET,
      publishableKey: 'live_publishable_key_0123456789abcdef0123456789abcdef',
      templateId: 'flwtmp_abc',
      signatureEndpoint: { guards: [{ canActivate: () => false }] },
      webhook: { path: 'webhook_receivers/flow' },
    });
    expect(await countControllers([withRoutes])).toBe(2);
  });

  it('is injectable everywhere with isGlobal, and through @InjectFlowOptions()', async () => {
    @Injectable()
    class Consumer {
      constructor(
        readonly signer: FlowSigner,
        @InjectFlowOptions() readonly options: FlowOptions,
      ) {}
    }
    @Module({ providers: [Consumer] })
    class FeatureModule {}
    const moduleRef = await compile([
      FlowModule.forRoot({ apiSecret: EXAMPLE_SECRET, isGlobal: true }),
      FeatureModule,
    ]);
    const consumer = moduleRef.get(Consumer);
    expect(consumer.signer.sign(EXAMPLE_CUSTOMER_REFERENCE)).toBe(EXAMPLE_SIGNATURE);
    expect(consumer.options.apiSecret).toBe(EXAMPLE_SECRET);
  });

  it('without isGlobal, a module that does not import FlowModule cannot inject the signer', async () => {
    @Injectable()
    class Consumer {
      constructor(readonly signer: FlowSigner) {}
    }
    @Module({ providers: [Consumer] })
    class FeatureModule {}
    await expect(
      compile([FlowModule.forRoot({ apiSecret: EXAMPLE_SECRET }), FeatureModule]),
    ).rejects.toThrow(/FlowSigner/);
  });
});

describe('FlowModule.forRootAsync', () => {
  it('useFactory with ConfigModule/ConfigService and environment variables', async () => {
    await withEnv({ MY_FLOW_SECRET: EXAMPLE_SECRET }, async () => {
      const moduleRef = await compile([
        ConfigModule.forRoot({ ignoreEnvFile: true }),
        FlowModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            apiSecret: config.getOrThrow('MY_FLOW_SECRET'),
          }),
        }),
      ]);
      expect(moduleRef.get(FlowSigner).sign(EXAMPLE_CUSTOMER_REFERENCE)).toBe(EXAMPLE_SIGNATURE);
    });
  });

  it('useFactory over the flow config namespace loaded by the host', async () => {
    await withEnv({ FLOW_API_SECRET: EXAMPLE_SECRET }, async () => {
      const moduleRef = await compile([
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [flowConfig] }),
        FlowModule.forRootAsync({
          imports: [ConfigModule],
          inject: [flowConfig.KEY],
          useFactory: (flow: ReturnType<typeof flowConfig>) => ({ apiSecret: flow.apiSecret }),
        }),
      ]);
      expect(moduleRef.get(FlowSigner).sign(EXAMPLE_CUSTOMER_REFERENCE)).toBe(EXAMPLE_SIGNATURE);
      expect(moduleRef.get(ConfigService).get('flow.apiSecret')).toBe(EXAMPLE_SECRET);
    });
  });

  it('an async factory may return a promise', async () => {
    const moduleRef = await compile([
      FlowModule.forRootAsync({
        useFactory: () => Promise.resolve({ apiSecret: EXAMPLE_SECRET }),
      }),
    ]);
    expect(moduleRef.get(FlowSigner).sign(EXAMPLE_CUSTOMER_REFERENCE)).toBe(EXAMPLE_SIGNATURE);
  });

  it('useClass and useExisting', async () => {
    @Injectable()
    class FlowConfigFactory implements FlowOptionsFactory {
      createFlowOptions(): FlowModuleValues {
        return { apiSecret: EXAMPLE_SECRET };
      }
    }
    const viaClass = await compile([FlowModule.forRootAsync({ useClass: FlowConfigFactory })]);
    expect(viaClass.get(FlowSigner).sign(EXAMPLE_CUSTOMER_REFERENCE)).toBe(EXAMPLE_SIGNATURE);

    @Module({ providers: [FlowConfigFactory], exports: [FlowConfigFactory] })
    class FactoryModule {}
    const viaExisting = await compile([
      FlowModule.forRootAsync({ imports: [FactoryModule], useExisting: FlowConfigFactory }),
    ]);
    expect(viaExisting.get(FlowSigner).sign(EXAMPLE_CUSTOMER_REFERENCE)).toBe(EXAMPLE_SIGNATURE);
  });

  it('fills fields the factory leaves out from the environment', async () => {
    await withEnv({ FLOW_TEMPLATE_ID: 'flwtmp_env' }, async () => {
      const moduleRef = await compile([
        FlowModule.forRootAsync({ useFactory: () => ({ apiSecret: EXAMPLE_SECRET }) }),
      ]);
      expect(moduleRef.get<FlowOptions>(FLOW_OPTIONS).templateId).toBe('flwtmp_env');
    });
  });

  it('refuses route shapes returned by the factory instead of ignoring them', async () => {
    await expect(
      compile([
        FlowModule.forRootAsync({
          useFactory: () => ({ apiSecret: EXAMPLE_SECRET, webhook: { path: 'hooks/flow' } }),
        }),
      ]),
    ).rejects.toThrow(/beside the factory/);
  });

  it('needs one of useFactory, useClass, useExisting', () => {
    expect(() => FlowModule.forRootAsync({})).toThrow(/useFactory, useClass or useExisting/);
  });
});
