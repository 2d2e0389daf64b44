import { afterEach } from 'vitest';
import { type FlowModuleOptions } from '../../lib/index.js';
import {
  startWebhookApp,
  type WebhookApp,
  type WebhookPlatform,
} from '../support/flow-webhook-app.js';

/** The options {@link startWebhookApp} takes after the module's. */
type AppOptions = Parameters<typeof startWebhookApp>[2];

/** The one webhook app a test starts on a platform. */
export interface WebhookHost {
  /** The running app; throws when the test has not started one. */
  current: () => WebhookApp;
  /** Starts the app; a start-up error rejects. */
  start: (flow: FlowModuleOptions, options?: AppOptions) => Promise<WebhookApp>;
  /** Starts the app; resolves to the start-up error, or to undefined when it started. */
  startUpError: (flow: FlowModuleOptions, options?: AppOptions) => Promise<unknown>;
}

/**
 * Starts webhook apps on one platform for the tests of the calling `describe`, and closes the
 * running one after each test.
 */
export function useWebhookHost(platform: WebhookPlatform): WebhookHost {
  let host: WebhookApp | undefined;
  afterEach(async () => {
    await host?.app.close();
    host = undefined;
  });
  const start = async (flow: FlowModuleOptions, options?: AppOptions) => {
    host = await startWebhookApp(platform, flow, options);
    return host;
  };
  return {
    current: () => {
      if (host === undefined) throw new Error('No webhook app was started in this test.');
      return host;
    },
    start,
    startUpError: (flow, options) =>
      start(flow, options).then(
        () => undefined,
        (error: unknown) => error,
      ),
  };
}
