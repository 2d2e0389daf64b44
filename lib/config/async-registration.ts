import type { Provider } from '@nestjs/common';
import { FLOW_MODULE_OPTIONS } from '../flow.constants.js';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import type {
  FlowModuleAsyncOptions,
  FlowOptionsFactory,
} from './flow-module-options.interface.js';
import { hideSecrets } from './hide-secrets.js';

function refuse(message: string): never {
  throw new FlowConfigurationError('invalid_option', message);
}

/**
 * The provider of the values `forRootAsync()` reads (from `useFactory`, `useClass` or
 * `useExisting`), and the providers it needs. Keys that would otherwise be ignored are refused:
 * more than one way to make the values, or `inject` without `useFactory`.
 * @throws FlowConfigurationError saying which key to keep.
 */
export function asyncValuesProviders(options: FlowModuleAsyncOptions): {
  /** The provider of `FLOW_MODULE_OPTIONS`. */
  values: Provider;
  /** `extraProviders`, and the `useClass` class. */
  providers: Provider[];
} {
  const ways = (['useFactory', 'useClass', 'useExisting'] as const).filter(
    (key) => options[key] !== undefined,
  );
  if (ways.length === 0) {
    throw new FlowConfigurationError(
      'invalid_option',
      'FlowModule.forRootAsync() needs useFactory, useClass or useExisting.',
    );
  }
  if (ways.length > 1) {
    refuse(
      `FlowModule.forRootAsync() got ${ways.join(' and ')}: only one of them would be used. Keep ` +
        'exactly one of useFactory, useClass and useExisting.',
    );
  }
  const providers: Provider[] = [...(options.extraProviders ?? [])];
  if (options.useFactory) {
    const factory = options.useFactory;
    return {
      providers,
      values: {
        provide: FLOW_MODULE_OPTIONS,
        // A copy with redacted printing: the factory's own object may be logged by the host.
        useFactory: async (...args: unknown[]) => hideSecrets({ ...(await factory(...args)) }),
        inject: options.inject ?? [],
      },
    };
  }
  if (options.inject !== undefined) {
    refuse(
      `FlowModule.forRootAsync() got inject beside ${ways[0]}, where it is never read: a ` +
        `${ways[0]} class gets its dependencies through its own constructor. Remove inject, or ` +
        'use useFactory with inject.',
    );
  }
  const factoryClass = (options.useClass ?? options.useExisting)!;
  if (options.useClass) providers.push({ provide: options.useClass, useClass: options.useClass });
  return {
    providers,
    values: {
      provide: FLOW_MODULE_OPTIONS,
      useFactory: async (factory: FlowOptionsFactory) =>
        hideSecrets({ ...(await factory.createFlowOptions()) }),
      inject: [factoryClass],
    },
  };
}
