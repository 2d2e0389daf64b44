import { isAbsolute, relative } from 'node:path';
import type { FlowEmulator } from '../../../lib/emulator/index.js';
import { DEMO_USERS } from '../auth/demo-users.js';
import { WEBHOOK_PATH } from '../sample.constants.js';
import type { SampleConfig } from './sample-config.js';

function box(lines: string[]): string {
  const width = Math.max(...lines.map((line) => line.length));
  const rule = `+${'-'.repeat(width + 2)}+`;
  return [rule, ...lines.map((line) => `| ${line.padEnd(width)} |`), rule].join('\n');
}

/** The file as the user would type it from the current directory, when it lies below it. */
function displayPath(file: string): string {
  const path = relative(process.cwd(), file);
  return path === '' || path.startsWith('..') || isAbsolute(path) ? file : path;
}

/**
 * `cognito-flow trigger` for the first demo user against the sample's emulator: a real session,
 * so the app's `fetchSession()` finds it.
 */
function triggerCommand(emulatorUrl: string, config: SampleConfig): string[] {
  const secret = config.devSecret ? ` --secret-file ${displayPath(config.devSecret.file)}` : '';
  return [
    `Trigger a verification for ${DEMO_USERS[0].username} (the page shows the command for whoever is logged in):`,
    [
      '  npx cognito-flow trigger flow_session.status.updated --status success \\',
      `    --customer-reference ${DEMO_USERS[0].id} \\`,
      `    --url ${emulatorUrl}${secret}`,
    ].join('\n'),
  ];
}

/**
 * The notices printed at start-up: which secret is in use (by file name, never its value), which
 * public values are placeholders, and where the app listens.
 */
export function startUpBanner(config: SampleConfig, url: string, emulator?: FlowEmulator): string {
  const blocks: string[] = [];
  if (emulator) {
    blocks.push(
      box([
        'No Flow keys are set: the sample runs OFFLINE on the local Flow emulator.',
        `Emulator status page: ${emulator.url}`,
        `The page loads ${emulator.scriptUrl} instead of Cognito's flow.js;`,
        `webhooks go to ${emulator.webhookUrl ?? `${url}${WEBHOOK_PATH}`}.`,
        'It is not Cognito: no document checks, no real identity data.',
        "Verify in the page and press 'Pass verification', or trigger it from a terminal.",
        'Set FLOW_API_SECRET, FLOW_PUBLISHABLE_KEY and FLOW_TEMPLATE_ID to use real Flow.',
      ]),
      // Outside the box, so it can be copied and pasted as it is.
      ...triggerCommand(emulator.apiBaseUrl, config),
    );
  }
  if (config.devSecret) {
    const file = displayPath(config.devSecret.file);
    blocks.push(
      box([
        'FLOW_API_SECRET is not set: the sample runs on a DEVELOPMENT secret.',
        `${config.devSecret.created ? 'Generated now and saved' : 'Reused from'} (mode 0600): ${file}`,
        'It signs signatures and verifies webhooks only on this machine; real Flow rejects it.',
        // With the emulator, its API knows the sessions: `trigger` (above) makes real ones.
        ...(emulator
          ? []
          : [
              "Send a test webhook with the package's CLI:",
              `  npx cognito-flow webhook send ${url}${WEBHOOK_PATH} \\`,
              '    --event flow_session.status.updated --customer-reference <user id> \\',
              `    --status success --secret-file ${file}`,
            ]),
        'Set FLOW_API_SECRET (your sandbox secret) to use real Flow.',
      ]),
    );
  }
  const missing = [
    config.placeholders.publishableKey ? 'FLOW_PUBLISHABLE_KEY' : undefined,
    config.placeholders.templateId ? 'FLOW_TEMPLATE_ID' : undefined,
  ].filter((name): name is string => name !== undefined);
  if (missing.length > 0) {
    blocks.push(
      `${missing.join(' and ')} not set: the page shows PLACEHOLDER values and Flow will not open for real.`,
    );
  }
  if (config.jwtSecretGenerated) {
    blocks.push(
      'SAMPLE_JWT_SECRET not set: login tokens are signed with a random key and end with this process.',
    );
  }
  blocks.push(
    `Event store: ${config.databaseUrl ? 'PostgreSQL, transactional (DATABASE_URL)' : config.redisUrl ? 'Redis (REDIS_URL)' : 'in memory (set DATABASE_URL or REDIS_URL to share it between instances)'}.`,
  );
  blocks.push(`Sample app listening on ${url}`);
  return blocks.join('\n');
}
