import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { flowConfig, type FlowEnvironmentValues } from './config/flow.config.js';
import { FlowConfigurationError } from './config/flow-configuration.error.js';
import type {
  FlowModuleAsyncOptions,
  FlowModuleOptions,
  FlowModuleValues,
  FlowOptionsFactory,
} from './config/flow-module-options.interface.js';
import { hideSecrets } from './config/hide-secrets.js';
import { explainMissingSecret, type FlowRegistration } from './config/missing-secret.js';
import { resolveFlowOptions } from './config/resolve-flow-options.js';
import { FLOW_MODULE_OPTIONS, FLOW_OPTIONS } from './flow.constants.js';
import { signatureEndpointParts } from './signature-endpoint/signature-endpoint-parts.js';
import { FlowSigner } from './signing/flow-signer.js';
import { eventsParts } from './events/events-parts.js';
import { webhookParts } from './webhook/webhook-parts.js';

/**
 * Signs customer references, serves the current user's signature, and verifies Flow webhooks.
 * `FlowModule.forRoot()` with no argument reads everything from `FLOW_*` environment variables.
 * Routes exist only when their option blocks (`signatureEndpoint`, `webhook.path`) are given.
 */
@Module({})
export class FlowModule {
  /**
   * Registers the module. Fields given here override the `FLOW_*` environment field by field.
   * @throws FlowConfigurationError when the signature endpoint is enabled without guards.
   */
  static forRoot(options: FlowModuleOptions = {}): DynamicModule {
    const { isGlobal, ...values } = options;
    return FlowModule.build(
      isGlobal,
      { provide: FLOW_MODULE_OPTIONS, useValue: hideSecrets({ ...values }) },
      options,
      [],
    );
  }

  /**
   * Registers the module with values from an async factory (a vault, ConfigService…). Guards and
   * routes are static fields beside the factory: Nest must know them while it scans modules.
   */
  static forRootAsync(options: FlowModuleAsyncOptions): DynamicModule {
    const providers: Provider[] = [];
    let valuesProvider: Provider;
    if (options.useFactory) {
      const factory = options.useFactory;
      valuesProvider = {
        provide: FLOW_MODULE_OPTIONS,
        // A copy with redacted printing: the factory's own object may be logged by the host.
        useFactory: async (...args: unknown[]) => hideSecrets({ ...(await factory(...args)) }),
        inject: options.inject ?? [],
      };
    } else {
      const factoryClass = options.useClass ?? options.useExisting;
      if (!factoryClass) {
        throw new FlowConfigurationError(
          'invalid_option',
          'FlowModule.forRootAsync() needs useFactory, useClass or useExisting.',
        );
      }
      if (options.useClass)
        providers.push({ provide: options.useClass, useClass: options.useClass });
      valuesProvider = {
        provide: FLOW_MODULE_OPTIONS,
        useFactory: async (factory: FlowOptionsFactory) =>
          hideSecrets({ ...(await factory.createFlowOptions()) }),
        inject: [factoryClass],
      };
    }
    return FlowModule.build(
      options.isGlobal,
      valuesProvider,
      { signatureEndpoint: options.signatureEndpoint, webhook: options.webhook },
      options.imports ?? [],
      providers,
      'forRootAsync',
    );
  }

  private static build(
    isGlobal: boolean | undefined,
    valuesProvider: Provider,
    staticShape: Pick<FlowModuleOptions, 'signatureEndpoint' | 'webhook'>,
    imports: NonNullable<DynamicModule['imports']>,
    extraProviders: Provider[] = [],
    registration: FlowRegistration = 'forRoot',
  ): DynamicModule {
    const endpoint = signatureEndpointParts(staticShape.signatureEndpoint);
    const webhook = webhookParts();
    const events = eventsParts(staticShape.webhook?.path);
    const optionsProvider: Provider = {
      provide: FLOW_OPTIONS,
      useFactory: (values: FlowModuleValues, env: FlowEnvironmentValues) =>
        explainMissingSecret(registration, () =>
          resolveFlowOptions(mergeStaticShape(values, staticShape), env),
        ),
      inject: [FLOW_MODULE_OPTIONS, flowConfig.KEY],
    };
    return {
      module: FlowModule,
      global: isGlobal ?? false,
      imports: [
        ConfigModule.forFeature(flowConfig),
        ...imports,
        ...endpoint.imports,
        ...events.imports,
      ],
      controllers: [...endpoint.controllers, ...events.controllers],
      providers: [
        ...extraProviders,
        valuesProvider,
        optionsProvider,
        FlowSigner,
        ...webhook.providers,
        ...events.providers,
      ],
      exports: [FLOW_OPTIONS, FlowSigner, ...webhook.exports, ...events.exports],
    };
  }
}

/**
 * Lays the static route shapes over the values. Route shapes (guards, paths) coming from a factory
 * are refused rather than silently ignored: the host would believe they took effect.
 */
function mergeStaticShape(
  values: FlowModuleValues | FlowModuleOptions | undefined,
  shape: Pick<FlowModuleOptions, 'signatureEndpoint' | 'webhook'>,
): FlowModuleOptions {
  const given = (values ?? {}) as FlowModuleOptions;
  if (given.signatureEndpoint && given.signatureEndpoint !== shape.signatureEndpoint) {
    const { customerReference, ...rest } = given.signatureEndpoint;
    if (Object.keys(rest).length > 0) {
      throw new FlowConfigurationError(
        'invalid_option',
        'The options factory returned signatureEndpoint guards/path/imports. Give them beside the ' +
          'factory: FlowModule.forRootAsync({ useFactory, signatureEndpoint: { guards: [YourAuthGuard] } }).',
      );
    }
  }
  if (given.webhook?.path !== undefined && given.webhook.path !== shape.webhook?.path) {
    throw new FlowConfigurationError(
      'invalid_option',
      'The options factory returned webhook.path. Give it beside the factory: ' +
        "FlowModule.forRootAsync({ useFactory, webhook: { path: 'webhook_receivers/flow' } }).",
    );
  }
  return {
    ...given,
    signatureEndpoint: shape.signatureEndpoint && {
      ...shape.signatureEndpoint,
      customerReference:
        given.signatureEndpoint?.customerReference ?? shape.signatureEndpoint.customerReference,
    },
    webhook: { ...given.webhook, path: shape.webhook?.path },
  };
}
