import {
  createFlowWebhookVerifier,
  type FlowWebhookVerifier,
} from '../verifier/verify-flow-webhook.js';
import type { FlowWebhookSettings } from './webhook-options.js';

/** The guard's verifier, prepared once from the module's settings (keys made at construction). */
export function createGuardVerifier(settings: FlowWebhookSettings): FlowWebhookVerifier {
  return createFlowWebhookVerifier({
    secrets: settings.secrets,
    apiKeys: settings.apiKeys,
    toleranceSeconds: settings.webhook.toleranceSeconds,
    maxBodyBytes: settings.webhook.maxBodyBytes,
    publicPath: settings.webhook.publicPath,
  });
}
