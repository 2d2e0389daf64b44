import type { Logger } from '@nestjs/common';
import {
  EVENT_PROCESSING_OPTION_KEYS,
  resolveEventProcessingOptions,
  type FlowEventProcessingOptions,
  type ResolvedFlowEventProcessingOptions,
} from '../events/event-processing-options.js';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { wholeNumberOption } from '../option-checks/whole-number.js';
import { routePath, type FlowRouteVersion } from '../routing/route-shape.js';
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_TOLERANCE_SECONDS,
  isPublicPath,
} from '../verifier/flow-webhook-verifier-options.js';

/**
 * Webhook verification and, when `path` is set, the built-in receiver route; the processing
 * fields (`store`, `maxAttempts`…) belong to the events part and are checked there.
 */
export interface FlowWebhookOptions extends FlowEventProcessingOptions {
  /** Registers the built-in receiver at this path (e.g. `webhook_receivers/flow`). Unset: no route. */
  path?: string;
  /**
   * The path Cognito signed, when a proxy rewrites it before the app sees it (e.g. the app sees
   * `/flow` but Cognito posts to `/hooks/flow`). Default: the path as received.
   */
  publicPath?: string;
  /** Largest accepted distance between `Date` and the server clock, both ways. Default 900 (15 min). */
  toleranceSeconds?: number;
  /** Largest accepted body in bytes, checked before hashing. Default 1 MiB. */
  maxBodyBytes?: number;
  /** The built-in receiver's version under `app.enableVersioning()`. Default `VERSION_NEUTRAL`. */
  version?: FlowRouteVersion;
  /** Class decorators put on the built-in receiver's controller (`[SkipThrottle(), Public()]`). */
  decorators?: ClassDecorator[];
}

/** The receiver's route shape: fixed while Nest scans modules, so never from an async factory. */
export const WEBHOOK_ROUTE_KEYS = [
  'path',
  'version',
  'decorators',
] as const satisfies ReadonlyArray<keyof FlowWebhookOptions>;

/** Every key the `webhook` block accepts; any other is refused at start-up. */
export const WEBHOOK_OPTION_KEYS = [
  ...WEBHOOK_ROUTE_KEYS,
  'publicPath',
  'toleranceSeconds',
  'maxBodyBytes',
  ...EVENT_PROCESSING_OPTION_KEYS,
] as const satisfies ReadonlyArray<keyof FlowWebhookOptions>;

/** Webhook settings after defaults are applied. */
export interface ResolvedFlowWebhookOptions extends ResolvedFlowEventProcessingOptions {
  /** Built-in receiver path, or undefined when the host writes its own route. */
  readonly path?: string;
  /** The path Cognito signed, when a proxy rewrites it. */
  readonly publicPath?: string;
  /** Accepted clock distance of `Date`, both ways, in seconds. */
  readonly toleranceSeconds: number;
  /** Largest accepted body, in bytes. */
  readonly maxBodyBytes: number;
}

/** What the webhook guard and its start-up check read from the module's resolved options. */
export interface FlowWebhookSettings {
  /** Every secret a verification tries, the current one first. */
  readonly secrets: readonly string[];
  /** The accepted `keyId`s, or undefined to accept any. */
  readonly apiKeys?: readonly string[];
  /** The `webhook` block. */
  readonly webhook: ResolvedFlowWebhookOptions;
}

/**
 * Checks the `webhook` block and applies its defaults (the processing fields through the events
 * part's own check).
 * @throws FlowConfigurationError naming the option and how to fix it.
 */
export function resolveWebhookOptions(
  webhook: FlowWebhookOptions = {},
  logger: Pick<Logger, 'warn'>,
): ResolvedFlowWebhookOptions {
  const publicPath = webhook.publicPath;
  if (publicPath !== undefined && !isPublicPath(publicPath)) {
    throw new FlowConfigurationError(
      'invalid_option',
      "webhook.publicPath must be the absolute path Cognito posts to, such as '/webhook_receivers/flow'.",
    );
  }
  const toleranceSeconds = wholeNumberOption(
    webhook.toleranceSeconds,
    'webhook.toleranceSeconds',
    DEFAULT_TOLERANCE_SECONDS,
    1,
  );
  return {
    path: routePath(webhook.path, 'webhook.path'),
    publicPath,
    toleranceSeconds,
    maxBodyBytes: wholeNumberOption(
      webhook.maxBodyBytes,
      'webhook.maxBodyBytes',
      DEFAULT_MAX_BODY_BYTES,
      1,
    ),
    ...resolveEventProcessingOptions(webhook, toleranceSeconds, logger),
  };
}
