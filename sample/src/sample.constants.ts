/** Injection token of the {@link SampleConfig} the app was started with. */
export const SAMPLE_CONFIG = Symbol('SAMPLE_CONFIG');

/** The built-in receiver's route, outside the `api` prefix as in Cognito's docs. */
export const WEBHOOK_PATH = 'webhook_receivers/flow';

/** The current user's hosted Flow session (for a mobile WebView), under the `api` prefix. */
export const HOSTED_SESSION_PATH = 'users/current/flow_session';
