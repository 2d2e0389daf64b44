import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CUSTOMER_REFERENCE, EXAMPLE_SECRET, EXAMPLE_SIGNATURE } from '../fixtures/flow-protocol.js';
import { runCommand } from '../support/run-node.js';

const smokeDir = fileURLToPath(new URL('./smoke/', import.meta.url));

// The scripts import 'nestjs-cognito-flow' by name: Node resolves it through this package's own
// exports map (self-reference), so they load dist/ exactly as an installed copy would.
describe.each(['smoke.mjs', 'smoke.cjs'])('built package through %s', (script) => {
  it('boots a Nest app with FlowModule.forRoot() and signs the known answer', async () => {
    const run = await runCommand(process.execPath, [`${smokeDir}${script}`], {
      cwd: smokeDir,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        FLOW_API_SECRET: EXAMPLE_SECRET,
        SMOKE_CUSTOMER_REFERENCE: EXAMPLE_CUSTOMER_REFERENCE,
      },
    });
    expect(run.stderr.replace(/.*ExperimentalWarning.*\n|.*--trace-warnings.*\n/g, '')).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout.trim());
    expect(result.signature).toBe(EXAMPLE_SIGNATURE);
    expect(result.nestVersion).toMatch(/^12\./);
    expect(result.loader).toBe(script.endsWith('.cjs') ? 'require' : 'import');
  });
});
