import { FlowConfigurationError } from './flow-configuration.error.js';
import type { FlowKeyShape } from '../http-signature/secret-shape.js';

/**
 * Lowercase words joined by underscores, as every Flow key starts (`live_publishable_key_`,
 * `sandbox_secret_`). Only values of this shape have their prefix checked: a placeholder such as
 * the sample's `PLACEHOLDER_set_FLOW_PUBLISHABLE_KEY` or a test's `pk` is not mistaken for a key.
 */
const LOOKS_LIKE_FLOW_KEY = /^[a-z]+_[a-z_]+_/;

/**
 * Refuses a publishable key that starts like a Flow key but not with `<env>_publishable_key_` (a
 * typo such as `live_publishabel_key_…`): the browser's `new Flow()` would fail with it. Keys of
 * another role were refused before this by their own message. The value is never echoed: a
 * mistyped secret may be behind any prefix.
 */
export function assertPublishableKeyPrefix(
  value: string,
  shape: FlowKeyShape,
  label: string,
): void {
  if (shape.kind !== 'unknown' || !LOOKS_LIKE_FLOW_KEY.test(value)) return;
  throw new FlowConfigurationError(
    'invalid_option',
    `${label} starts like a Flow key but not with <environment>_publishable_key_ ` +
      '(live_publishable_key_… or sandbox_publishable_key_…). Copy the publishable key again from ' +
      'the Flow dashboard; check FLOW_PUBLISHABLE_KEY for a typo in its prefix.',
  );
}
