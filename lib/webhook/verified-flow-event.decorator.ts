import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { FLOW_WEBHOOK_EVENT_KEY } from './flow-webhook.constants.js';

/**
 * The verified webhook event, in a handler guarded by `FlowWebhookGuard`:
 * `handle(@VerifiedFlowEvent() event: FlowWebhookEvent)`. Without the guard there is no verified event,
 * and reading one is a wiring mistake, reported as such rather than handing over unverified data.
 */
export const VerifiedFlowEvent = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => {
    const request = context.switchToHttp().getRequest<Record<string, unknown> | undefined>();
    const event = request?.[FLOW_WEBHOOK_EVENT_KEY];
    if (event === undefined) {
      throw new FlowConfigurationError(
        'missing_guard',
        '@VerifiedFlowEvent() is used on a route without FlowWebhookGuard. Add @UseGuards(FlowWebhookGuard) ' +
          '(or @FlowWebhookRoute()) to the handler.',
      );
    }
    return event;
  },
);
