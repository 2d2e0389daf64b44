import 'reflect-metadata';
import { afterAll, beforeAll } from 'vitest';
import { FlowModule, type FlowModuleAsyncOptions } from '../../lib/index.js';
import { type FlowModuleValues } from '../../lib/config/flow-module-options.interface.js';
import { startFlowApiStandIn, type FlowApiStandIn } from '../api/support/flow-api-stand-in.js';
import { EXAMPLE_SECRET } from '../fixtures/flow-protocol.js';
import {
  PUBLISHABLE_KEY,
  TEMPLATE_ID,
  jwtEndpoint,
  type Registration,
} from './signature-test-app.js';

/** The live API key the stand-in accepts and the module sends. */
export const API_KEY = 'live_key_0123456789abcdef0123456789abcdef';

/** The hosted-session route the specs mount (`hostedSessionPath` with a leading slash). */
export const ROUTE = '/users/current/flow_session';

/** How a spec registers FlowModule for the hosted-session route. */
export interface HostedSessionModuleOptions {
  /** `forRoot` (the default) or `forRootAsync`. */
  registration?: Registration;
  /** Merged into the bearer-guarded signature endpoint that serves {@link ROUTE}. */
  endpoint?: Partial<NonNullable<FlowModuleAsyncOptions['signatureEndpoint']>>;
  /** Merged over the defaults: the example secret, the live keys, the stand-in, one retry. */
  values?: FlowModuleValues;
}

/** The Flow API stand-in of a spec file and the FlowModule that talks to it. */
export interface HostedSessionApi {
  /** The running stand-in; it exists from the file's `beforeAll` to its `afterAll`. */
  api: () => FlowApiStandIn;
  /** FlowModule with the hosted-session route, pointed at the stand-in. */
  flowModule: (options?: HostedSessionModuleOptions) => ReturnType<typeof FlowModule.forRoot>;
}

/**
 * Starts a Flow API stand-in (example secret, {@link API_KEY}) before the calling file's or
 * `describe`'s tests and closes it after them.
 */
export function useHostedSessionApi(): HostedSessionApi {
  let running: FlowApiStandIn | undefined;
  beforeAll(async () => {
    running = await startFlowApiStandIn({ secret: EXAMPLE_SECRET, apiKey: API_KEY });
  });
  afterAll(() => running?.close());

  const api = (): FlowApiStandIn => {
    if (running === undefined) throw new Error('The Flow API stand-in starts in beforeAll.');
    return running;
  };
  const flowModule = ({
    registration = 'forRoot',
    endpoint = {},
    values = {},
  }: HostedSessionModuleOptions = {}) => {
    const signatureEndpoint = jwtEndpoint({ hostedSessionPath: ROUTE.slice(1), ...endpoint });
    const all: FlowModuleValues = {
      apiSecret: EXAMPLE_SECRET,
      apiKey: API_KEY,
      publishableKey: PUBLISHABLE_KEY,
      templateId: TEMPLATE_ID,
      apiBaseUrl: api().baseUrl,
      api: { maxRetries: 1 },
      ...values,
    };
    return registration === 'forRoot'
      ? FlowModule.forRoot({ ...all, signatureEndpoint })
      : FlowModule.forRootAsync({ useFactory: () => all, signatureEndpoint });
  };
  return { api, flowModule };
}
