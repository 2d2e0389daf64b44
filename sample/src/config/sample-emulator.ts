import { startFlowEmulator, type FlowEmulator } from '../../../lib/emulator/index.js';
import { SampleConfigError, type SampleConfig } from './sample-config.js';

/** The emulator the sample runs beside itself in development, and the settings it gives the app. */
export interface SampleEmulator {
  emulator: FlowEmulator;
  /** The config with the emulator's keys and script in place of the placeholders. */
  config: SampleConfig;
}

/**
 * Starts the Flow emulator on 127.0.0.1 with the sample's development secret (so signatures made
 * before a restart still verify) and generated public keys; the page then loads its flow.js.
 * Webhooks are pointed at the app with {@link pointWebhooksAtApp} once the app listens.
 */
export async function startSampleEmulator(config: SampleConfig): Promise<SampleEmulator> {
  let emulator: FlowEmulator;
  try {
    emulator = await startFlowEmulator({
      port: config.emulatorPort,
      keys: { apiSecret: config.devSecret?.value },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
    throw new SampleConfigError(
      `The Flow emulator cannot listen on SAMPLE_EMULATOR_PORT ${config.emulatorPort} (${code}). ` +
        'Pick another port, or unset it to let the emulator pick a free one.',
    );
  }
  const { apiKey, publishableKey, templateId } = emulator.keys;
  return {
    emulator,
    config: {
      ...config,
      // The emulator answers Cognito's API too: the app's FlowApiClient calls it, never the real host.
      flowValues: {
        ...config.flowValues,
        apiKey,
        apiBaseUrl: emulator.apiBaseUrl,
        publishableKey,
        templateId,
      },
      flowApi: true,
      placeholders: { publishableKey: false, templateId: false },
      flowScriptUrl: emulator.scriptUrl,
      emulatorUrl: emulator.apiBaseUrl,
    },
  };
}

/** Sends the emulator's webhooks to the app's own receiver, on loopback (IPv6 when the app is). */
export function pointWebhooksAtApp(
  emulator: FlowEmulator,
  appHost: string,
  port: number,
  webhookPath: string,
): void {
  const loopback = appHost.includes(':') ? '[::1]' : '127.0.0.1';
  emulator.setWebhookUrl(`http://${loopback}:${port}/${webhookPath}`);
}
