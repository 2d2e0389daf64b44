import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const GUIDE = 'docs/fitting-your-app.md';

/** The guide's TypeScript blocks, except those marked `<!-- fragment -->` on the line before. */
function snippets(markdown: string): string[] {
  const found: string[] = [];
  for (const match of markdown.matchAll(/(<!-- fragment -->\n)?```ts\n([\s\S]*?)```/g)) {
    if (match[1] === undefined) found.push(match[2]);
  }
  return found;
}

describe(`${GUIDE}`, () => {
  it('has a snippet per section, and every one compiles against the built package', () => {
    const blocks = snippets(readFileSync(join(root, GUIDE), 'utf8'));
    // Global guards, versioning, throttling, request scope, config sources, testing (two).
    expect(blocks.length).toBeGreaterThanOrEqual(7);
    // Inside the repository, so `nestjs-cognito-flow` resolves to this package's own dist/.
    const dir = join(root, 'test-results', 'doc-snippets', 'fitting-your-app');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    blocks.forEach((code, index) => writeFileSync(join(dir, `snippet-${index + 1}.ts`), code));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../../tsconfig.json',
        compilerOptions: { noEmit: true, rootDir: '.' },
        include: ['*.ts'],
      }),
    );
    let output = '';
    try {
      execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', dir], {
        cwd: root,
        encoding: 'utf8',
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe('');
  }, 120_000);
});
