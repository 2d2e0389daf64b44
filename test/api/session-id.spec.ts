import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/run-cli.js';
import { FlowApiClient, FlowApiError } from '../../lib/index.js';
import { startFlowEmulator, type FlowEmulator } from '../../lib/emulator/index.js';
import { generateSecret } from '../support/test-secrets.js';

const secret = generateSecret();
const apiKey = 'sandbox_key_00000000000000000000000000000002';
// The longest id every part accepts, one too long, and ids no part may accept.
const LONGEST = `flwses_${'a1'.repeat(50)}`;
const TOO_LONG = `${LONGEST}b`;
const MALFORMED = ['flwses_', 'flwses_abc/../x', 'scr_0123456789', 'flwses_abc%2F'];

let emulator: FlowEmulator;
let client: FlowApiClient;
beforeAll(async () => {
  emulator = await startFlowEmulator({ keys: { apiSecret: secret, apiKey } });
  client = new FlowApiClient({ apiKey, apiSecret: secret, baseUrl: emulator.apiBaseUrl });
});
afterAll(() => emulator.close());

async function cli(id: string) {
  const lines: string[] = [];
  const code = await runCli(['session', 'get', id], {
    env: { FLOW_API_SECRET: secret, FLOW_API_KEY: apiKey, FLOW_API_BASE_URL: emulator.apiBaseUrl },
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
  });
  return { code, text: lines.join('\n') };
}

describe('one session-id rule for the client, the CLI and the emulator', () => {
  it('the emulator looks up a 100-character id, and the client sends it', async () => {
    const error = await client.getFlowSession(LONGEST).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(FlowApiError);
    // The emulator's answer for an id it recognised but does not hold, not its route-miss answer.
    expect(JSON.stringify(error)).toContain(`No flow session ${LONGEST}.`);
  });

  it('the CLI sends a 100-character id', async () => {
    const run = await cli(LONGEST);
    expect(run.code).not.toBe(0);
    expect(run.text).toContain(`No flow session ${LONGEST}.`);
  });

  it.each([TOO_LONG, ...MALFORMED])(
    'the client and the CLI refuse %s before any request',
    async (id) => {
      await expect(client.getFlowSession(id)).rejects.toThrow(TypeError);
      const run = await cli(id);
      expect(run.text).toContain('A flow session id is flwses_ followed by letters and digits.');
    },
  );
});
