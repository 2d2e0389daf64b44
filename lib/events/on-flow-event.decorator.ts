import type { FlowEventName } from '../verifier/flow-webhook-event.js';

/** Metadata key holding the event names a method handles (an array: the decorator stacks). */
export const FLOW_EVENT_HANDLER_METADATA = 'nestjs-cognito-flow:on-flow-event';

/** The wildcard: a handler for every event, including names Cognito adds later. */
export const ANY_FLOW_EVENT = '*';

/**
 * Marks a provider method as a handler of a Flow event (or `'*'` for all of them). The method
 * receives the verified, typed event and the delivery's `FlowEventContext` (whose
 * `fetchSession()` reads the session from Cognito's API), and may be async: the delivery is
 * acknowledged only after every handler of the event resolved. Stack it to handle several names
 * with one method.
 *
 * ```ts
 * @OnFlowEvent('flow_session.status.updated')
 * async onStatus(event: FlowSessionStatusUpdatedEvent, context: FlowEventContext) { … }
 * ```
 */
export function OnFlowEvent(name: FlowEventName | typeof ANY_FLOW_EVENT): MethodDecorator {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(
      "@OnFlowEvent() needs an event name such as 'flow_session.status.updated', or '*'.",
    );
  }
  return (_target, propertyKey, descriptor) => {
    const method = descriptor.value as unknown;
    if (typeof method !== 'function') {
      throw new TypeError(
        `@OnFlowEvent('${name}') must decorate a method, not ${String(propertyKey)}.`,
      );
    }
    const names =
      (Reflect.getMetadata(FLOW_EVENT_HANDLER_METADATA, method) as string[] | undefined) ?? [];
    if (!names.includes(name))
      Reflect.defineMetadata(FLOW_EVENT_HANDLER_METADATA, [...names, name], method);
    return descriptor;
  };
}
