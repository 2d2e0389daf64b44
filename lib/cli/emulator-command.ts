import { readFlowEnvironment } from '../config/flow.config.js';
import { FlowConfigurationError } from '../option-checks/flow-configuration.error.js';
import { validateSecret } from '../option-checks/validate-keys.js';
import { escapeTerminalText } from '../delivery/escape-terminal.js';
import { startFlowEmulator, type FlowEmulator } from '../emulator/flow-emulator.js';
import { FlowEmulatorError } from '../emulator/flow-emulator.error.js';
import type { FlowEmulatorDelivery } from '../emulator/webhook-deliveries.js';
import type { CliCommand, CliContext } from './cli-context.js';
import { CliFailure, CliUsageError, EXIT_OK } from './cli-errors.js';
import { cliMessage, describeSecretSource, loadCliSecret } from './cli-flow-options.js';
import { emulatorEndCommand } from './emulator-end-command.js';
import { EMULATOR_HELP } from './emulator-help.js';
import { parseReceiverUrl } from './receiver-url.js';
import { parseCommandLine, stringOption, type CliCommandSpec } from './parse-command-line.js';

/** The `emulator` command's options. */
export const EMULATOR_SPEC: CliCommandSpec = {
  name: 'emulator',
  options: {
    port: { type: 'string' },
    'webhook-url': { type: 'string' },
    'allow-remote': { type: 'boolean' },
    'allow-production': { type: 'boolean' },
    'allowed-origins': { type: 'string' },
    'secret-file': { type: 'string' },
  },
  positionals: [],
};

function readPort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65535))
    throw new CliUsageError('invalid_option', '--port must be a whole number from 0 to 65535.');
  return port;
}

/**
 * The line printed for one webhook attempt. The reference, status and step come from the page
 * that opened the session, the detail from the receiver: all are escaped.
 */
export function describeEmulatorAttempt(delivery: FlowEmulatorDelivery): string {
  const last = delivery.attempts.at(-1);
  const answer =
    last === undefined
      ? 'not sent (no webhook URL)'
      : last.status === undefined
        ? `no answer (${last.detail ?? 'unknown'})`
        : last.status;
  const step = delivery.step === null ? '' : ` ${delivery.step}`;
  const hint = last?.hint === undefined ? '' : ` ${last.hint}`;
  return escapeTerminalText(
    `webhook ${delivery.event}${step} ${delivery.status} for ${delivery.customerReference}: ` +
      `${answer} (attempt ${delivery.attempts.length}, ${delivery.state})${hint}`,
  );
}

/** Resolves on SIGINT or SIGTERM. */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function printBanner(
  context: CliContext,
  emulator: FlowEmulator,
  secretSource: string | undefined,
) {
  const { keys } = emulator;
  context.out(
    'Flow emulator running. It is not Cognito: no document checks, no real identity data.',
  );
  context.out(`  Status page:   ${emulator.url}`);
  context.out(`  Script:        ${emulator.scriptUrl}`);
  context.out(`  API base URL:  ${emulator.apiBaseUrl}`);
  context.out(`  Webhooks to:   ${emulator.webhookUrl ?? 'nowhere (pass --webhook-url <url>)'}`);
  context.out(
    `  Control token: ${emulator.controlToken}   # x-flow-emulator-token, for clients of other origins`,
  );
  context.out('Give your app these settings:');
  // A secret given by the user is named, never printed; a generated one is a throwaway the app needs.
  context.out(
    secretSource === undefined
      ? `  FLOW_API_SECRET=${keys.apiSecret}   # generated for this run; Cognito rejects it`
      : `  FLOW_API_SECRET: from ${secretSource} (not printed)`,
  );
  context.out(`  FLOW_API_KEY=${keys.apiKey}`);
  context.out(`  FLOW_PUBLISHABLE_KEY=${keys.publishableKey}`);
  context.out(`  FLOW_TEMPLATE_ID=${keys.templateId}`);
  context.out(`  FLOW_SCRIPT_URL=${emulator.scriptUrl}`);
  context.out(`  FLOW_API_BASE_URL=${emulator.apiBaseUrl}`);
  context.out('Press Ctrl+C to stop.');
}

/**
 * `cognito-flow emulator`: starts the Flow emulator with the `FLOW_*` keys (missing ones
 * generated), prints its URLs and the settings the app needs, logs each webhook attempt, and
 * stops on SIGINT or SIGTERM.
 */
export const emulatorCommand: CliCommand = async (args, context) => {
  if (args[0] === 'end') return emulatorEndCommand(args.slice(1), context);
  const parsed = parseCommandLine(args, EMULATOR_SPEC);
  if (parsed.help) {
    context.out(EMULATOR_HELP);
    return EXIT_OK;
  }
  const allowRemote = parsed.values['allow-remote'] === true;
  const rawUrl = stringOption(parsed, 'webhook-url');
  const webhookUrl = rawUrl === undefined ? undefined : parseReceiverUrl(rawUrl, allowRemote).href;
  const port = readPort(stringOption(parsed, 'port'));
  const origins = stringOption(parsed, 'allowed-origins');
  const secret = loadCliSecret(context.env, stringOption(parsed, 'secret-file'));
  const env = readFlowEnvironment(context.env);
  let emulator: FlowEmulator;
  try {
    if (secret.source.kind !== 'none')
      validateSecret(secret.value, describeSecretSource(secret.source));
    emulator = await startFlowEmulator({
      port,
      webhookUrl,
      allowRemote,
      allowProduction: parsed.values['allow-production'] === true,
      // A development tool: loopback http: pages (a dev server) are what it is for.
      ...(origins === undefined
        ? {}
        : { allowedOrigins: origins.split(',').map((origin) => origin.trim()), development: true }),
      keys: {
        apiSecret: secret.value,
        apiKey: env.apiKey,
        publishableKey: env.publishableKey,
        templateId: env.templateId,
      },
      onAttempt: (delivery) => context.out(describeEmulatorAttempt(delivery)),
    });
  } catch (error) {
    if (error instanceof FlowConfigurationError || error instanceof FlowEmulatorError)
      throw new CliFailure(error.code, cliMessage(error));
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES')
      throw new CliFailure(
        'listen_failed',
        `Cannot listen on port ${port} (${code}). Pick another --port.`,
      );
    throw error;
  }
  printBanner(
    context,
    emulator,
    secret.source.kind === 'none' ? undefined : describeSecretSource(secret.source),
  );
  await stopSignal();
  await emulator.close();
  return EXIT_OK;
};
