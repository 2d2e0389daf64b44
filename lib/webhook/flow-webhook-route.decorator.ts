import { SetMetadata, UseGuards, applyDecorators } from '@nestjs/common';
import { FLOW_WEBHOOK_ROUTE } from './flow-webhook.constants.js';
import { FlowWebhookGuard } from './flow-webhook.guard.js';
import { FLOW_WEBHOOK_PUBLIC_PATH, checkRoutePublicPath } from './webhook-route-metadata.js';

/** Options of {@link FlowWebhookRoute}. */
export interface FlowWebhookRouteOptions {
  /**
   * The path Cognito signs for this route, when a proxy rewrites it (Cognito posts to
   * `/hooks/flow`, the app sees `/flow`). Binds the route to that path alone; overrides
   * `webhook.publicPath`. Default: `webhook.publicPath`, else the path as received.
   */
  publicPath?: string;
}

/**
 * Marks a handler as the Flow webhook receiver and guards it with {@link FlowWebhookGuard}, in one
 * decorator: a route can never be exempted from the host's auth guard without being verified.
 * Host guards read {@link FLOW_WEBHOOK_ROUTE} to skip user authentication on it.
 * @throws FlowConfigurationError when `publicPath` is not an absolute path.
 */
export const FlowWebhookRoute = (
  options: FlowWebhookRouteOptions = {},
): MethodDecorator & ClassDecorator => {
  checkRoutePublicPath(options.publicPath);
  const decorators = [SetMetadata(FLOW_WEBHOOK_ROUTE, true), UseGuards(FlowWebhookGuard)];
  if (options.publicPath !== undefined)
    decorators.push(SetMetadata(FLOW_WEBHOOK_PUBLIC_PATH, options.publicPath));
  return applyDecorators(...decorators);
};
