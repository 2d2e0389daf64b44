import { escapeTerminalText } from '../delivery/escape-terminal.js';
import { isLoopbackHostname } from '../delivery/loopback-url.js';
import type { FlowEmulatorSession } from '../emulator/emulator-sessions.js';
import type { FlowEmulatorDelivery } from '../emulator/webhook-deliveries.js';
import { CliFailure, CliUsageError } from './cli-errors.js';

/** What `GET /emulator/state` answers: the emulator's public keys, its sessions and deliveries. */
export interface EmulatorState {
  keys: { apiKey: string; publishableKey: string; templateId: string };
  sessions: FlowEmulatorSession[];
  deliveries: FlowEmulatorDelivery[];
}

/**
 * The emulator's URL from `--url` or `FLOW_API_BASE_URL`: a loopback `http:` URL, since the
 * control routes change sessions without a signature and exist only on a local emulator.
 */
export function emulatorUrl(raw: string | undefined): URL {
  let url: URL | undefined;
  try {
    url = raw === undefined ? undefined : new URL(raw);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.protocol !== 'http:' || !isLoopbackHostname(url.hostname))
    throw new CliUsageError(
      'invalid_emulator_url',
      "Pass the emulator's URL with --url (or FLOW_API_BASE_URL), e.g. http://127.0.0.1:4010: a loopback http: URL.",
    );
  return url;
}

/** One call to an emulator route; the emulator's refusals become {@link CliFailure}s. */
export async function callEmulator(
  base: URL,
  method: 'GET' | 'POST',
  path: string,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(new URL(path, base), {
      method,
      body: method === 'POST' ? '{}' : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    throw new CliFailure('emulator_unreachable', `No emulator answered at ${base.origin}.`);
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown> & {
    errors?: Array<{ message?: string }>;
  };
  if (!response.ok)
    throw new CliFailure(
      'emulator_refused',
      `The emulator answered ${response.status}: ${escapeTerminalText(body.errors?.[0]?.message ?? 'no reason given')}`,
    );
  return body;
}

/** `GET /emulator/state`, checked to be a Flow emulator's answer. */
export async function readEmulatorState(base: URL): Promise<EmulatorState> {
  const body = await callEmulator(base, 'GET', '/emulator/state');
  const keys = body.keys as EmulatorState['keys'] | undefined;
  if (
    typeof keys?.apiKey !== 'string' ||
    typeof keys.templateId !== 'string' ||
    !Array.isArray(body.deliveries)
  )
    throw new CliFailure(
      'not_an_emulator',
      `${base.origin} did not answer as a Flow emulator of this version ('cognito-flow emulator').`,
    );
  return body as unknown as EmulatorState;
}
