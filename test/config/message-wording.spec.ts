import { describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/run-cli.js';
import { resolveFlowOptions } from '../../lib/config/resolve-flow-options.js';
import { generateEmulatorKeys } from '../../lib/emulator/emulator-keys.js';
import { FlowConfigurationError } from '../../lib/index.js';

const quiet = { warn: () => undefined };

describe('messages that insert a key environment read as English', () => {
  it("say 'an emulator key' in the start-up refusal of mixed environments", () => {
    const keys = generateEmulatorKeys();
    const run = () =>
      resolveFlowOptions(
        { apiSecret: keys.apiSecret, apiKey: 'sandbox_key_0123456789abcdef0123456789abcdef' },
        {},
        quiet,
        'development',
      );
    expect(run).toThrow(FlowConfigurationError);
    expect(run).toThrow('The API secret is an emulator key but apiKey is a sandbox key.');
  });

  it("say 'an emulator secret' in doctor's environment check", async () => {
    const keys = generateEmulatorKeys();
    const lines: string[] = [];
    await runCli(['doctor'], {
      env: {
        FLOW_API_SECRET: keys.apiSecret,
        FLOW_API_KEY: keys.apiKey,
        FLOW_PUBLISHABLE_KEY: keys.publishableKey,
        FLOW_TEMPLATE_ID: keys.templateId,
        NODE_ENV: 'development',
      },
      out: (line) => lines.push(line),
      err: (line) => lines.push(line),
    });
    const output = lines.join('\n');
    expect(output).toContain(
      "PASS  live key outside production: an emulator secret while NODE_ENV is 'development'.",
    );
    expect(output).not.toMatch(/\ba emulator\b/);
  });
});
