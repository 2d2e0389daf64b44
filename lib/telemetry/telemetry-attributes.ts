/**
 * Every attribute key telemetry may write, on a metric point or a span. Nothing else reaches the
 * SDK: {@link flowAttributes} drops any other key, so a secret, a signature, a customer reference
 * or a session id cannot be added by accident.
 */
export const FLOW_ATTRIBUTE_KEYS = [
  'flow.event.name',
  'flow.event.id',
  'flow.delivery.outcome',
  'flow.refusal.reason',
  'flow.handler.name',
  'flow.store.kind',
  'flow.store.operation',
  'flow.store.outcome',
  'flow.api.operation',
  'flow.route',
  'http.response.status_class',
  'http.request.method',
  'http.request.resend_count',
  'http.response.status_code',
  'server.address',
  'server.port',
  'url.full',
  'url.template',
  'error.type',
] as const;

/** One of {@link FLOW_ATTRIBUTE_KEYS}. */
export type FlowAttributeKey = (typeof FLOW_ATTRIBUTE_KEYS)[number];

/** Attributes as telemetry's callers give them. */
export type FlowAttributes = Partial<Record<FlowAttributeKey, string | number>>;

const ALLOWED: ReadonlySet<string> = new Set(FLOW_ATTRIBUTE_KEYS);

/** A copy holding only allowed keys with string or finite number values. */
export function flowAttributes(given: FlowAttributes): Record<string, string | number> {
  const kept: Record<string, string | number> = {};
  for (const key of Object.keys(given)) {
    const value = (given as Record<string, unknown>)[key];
    if (!ALLOWED.has(key)) continue;
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
      kept[key] = value;
    }
  }
  return kept;
}

/** `2xx`…`5xx` for an HTTP status; `error` when there was none. */
export function statusClassOf(status: number | undefined): string {
  if (status === undefined || !Number.isInteger(status) || status < 100 || status > 599) {
    return 'error';
  }
  return `${Math.floor(status / 100)}xx`;
}

// Event names are signed by Cognito, so they stay few; anything unexpected still becomes 'other'.
const EVENT_NAME = /^[a-z][a-z0-9_.]{0,63}$/;

/** The event name as a low-cardinality attribute value. */
export function eventNameValue(name: unknown): string {
  return typeof name === 'string' && EVENT_NAME.test(name) ? name : 'other';
}
