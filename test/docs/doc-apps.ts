import {
  blockFileName,
  guideFolder,
  isFullApp,
  isTestExample,
  type DocBlock,
} from './doc-blocks.js';

/** One app the docs make, run as its own process. */
export interface DocApp {
  /** `<guide> › <section>`: names the app in the checks and in failures. */
  key: string;
  /** Where the snippet is, for messages. */
  origin: string;
  /** The file under `blocks/` whose compiled form the process runs. */
  entry: string;
}

/** What a host app compiles: source files under `blocks/`, and the apps to run from them. */
export interface DocAppSet {
  files: Map<string, string>;
  apps: DocApp[];
}

const importsOf = (code: string): string[] =>
  [...code.matchAll(/(?:from|import) '\.\/([\w.-]+)\.js'/g)].map((match) => `${match[1]}.ts`);

/**
 * Adds a block's file and the files of its guide it imports (`./app.module.js`); a guide that
 * imports an `app.module.ts` it does not show gets README's.
 */
function addWithImports(files: Map<string, string>, block: DocBlock, blocks: DocBlock[]): void {
  const folder = guideFolder(block);
  files.set(`${folder}/${blockFileName(block)}`, block.code);
  for (const imported of importsOf(block.code)) {
    const sibling =
      blocks.find((other) => guideFolder(other) === folder && blockFileName(other) === imported) ??
      blocks.find((other) => other.file === 'README.md' && blockFileName(other) === imported);
    if (sibling) files.set(`${folder}/${imported}`, sibling.code);
  }
}

/**
 * The files a guide's blocks import but the guide does not show, borrowed from README.md
 * (`./app.module.js` in docs/webhooks.md's `main.ts` is README's app module).
 */
export function borrowedFiles(blocks: DocBlock[]): Map<string, string> {
  const borrowed = new Map<string, string>();
  for (const block of blocks) {
    const folder = guideFolder(block);
    for (const imported of importsOf(block.code)) {
      const own = blocks.some(
        (other) => guideFolder(other) === folder && blockFileName(other) === imported,
      );
      const readme = blocks.find(
        (other) => other.file === 'README.md' && blockFileName(other) === imported,
      );
      if (!own && readme) borrowed.set(`${folder}/${imported}`, readme.code);
    }
  }
  return borrowed;
}

/**
 * The test examples of README.md and docs/ as files a runner finds (`*.spec.ts`), with the
 * files of their guide they import.
 */
export function docTestFiles(blocks: DocBlock[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const block of blocks.filter(isTestExample)) {
    const name = blockFileName(block);
    if (!name.endsWith('.spec.ts'))
      throw new Error(`${block.file}:${block.line}: name a test example \`// <name>.spec.ts\``);
    addWithImports(files, block, blocks);
  }
  return files;
}

/**
 * The apps of README.md and docs/. A `main.ts` (a block that creates the app) runs as written;
 * the module it imports runs through it, and a guide without its own `app.module.ts` borrows
 * README's. A module with no `main.ts` runs through an entry written here, the way `nest new`'s
 * `main.ts` would start it (`rawBody: true`, which the webhook route needs); a block exporting
 * `bootstrap()` runs through an entry that calls it.
 */
export function docApps(blocks: DocBlock[]): DocAppSet {
  const files = new Map<string, string>();
  const apps: DocApp[] = [];
  const fullApps = blocks.filter(isFullApp);
  const importedByMain = new Set(
    fullApps.flatMap((block) =>
      /NestFactory\.create\(/.test(block.code)
        ? importsOf(block.code).map((name) => `${guideFolder(block)}/${name}`)
        : [],
    ),
  );
  for (const block of fullApps) addWithImports(files, block, blocks);
  for (const block of fullApps) {
    const folder = guideFolder(block);
    const name = `${folder}/${blockFileName(block)}`;
    if (importedByMain.has(name)) continue;
    let key = `${block.file} › ${block.section}`;
    // Two apps in one section: the second is `… (2)`.
    for (let n = 2; apps.some((other) => other.key === key); n++)
      key = `${block.file} › ${block.section} (${n})`;
    const app = { key, origin: `${block.file}:${block.line}` };
    const module = `./${blockFileName(block).replace(/\.ts$/, '.js')}`;
    const startsItself =
      /NestFactory\.create\(/.test(block.code) &&
      !/export async function bootstrap/.test(block.code);
    if (startsItself) {
      apps.push({ ...app, entry: name });
      continue;
    }
    const entry = `${folder}/run-${block.line}.ts`;
    if (/export async function bootstrap/.test(block.code)) {
      files.set(entry, `import { bootstrap } from '${module}';\n\nvoid bootstrap();\n`);
    } else {
      const root = [...block.code.matchAll(/export class (\w+Module)\b/g)].at(-1)?.[1];
      if (!root) throw new Error(`${app.origin}: a module block exports no *Module class`);
      files.set(
        entry,
        [
          `import { NestFactory } from '@nestjs/core';`,
          `import { ${root} } from '${module}';`,
          `async function start(): Promise<void> {`,
          `  const app = await NestFactory.create(${root}, { rawBody: true });`,
          `  await app.listen(3000);`,
          `}`,
          `void start();`,
        ].join('\n'),
      );
    }
    apps.push({ ...app, entry });
  }
  return { files, apps };
}
