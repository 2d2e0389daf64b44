import { probeFlowApi } from '../api/flow-api-probe.js';
import { cliApiClient, describeApiFailure } from './cli-api-client.js';
import { CliFailure } from './cli-errors.js';
import type { CliSecret } from './cli-flow-options.js';
import { fail, pass, warn, type DoctorCheck } from './doctor-check.js';

const NAME = 'API accepts key and secret';

/**
 * `doctor --online`: one signed `GET /flow_sessions/<unknown id>`. A 404 means Cognito verified
 * the signature (the key and secret are a pair, the clock is right); a 401 means it did not.
 */
export async function onlineCheck(
  env: Record<string, string | undefined>,
  secret: CliSecret,
): Promise<DoctorCheck> {
  let client;
  try {
    client = cliApiClient(env, secret, () => undefined);
  } catch (error) {
    if (error instanceof CliFailure) return fail(NAME, error.message);
    throw error;
  }
  const probe = await probeFlowApi(client);
  switch (probe.outcome) {
    case 'accepted':
      return pass(
        NAME,
        `${client.baseUrl} accepted the signed request (404 for an unknown session).`,
      );
    case 'unexpected':
      return warn(NAME, `${client.baseUrl} answered a session for an id that should not exist.`);
    case 'refused':
      return fail(
        NAME,
        `${client.baseUrl} refused the signed request (${probe.status}).`,
        'Copy FLOW_API_KEY and FLOW_API_SECRET again from the same environment of the Flow ' +
          'dashboard (a sandbox key goes with the sandbox secret), check that the server clock is ' +
          'within minutes of real time, and that FLOW_API_BASE_URL (if set) is the host of that environment.',
      );
    case 'unknown':
      return warn(
        NAME,
        `Could not tell: ${describeApiFailure(probe.error)}`,
        'Check the network path to the API host and FLOW_API_BASE_URL, then run doctor --online again.',
      );
  }
}
