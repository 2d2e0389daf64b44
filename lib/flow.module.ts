import { Logger, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { FlowApiClient } from './api/flow-api-client.js';
import { flowApiClientProvider } from './api/flow-api-client.provider.js';
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
import { assertKnownOptionKeys } from './config/known-option-keys.js';
import { describeOptionSources } from './config/option-sources.js';
import { explainMissingSecret } from './config/missing-secret.js';
import { resolveFlowOptions } from './config/resolve-flow-options.js';
import { FLOW_MODULE_OPTIONS, FLOW_OPTIONS } from './flow.constants.js';
import { signatureEndpointParts } from './signature-endpoint/signature-endpoint-parts.js';
import { FlowSigner } from './signing/flow-signer.js';
import { eventsParts } from './events/events-parts.js';
import { webhookParts } from './webhook/webhook-parts.js';
import { refuseFactoryRouteShape } from './routing/route-shape.js';
import { registrationParts, type FlowRegistrationKind } from './registration/registration-parts.js';

/** How a registration reads its values, beside the values themselves. */
interface FlowSources {
  /** Which static method registered the module. */
  readonly kind: FlowRegistrationKind;
  /** `false`: no `FLOW_*` variable is read at all. */
  readonly envFallback: boolean;
}

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
    assertKnownOptionKeys(options, 'forRoot');
    const { isGlobal, envFallback, ...values } = options;
    return FlowModule.build(
      isGlobal,
      { provide: FLOW_MODULE_OPTIONS, useValue: hideSecrets({ ...values }) },
      options,
      [],
      [],
      { kind: 'forRoot', envFallback: envFallbackOf(envFallback) },
    );
  }

  /**
   * Registers the module with values from an async factory (a vault, ConfigService…). Guards and
   * routes are static fields beside the factory: Nest must know them while it scans modules.
   */
  static forRootAsync(options: FlowModuleAsyncOptions): DynamicModule {
    assertKnownOptionKeys(options, 'forRootAsync');
    const providers: Provider[] = [...(options.extraProviders ?? [])];
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
      { kind: 'forRootAsync', envFallback: envFallbackOf(options.envFallback) },
    );
  }

  private static build(
    isGlobal: boolean | undefined,
    valuesProvider: Provider,
    staticShape: Pick<FlowModuleOptions, 'signatureEndpoint' | 'webhook'>,
    imports: NonNullable<DynamicModule['imports']>,
    extraProviders: Provider[],
    sources: FlowSources,
  ): DynamicModule {
    const endpoint = signatureEndpointParts(staticShape.signatureEndpoint);
    const webhook = webhookParts();
    const events = eventsParts(staticShape.webhook?.path, staticShape.webhook);
    const registration = registrationParts(sources.kind, staticShape);
    const optionsProvider: Provider = {
      provide: FLOW_OPTIONS,
      useFactory: (values: FlowModuleValues, env: FlowEnvironmentValues = {}) => {
        if (sources.kind === 'forRootAsync') assertKnownOptionKeys(values, 'factory');
        const given = mergeStaticShape(values, staticShape);
        new Logger('FlowModule').debug(describeOptionSources(given, env, sources.envFallback));
        return explainMissingSecret(sources.kind, () =>
          resolveFlowOptions(given, sources.envFallback ? env : {}),
        );
      },
      // envFallback: false leaves the namespace out entirely, so process.env is never read.
      inject: sources.envFallback ? [FLOW_MODULE_OPTIONS, flowConfig.KEY] : [FLOW_MODULE_OPTIONS],
    };
    return {
      module: FlowModule,
      global: isGlobal ?? false,
      imports: [
        ...(sources.envFallback ? [ConfigModule.forFeature(flowConfig)] : []),
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
        flowApiClientProvider,
        ...webhook.providers,
        ...events.providers,
        ...endpoint.providers,
        ...registration.providers,
      ],
      exports: [FLOW_OPTIONS, FlowSigner, FlowApiClient, ...webhook.exports, ...events.exports],
    };
  }
}

function envFallbackOf(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'boolean') {
    throw new FlowConfigurationError('invalid_option', 'envFallback must be true or false.');
  }
  return value;
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
    if (Object.keys(given.signatureEndpoint).some((key) => key !== 'customerReference')) {
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
  refuseFactoryRouteShape(given.webhook, shape.webhook);
  return {
    ...given,
    signatureEndpoint: shape.signatureEndpoint && {
      ...shape.signatureEndpoint,
      customerReference:
        given.signatureEndpoint?.customerReference ?? shape.signatureEndpoint.customerReference,
    },
    webhook: {
      ...given.webhook,
      path: shape.webhook?.path,
      version: shape.webhook?.version,
      decorators: shape.webhook?.decorators,
    },
  };
}
