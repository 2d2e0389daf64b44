import { FlowConfigurationError } from './flow-configuration.error.js';
import { flowKeyShape, type FlowKeyShape } from '../http-signature/secret-shape.js';
import { assertPublishableKeyPrefix } from './publishable-key-prefix.js';

/** Secrets this short are guesses or placeholders; Cognito's are far longer. */
export const MIN_SECRET_LENGTH = 32;

// Space, or a C0 control or DEL: Unicode's control characters (Cc) less the C1 block.
const WHITESPACE_OR_CONTROL = /[^\P{Cc}\u0080-\u009f]| /u;

/** How a key of each role is described in messages (its prefix only: never its value). */
const ROLE_NAMES = {
  secret: 'an API secret',
  api_key: 'an API key id',
  publishable_key: 'a publishable key',
} as const;

/**
 * A value wrapped in one pair of literal quotes (`"…"` or `'…'`), as Docker's `--env-file` and
 * some secret stores pass `KEY="value"`: the quotes would become part of the key.
 * @throws FlowConfigurationError `quoted_value`, naming the label and the quotes, never the value.
 */
export function assertNotQuoted(value: string, label: string): void {
  const first = value[0];
  if (value.length < 2 || (first !== '"' && first !== "'") || value.at(-1) !== first) return;
  throw new FlowConfigurationError(
    'quoted_value',
    `${label} is wrapped in literal quotes (${first}…${first}), so they would count as part of the ` +
      "value. Docker's --env-file and some secret stores keep quotes: remove them around the value " +
      '(KEY=value), or load the file with a .env parser, which strips them.',
  );
}

/**
 * Checks one secret and returns its shape. `label` names where it came from (`apiSecret` /
 * `FLOW_API_SECRET`); messages name the label and the problem, never the value.
 */
export function validateSecret(value: unknown, label: string): FlowKeyShape {
  if (value === undefined || value === null || value === '') {
    throw new FlowConfigurationError(
      'missing_secret',
      `${label} is missing or empty. Set FLOW_API_SECRET in the environment (a sandbox secret on ` +
        'development machines) or pass apiSecret to FlowModule.forRoot().',
    );
  }
  if (typeof value !== 'string') {
    throw new FlowConfigurationError(
      'invalid_secret',
      `${label} must be a string, got ${typeof value}.`,
    );
  }
  assertNotQuoted(value, label);
  if (value.trim() !== value) {
    throw new FlowConfigurationError(
      'padded_secret',
      `${label} has leading or trailing whitespace (often a newline from a secrets file). ` +
        'Remove it: Cognito signs with the exact bytes of the secret.',
    );
  }
  const shape = flowKeyShape(value);
  if (shape.kind === 'api_key' || shape.kind === 'publishable_key') {
    throw new FlowConfigurationError(
      'misplaced_key',
      `${label} holds ${ROLE_NAMES[shape.kind]} (${shape.environment}_${shape.kind}_…), not the API ` +
        'secret. Copy the secret (…_secret_…) from the Flow dashboard.',
    );
  }
  if (WHITESPACE_OR_CONTROL.test(value)) {
    throw new FlowConfigurationError(
      'invalid_secret',
      `${label} contains whitespace or a control character. Copy the secret again from the Flow dashboard.`,
    );
  }
  if (value.length < MIN_SECRET_LENGTH) {
    throw new FlowConfigurationError(
      'short_secret',
      `${label} is ${value.length} characters long; an API secret has at least ${MIN_SECRET_LENGTH}. ` +
        'Check that the whole secret was copied.',
    );
  }
  return shape;
}

/**
 * Checks a public identifier (API key id, publishable key, template id) is not a secret or a key
 * of another role, and returns its shape.
 */
export function validatePublicKey(
  value: unknown,
  label: string,
  expected: 'api_key' | 'publishable_key' | 'template',
): FlowKeyShape | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '' || WHITESPACE_OR_CONTROL.test(value)) {
    throw new FlowConfigurationError(
      'invalid_option',
      `${label} must be a non-empty string without whitespace.`,
    );
  }
  // A quoted key is as broken as a quoted secret: Cognito would never match it.
  assertNotQuoted(value, label);
  const shape = flowKeyShape(value);
  if (shape.kind === 'secret') {
    // The value is a secret in a field that may be sent to browsers or logged: say so, never echo it.
    throw new FlowConfigurationError(
      'misplaced_key',
      `${label} holds an API secret (…_secret_…). Secrets belong in apiSecret / FLOW_API_SECRET only; ` +
        'rotate this secret in the Flow dashboard if it was ever exposed.',
    );
  }
  if (shape.kind !== 'unknown' && shape.kind !== expected) {
    throw new FlowConfigurationError(
      'misplaced_key',
      `${label} holds ${ROLE_NAMES[shape.kind]} (${shape.environment}_${shape.kind}_…). Check which ` +
        'dashboard value goes where: apiKey is live_key_…, publishableKey is live_publishable_key_….',
    );
  }
  if (expected === 'publishable_key') assertPublishableKeyPrefix(value, shape, label);
  return shape;
}
