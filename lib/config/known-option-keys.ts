import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { SIGNATURE_ENDPOINT_OPTION_KEYS } from '../signature-endpoint/signature-endpoint-options.js';
import { WEBHOOK_OPTION_KEYS } from '../webhook/webhook-options.js';
import type { FlowModuleAsyncOptions, FlowModuleOptions } from './flow-module-options.interface.js';

/** Fields of the values every registration reads (forRoot options, a factory's return). */
const VALUE_KEYS = [
  'apiSecret',
  'previousApiSecrets',
  'apiKey',
  'previousApiKeys',
  'publishableKey',
  'templateId',
  'apiBaseUrl',
  'api',
  'signatureEndpoint',
  'webhook',
  'telemetry',
] as const satisfies ReadonlyArray<keyof FlowModuleOptions>;

/** Known keys of each object a host hands the module, by where it is given. */
export const KNOWN_OPTION_KEYS = {
  forRoot: [...VALUE_KEYS, 'isGlobal', 'envFallback'],
  forRootAsync: [
    'imports',
    'inject',
    'useFactory',
    'useClass',
    'useExisting',
    'extraProviders',
    'isGlobal',
    'envFallback',
    'signatureEndpoint',
    'webhook',
  ] as const satisfies ReadonlyArray<keyof FlowModuleAsyncOptions>,
  factory: VALUE_KEYS,
  // Each part owns the keys of its block, beside the block's type.
  signatureEndpoint: SIGNATURE_ENDPOINT_OPTION_KEYS,
  webhook: WEBHOOK_OPTION_KEYS,
} as const satisfies Record<string, readonly string[]>;

/** Where an options object was given, as named in messages. */
const LABELS: Record<keyof typeof KNOWN_OPTION_KEYS, string> = {
  forRoot: 'FlowModule.forRoot() options',
  forRootAsync: 'FlowModule.forRootAsync() options',
  factory: "The forRootAsync() factory's values",
  signatureEndpoint: 'signatureEndpoint',
  webhook: 'webhook',
};

function refuseUnknown(value: unknown, kind: keyof typeof KNOWN_OPTION_KEYS): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new FlowConfigurationError('invalid_option', `${LABELS[kind]} must be an object.`);
  }
  const known: readonly string[] = KNOWN_OPTION_KEYS[kind];
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  // Key names only, never values: a misspelt key may well hold a secret.
  throw new FlowConfigurationError(
    'invalid_option',
    `${LABELS[kind]} have unknown key${unknown.length > 1 ? 's' : ''} ${unknown
      .map((key) => `'${key}'`)
      .join(', ')} (a typo is otherwise silently ignored). Known keys: ${known.join(', ')}.`,
  );
}

/**
 * Refuses keys the module does not know, at the top level and in the `signatureEndpoint` and
 * `webhook` blocks, naming the known ones. Only key names reach the message.
 */
export function assertKnownOptionKeys(
  options: unknown,
  kind: 'forRoot' | 'forRootAsync' | 'factory',
): void {
  refuseUnknown(options, kind);
  const blocks = (options ?? {}) as { signatureEndpoint?: unknown; webhook?: unknown };
  refuseUnknown(blocks.signatureEndpoint, 'signatureEndpoint');
  refuseUnknown(blocks.webhook, 'webhook');
}
