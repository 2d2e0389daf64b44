/**
 * A flow session id as a regular-expression source: `flwses_` and 1 to 100 letters or digits.
 * FLOW-PROTOCOL.md gives only the prefix; 100 is the most the client has accepted, so every
 * part (client, CLI, emulator routes) accepts the same ids. Letters and digits only, so an id
 * placed in a path cannot smuggle another path in.
 */
export const FLOW_SESSION_ID_SOURCE = 'flwses_[A-Za-z0-9]{1,100}';

const FLOW_SESSION_ID = new RegExp(`^${FLOW_SESSION_ID_SOURCE}$`);

/** True for a well-formed flow session id (see {@link FLOW_SESSION_ID_SOURCE}). */
export function isFlowSessionId(value: unknown): value is string {
  return typeof value === 'string' && FLOW_SESSION_ID.test(value);
}
