import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from './emulator-http.js';
import {
  EMULATOR_TOKEN_HEADER,
  controlRefusal,
  isEmulatorHost,
  parseRequestTarget,
  type ControlAccess,
} from './emulator-request-gate.js';

/** What {@link admitRequest} checks a request against. */
export interface EmulatorAdmission extends ControlAccess {
  /** The `Host` values answered (see `emulatorHosts`). */
  hosts: ReadonlySet<string>;
}

// A refused request's body is not read: the connection closes after the answer.
const CLOSE = { Connection: 'close' };

/**
 * The checks before any route: an origin-form request-target (400), a `Host` naming the emulator
 * on loopback (421, against DNS rebinding), and for `/emulator/*` the control rule of
 * {@link controlRefusal} (403). Returns the parsed target, or undefined once it has answered.
 */
export function admitRequest(
  admission: EmulatorAdmission,
  request: IncomingMessage,
  response: ServerResponse,
): URL | undefined {
  const url = parseRequestTarget(request.url);
  if (url === undefined) {
    sendError(
      response,
      400,
      'bad_request_target',
      'The request-target must be a path such as /flow.js.',
      CLOSE,
    );
    return undefined;
  }
  if (!isEmulatorHost(request, admission.hosts)) {
    sendError(
      response,
      421,
      'host_not_allowed',
      'The Flow emulator answers only Host localhost, 127.0.0.1 or [::1] with its own port: ' +
        'use the URL it printed.',
      CLOSE,
    );
    return undefined;
  }
  if (!url.pathname.startsWith('/emulator/')) return url;
  const refusal = controlRefusal(request, admission);
  if (refusal === undefined) return url;
  sendError(
    response,
    403,
    refusal,
    refusal === 'bad_token'
      ? `The ${EMULATOR_TOKEN_HEADER} header does not hold this run's token (see the status page).`
      : "The emulator's control routes answer its own pages, the app's origins it knows " +
          `(allowedOrigins, the webhook URL's), clients that are not browsers, and the ` +
          `${EMULATOR_TOKEN_HEADER} header holding the run's token (see the status page).`,
    CLOSE,
  );
  return undefined;
}
