import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The `sample/` folder, found by walking up from this file to the folder holding
 * `public/index.html`: the same lookup works from `sample/src` (tests) and from the compiled
 * output under `sample/dist`, whatever its depth.
 */
export function findSampleRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'public', 'index.html'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(
        `The sample's public/index.html was not found above ${from}. Run the sample from the repository.`,
      );
    }
    dir = parent;
  }
}

/** The page's static files (HTML, CSS, browser JS). */
export function samplePublicDir(): string {
  return join(findSampleRoot(), 'public');
}

/** The repository root: the folder that holds `sample/`. */
export function repositoryRoot(): string {
  return dirname(findSampleRoot());
}

/** Where the development secret is kept by default; `.flow-dev-secret` is git-ignored. */
export function defaultDevSecretFile(): string {
  return join(repositoryRoot(), '.flow-dev-secret');
}
