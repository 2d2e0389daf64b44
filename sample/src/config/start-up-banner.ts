import type { SampleConfig } from './sample-config.js';

function box(lines: string[]): string {
  const width = Math.max(...lines.map((line) => line.length));
  const rule = `+${'-'.repeat(width + 2)}+`;
  return [rule, ...lines.map((line) => `| ${line.padEnd(width)} |`), rule].join('\n');
}

/**
 * The notices printed at start-up: which secret is in use (by file name, never its value), which
 * public values are placeholders, and where the app listens.
 */
export function startUpBanner(config: SampleConfig, url: string): string {
  const blocks: string[] = [];
  if (config.devSecret) {
    blocks.push(
      box([
        'FLOW_API_SECRET is not set: the sample runs on a DEVELOPMENT secret.',
        `${config.devSecret.created ? 'Generated now and saved' : 'Reused from'} (mode 0600): ${config.devSecret.file}`,
        'It signs signatures and verifies webhooks only on this machine; real Flow rejects it.',
        'Send a test webhook with the CLI:',
        `  node dist/cli/main.js webhook send ${url}webhook_receivers/flow \\`,
        '    --event flow_session.status.updated --customer-reference <user id> \\',
        `    --status success --secret-file ${config.devSecret.file}`,
        'Set FLOW_API_SECRET (your sandbox secret) to use real Flow.',
      ]),
    );
  }
  const missing = [
    config.placeholders.publishableKey ? 'FLOW_PUBLISHABLE_KEY' : undefined,
    config.placeholders.templateId ? 'FLOW_TEMPLATE_ID' : undefined,
  ].filter((name): name is string => name !== undefined);
  if (missing.length > 0) {
    blocks.push(`${missing.join(' and ')} not set: the page shows PLACEHOLDER values and Flow will not open for real.`);
  }
  if (config.jwtSecretGenerated) {
    blocks.push('SAMPLE_JWT_SECRET not set: login tokens are signed with a random key and end with this process.');
  }
  blocks.push(`Event store: ${config.redisUrl ? 'Redis (REDIS_URL)' : 'in memory (set REDIS_URL to share it between instances)'}.`);
  blocks.push(`Sample app listening on ${url}`);
  return blocks.join('\n');
}
