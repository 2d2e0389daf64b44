/** Injection token of the {@link FlowEventStore} the dispatcher uses (the host's or the default memory store). */
export const FLOW_EVENT_STORE = Symbol('FLOW_EVENT_STORE');
