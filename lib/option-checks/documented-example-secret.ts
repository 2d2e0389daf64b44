/**
 * Cognito's documented example secret (FLOW-PROTOCOL section 2). It is public, so anyone can sign
 * customer references and webhooks with it: the module refuses it in production and `doctor`
 * flags it everywhere.
 */
export const COGNITO_EXAMPLE_SECRET =
  'live_secret_abcd1234abcd1234abcd1234abcd1234abcd1234abcd1234abcd1234abcd1234';
