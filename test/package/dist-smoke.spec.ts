import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../support/run-node.js';
import { SMOKE_ENV, expectSmokeResult } from './smoke-expectations.js';

const smokeDir = fileURLToPath(new URL('./smoke/', import.meta.url));

// The scripts import 'nestjs-cognito-flow' by name: Node resolves it through this package's own
// exports map (self-reference), so they load dist/ exactly as an installed copy would.
describe.each(['smoke.mjs', 'smoke.cjs'])('built package through %s', (script) => {
  it('boots on Nest 12: signs the known answer, serves the signature route, receives a webhook once', async () => {
    const run = await runCommand(process.execPath, [`${smokeDir}${script}`], {
      cwd: smokeDir,
      env: SMOKE_ENV,
    });
    expect(run.stderr.replace(/.*ExperimentalWarning.*\n|.*--trace-warnings.*\n/g, '')).toBe('');
    expect(run.code).toBe(0);
    expectSmokeResult(run.stdout, 12, script.endsWith('.cjs') ? 'require' : 'import');
  });
});
