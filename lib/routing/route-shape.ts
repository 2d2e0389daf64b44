import { VERSION_NEUTRAL, type Type } from '@nestjs/common';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';

/** A route version as `@Controller({ version })` takes it: `'1'`, `['1', '2']` or `VERSION_NEUTRAL`. */
export type FlowRouteVersion =
  string | typeof VERSION_NEUTRAL | Array<string | typeof VERSION_NEUTRAL>;

/** What a host may set on each controller the module generates. */
export interface FlowRouteShape {
  /** Version under `app.enableVersioning()`; default `VERSION_NEUTRAL`. */
  version?: FlowRouteVersion;
  /** Class decorators applied to the generated controller. */
  decorators?: ClassDecorator[];
}

/**
 * A route path option (`webhook.path`, `signatureEndpoint.path`…), or undefined when not given.
 * @throws FlowConfigurationError for an empty path or one with whitespace, a query or a fragment.
 */
export function routePath(value: unknown, label: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || /[\s?#]/.test(value)) {
    throw new FlowConfigurationError(
      'invalid_option',
      `${label} must be a path such as 'webhook_receivers/flow'.`,
    );
  }
  return value;
}

/**
 * The version a generated controller declares. Neutral by default, so the route stays at the
 * path the host configured in Cognito under every versioning type (URI, header, media type,
 * custom): `defaultVersion` would otherwise move it to `/v1/…` and Cognito would get 404.
 */
export function routeVersion(
  version: FlowRouteVersion | undefined,
  label: string,
): FlowRouteVersion {
  if (version === undefined) return VERSION_NEUTRAL;
  const valid = (item: unknown): boolean =>
    item === VERSION_NEUTRAL || (typeof item === 'string' && item.trim() !== '');
  if (!(Array.isArray(version) ? version.length > 0 && version.every(valid) : valid(version))) {
    throw new FlowConfigurationError(
      'invalid_option',
      `${label}.version must be a version string such as '1', an array of them, or VERSION_NEUTRAL.`,
    );
  }
  return version;
}

/** Checks `decorators` is an array of functions, so a typo fails at start-up, not silently. */
export function routeDecorators(decorators: unknown, label: string): ClassDecorator[] {
  if (decorators === undefined) return [];
  if (!Array.isArray(decorators) || !decorators.every((item) => typeof item === 'function')) {
    throw new FlowConfigurationError(
      'invalid_option',
      `${label}.decorators must be an array of class decorators, e.g. [SkipThrottle(), Public()] ` +
        '(call the decorator factories: SkipThrottle(), not SkipThrottle).',
    );
  }
  return decorators as ClassDecorator[];
}

/**
 * Applies the host's class decorators to a generated controller, as TypeScript would for
 * `@A() @B() class …` (the last one first). They run before Nest scans the module, so metadata
 * they set (`@SkipThrottle()`, `@Public()`, `@ApiExcludeController()`) is seen like any other.
 */
export function applyRouteDecorators(target: Type, decorators: readonly ClassDecorator[]): void {
  for (const decorate of [...decorators].reverse()) {
    const replaced = decorate(target) as unknown;
    if (replaced !== undefined && replaced !== target) {
      throw new FlowConfigurationError(
        'invalid_option',
        'A decorator in signatureEndpoint.decorators / webhook.decorators replaced the controller ' +
          'class. Only decorators that add metadata (SetMetadata, SkipThrottle, ApiTags…) are supported.',
      );
    }
  }
}

/**
 * Refuses a route shape (version, decorators) returned by an async factory: routes are fixed
 * before any factory runs, so the host would believe it took effect.
 */
export function refuseFactoryRouteShape(
  given: FlowRouteShape | undefined,
  shape: FlowRouteShape | undefined,
): void {
  for (const field of ['version', 'decorators'] as const) {
    if (given?.[field] !== undefined && given[field] !== shape?.[field]) {
      throw new FlowConfigurationError(
        'invalid_option',
        `The options factory returned webhook.${field}. Give it beside the factory: ` +
          `FlowModule.forRootAsync({ useFactory, webhook: { path, ${field} } }).`,
      );
    }
  }
}
