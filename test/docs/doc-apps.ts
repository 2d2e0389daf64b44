import { blockFileName, guideFolder, isFullApp, type DocBlock } from './doc-blocks.js';

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
  [...code.matchAll(/from '\.\/([\w.-]+)\.js'/g)].map((match) => `${match[1]}.ts`);

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
  const readmeModule = blocks.find(
    (block) => block.file === 'README.md' && blockFileName(block) === 'app.module.ts',
  );
  const fullApps = blocks.filter(isFullApp);
  const importedByMain = new Set(
    fullApps.flatMap((block) =>
      /NestFactory\.create\(/.test(block.code)
        ? importsOf(block.code).map((name) => `${guideFolder(block)}/${name}`)
        : [],
    ),
  );
  for (const block of fullApps) {
    const folder = guideFolder(block);
    const name = `${folder}/${blockFileName(block)}`;
    files.set(name, block.code);
    for (const imported of importsOf(block.code)) {
      const sibling = blocks.find(
        (other) => guideFolder(other) === folder && blockFileName(other) === imported,
      );
      const source = sibling ?? (imported === 'app.module.ts' ? readmeModule : undefined);
      if (source) files.set(`${folder}/${imported}`, source.code);
    }
  }
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
