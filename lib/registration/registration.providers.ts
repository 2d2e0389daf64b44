import type { Provider } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import type { FlowOptions } from '../config/flow-options.js';
import { FLOW_OPTIONS } from '../flow.constants.js';
import { FLOW_APP_INFO, type FlowAppInfo } from './flow-app-info.js';
import type { FlowModuleOptions } from '../config/flow-module-options.interface.js';
import { DEFAULT_SIGNATURE_PATH } from '../signature-endpoint/signature-endpoint-options.js';
import {
  FLOW_REGISTRATION,
  FlowRegistrationCheck,
  type FlowRegisteredRoute,
  type FlowRegistration,
} from './flow-registration.js';

/** Which static method registered FlowModule. */
export type FlowRegistrationKind = FlowRegistration['kind'];

/**
 * What each registration adds so that two registrations of one app can be checked against each
 * other (its description and the check, which runs once per app), and what the testing helpers
 * read about the running app.
 */
export function registrationProviders(
  kind: FlowRegistrationKind,
  shape: Pick<FlowModuleOptions, 'signatureEndpoint' | 'webhook'>,
): { providers: Provider[] } {
  const routes: FlowRegisteredRoute[] = [];
  const endpoint = shape.signatureEndpoint;
  if (endpoint !== undefined && endpoint.enabled !== false) {
    routes.push({
      method: 'GET',
      path: endpoint.path ?? DEFAULT_SIGNATURE_PATH,
      version: endpoint.version,
      option: 'signatureEndpoint.path',
    });
    if (endpoint.hostedSessionPath !== undefined) {
      routes.push({
        method: 'POST',
        path: endpoint.hostedSessionPath,
        version: endpoint.version,
        option: 'signatureEndpoint.hostedSessionPath',
      });
    }
  }
  if (shape.webhook?.path !== undefined) {
    routes.push({
      method: 'POST',
      path: shape.webhook.path,
      version: shape.webhook.version,
      option: 'webhook.path',
    });
  }
  const registration: FlowRegistration = { kind, routes };
  const appInfo: Provider = {
    provide: FLOW_APP_INFO,
    useFactory: (options: FlowOptions, config: ApplicationConfig): FlowAppInfo => ({
      options,
      globalPrefix: () => config.getGlobalPrefix(),
    }),
    inject: [FLOW_OPTIONS, ApplicationConfig],
  };
  return {
    providers: [
      { provide: FLOW_REGISTRATION, useValue: registration },
      FlowRegistrationCheck,
      appInfo,
    ],
  };
}
