import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A TypeScript block of a Markdown file. */
export interface DocBlock {
  /** The Markdown file, relative to the repository root. */
  file: string;
  /** Line of the opening fence (1-based). */
  line: number;
  /** The block's code, its list indentation removed. */
  code: string;
  /** The heading the block sits under (`` for none). */
  section: string;
  /**
   * Set when the line before the fence is `<!-- fragment -->` or `<!-- fragment: <code> -->`:
   * the block is a piece of a larger file, compiled after this context (possibly empty) and
   * the imports of the names it uses.
   */
  fragmentContext?: string;
}

const OPENING = /^(\s*)```(?:ts|typescript)\s*$/;
const FRAGMENT = /^\s*<!--\s*fragment(?::([\s\S]*?))?\s*-->\s*$/;

/** The Markdown files whose TypeScript must compile: README.md and everything under docs/. */
export function documentationFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return walk(path);
      return name.endsWith('.md') ? [path] : [];
    });
  return [join(root, 'README.md'), ...walk(join(root, 'docs'))].map((path) => relative(root, path));
}

/** Every ```ts / ```typescript block of one Markdown text. */
export function typeScriptBlocks(markdown: string, file: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  let section = '';
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*```/.test(lines[i]) && !OPENING.test(lines[i])) fenced = !fenced;
    const heading = /^#{1,6}\s+(.*)$/.exec(lines[i]);
    if (heading && !fenced) section = heading[1].trim();
    const opening = OPENING.exec(lines[i]);
    if (!opening || fenced) continue;
    const indent = opening[1].length;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j])) body.push(lines[j++].slice(indent));
    const fragment = i > 0 ? FRAGMENT.exec(lines[i - 1]) : null;
    blocks.push({
      file,
      line: i + 1,
      code: body.join('\n'),
      section,
      ...(fragment ? { fragmentContext: (fragment[1] ?? '').trim() } : {}),
    });
    i = j;
  }
  return blocks;
}

/** Every TypeScript block of README.md and docs/. */
export function allDocBlocks(root: string): DocBlock[] {
  return documentationFiles(root).flatMap((file) =>
    typeScriptBlocks(readFileSync(join(root, file), 'utf8'), file),
  );
}

/** A block that is a test file of its own: it imports its test functions from `vitest`. */
export function isTestExample(block: DocBlock): boolean {
  return block.fragmentContext === undefined && /from 'vitest';/.test(block.code);
}

/** A block that makes an app: a module or a `main.ts`, whole (not a fragment, not a test). */
export function isFullApp(block: DocBlock): boolean {
  return (
    block.fragmentContext === undefined &&
    !isTestExample(block) &&
    /@Module\(|NestFactory\.create\(/.test(block.code)
  );
}

/** The name a block's file gets: its first line `// name.ts` (or `// name.ts (note)`), else `block-<line>.ts`. */
export function blockFileName(block: DocBlock): string {
  const named = /^\/\/ ([\w.-]+\.ts)(?:\s+\(.*\))?\s*$/.exec(block.code.split('\n')[0]);
  return named ? named[1] : `block-${block.line}.ts`;
}

/** The folder of a guide's blocks: `docs/webhooks.md` → `docs-webhooks`. */
export function guideFolder(block: DocBlock): string {
  return block.file.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-');
}
