/**
 * Cognito's published examples, which this build must reproduce. Kept here, not imported from the
 * test fixtures, because the installed tool runs without the repository's tests.
 */

import { COGNITO_EXAMPLE_SECRET } from '../option-checks/documented-example-secret.js';

/** Cognito's documented example secret: public, so a configuration must never use it. */
export const KNOWN_SECRET = COGNITO_EXAMPLE_SECRET;

/** The customer reference of Cognito's signing example. */
export const KNOWN_CUSTOMER_REFERENCE = '3a409367-a417-4d46-9a92-3d7bc5dc4605';

/** base64(HMAC-SHA256(KNOWN_SECRET, KNOWN_CUSTOMER_REFERENCE)), as Cognito documents it. */
export const KNOWN_SIGNATURE = 'yw0hqBPOIWcHPFZBsaMPnxktOrWwWkZcWP+TneV5D48=';

/** Cognito's example webhook delivery, signed with {@link KNOWN_SECRET}. */
export const KNOWN_WEBHOOK = {
  path: '/webhook_receivers/flow',
  date: 'Sat, 23 Jan 2021 21:43:14 GMT',
  apiKey: 'live_key_deadbeefcafedeadbeefcafedeadbeef',
  body:
    '{"id":"whkevt_11111111111111","timestamp":"2021-01-01T00:00:00Z","event":"flow_session.status.updated",' +
    '"data":{"object":"flow_session","id":"flwses_11111111111111","status":"failed","step":null,' +
    '"customer_reference":"cafecafe-beef-beef-beef-cafecafecafe","_meta":"This API format is not v1.0 and is subject to change."},' +
    '"environment":"live"}',
  digest: 'SHA-256=xZI8wiAi5crBdZt7l10plN7Q8bScB6r/OV5PjxjKtTw=',
  signature: 'PkvXq6CcH0d5HA7hiK5JWsA+e7G+7fuZPLtM2rMe4/8=',
} as const;
