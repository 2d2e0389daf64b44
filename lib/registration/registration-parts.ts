import type { Provider } from '@nestjs/common';
import type { FlowModuleOptions } from '../config/flow-module-options.interface.js';
import { DEFAULT_SIGNATURE_PATH } from '../config/resolve-flow-options.js';
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
 * other: its description (kind and routes) and the check, which runs once per app.
 */
export function registrationParts(
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
  return {
    providers: [{ provide: FLOW_REGISTRATION, useValue: registration }, FlowRegistrationCheck],
  };
}
