import { Logger, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { FlowApiClient } from './api/flow-api-client.js';
import { flowApiClientProvider } from './api/flow-api-client.provider.js';
import { asyncValuesProviders } from './config/async-registration.js';
import { flowConfig, type FlowEnvironmentValues } from './config/flow.config.js';
import type {
  FlowModuleAsyncOptions,
  FlowModuleOptions,
  FlowModuleValues,
} from './config/flow-module-options.interface.js';
import { hideSecrets } from './config/hide-secrets.js';
import { assertKnownOptionKeys } from './config/known-option-keys.js';
import { mergeFactoryValues, type FlowStaticShape } from './config/merge-factory-values.js';
import { explainMissingSecret } from './config/missing-secret.js';
import { describeOptionSources, envFallbackOf } from './config/option-sources.js';
import { resolveFlowOptions } from './config/resolve-flow-options.js';
import { eventsProviders } from './events/events.providers.js';
import { FLOW_MODULE_OPTIONS, FLOW_OPTIONS } from './flow.constants.js';
import {
  registrationProviders,
  type FlowRegistrationKind,
} from './registration/registration.providers.js';
import { signatureEndpointProviders } from './signature-endpoint/signature-endpoint.providers.js';
import { FlowSigner } from './signing/flow-signer.js';
import { FLOW_TELEMETRY } from './telemetry/telemetry.constants.js';
import { flowTelemetryProvider } from './telemetry/telemetry.providers.js';
import { webhookProviders } from './webhook/webhook.providers.js';

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
    const { values, providers } = asyncValuesProviders(options);
    return FlowModule.build(
      options.isGlobal,
      values,
      { signatureEndpoint: options.signatureEndpoint, webhook: options.webhook },
      options.imports ?? [],
      providers,
      { kind: 'forRootAsync', envFallback: envFallbackOf(options.envFallback) },
    );
  }

  private static build(
    isGlobal: boolean | undefined,
    valuesProvider: Provider,
    staticShape: FlowStaticShape,
    imports: NonNullable<DynamicModule['imports']>,
    extraProviders: Provider[],
    sources: FlowSources,
  ): DynamicModule {
    const endpoint = signatureEndpointProviders(staticShape.signatureEndpoint);
    const webhook = webhookProviders(staticShape.webhook?.path, staticShape.webhook);
    const events = eventsProviders();
    const registration = registrationProviders(sources.kind, staticShape);
    const optionsProvider: Provider = {
      provide: FLOW_OPTIONS,
      useFactory: (values: FlowModuleValues, env: FlowEnvironmentValues = {}) => {
        if (sources.kind === 'forRootAsync') assertKnownOptionKeys(values, 'factory');
        const given = mergeFactoryValues(values, staticShape);
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
        ...webhook.imports,
      ],
      controllers: [...endpoint.controllers, ...webhook.controllers],
      providers: [
        ...extraProviders,
        valuesProvider,
        optionsProvider,
        FlowSigner,
        flowTelemetryProvider,
        flowApiClientProvider,
        ...webhook.providers,
        ...events.providers,
        ...endpoint.providers,
        ...registration.providers,
      ],
      // FLOW_TELEMETRY too: the guard on a host's route is built in the host's module.
      exports: [
        FLOW_OPTIONS,
        FLOW_TELEMETRY,
        FlowSigner,
        FlowApiClient,
        ...webhook.exports,
        ...events.exports,
      ],
    };
  }
}
