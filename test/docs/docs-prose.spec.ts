import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentationFiles } from './doc-blocks.js';
import { root } from './host-app.js';
import { proseSentences, proseUnits } from './prose.js';

const MAX_WORDS = 40;
const files = documentationFiles(root);
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

describe('the prose of README.md and docs/', () => {
  it('finds sentences, list items and code the way the check reads them', () => {
    const sample = [
      '# Title',
      'One sentence, e.g. this one. Two `a. b. c` words! Three',
      'continues (see [the guide](x.md#y)).',
      '',
      '- An item.',
      '  Its second line.',
      '1. A numbered item',
      '| a. b | c |',
      '```ts',
      'const a = 1. ;',
      '```',
    ].join('\n');
    expect(proseUnits(sample).map((unit) => unit.line)).toEqual([2, 5, 7]);
    expect(proseSentences(sample).map((sentence) => [sentence.text, sentence.words])).toEqual([
      ['One sentence, eg this one.', 5],
      ['Two code words!', 3],
      ['Three continues (see the guide).', 5],
      ['An item.', 2],
      ['Its second line.', 3],
      ['A numbered item', 3],
    ]);
  });

  it(`has no sentence over ${MAX_WORDS} words`, () => {
    const long = files.flatMap((file) =>
      proseSentences(read(file))
        .filter((sentence) => sentence.words > MAX_WORDS)
        .map((sentence) => `${file}:${sentence.line} (${sentence.words} words) ${sentence.text}`),
    );
    expect(long).toEqual([]);
  });

  it('keeps README.md to 300 lines at most', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(300);
  });

  it('links only to headings that exist', () => {
    const headings = new Map(
      files.map((file) => {
        const text = read(file).replace(/```[\s\S]*?```/g, '');
        return [file, new Set([...text.matchAll(/^#{1,6} (.*)$/gm)].map((m) => anchor(m[1])))];
      }),
    );
    const broken = files.flatMap((file) =>
      [...read(file).matchAll(/\]\(([\w./-]*)#([\w-]+)\)/g)]
        .map(([link, target, hash]) => {
          const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
          const linked = target === '' ? file : join(dir, target);
          return headings.get(linked)?.has(hash) ? undefined : `${file}: ${link}`;
        })
        .filter((link) => link !== undefined),
    );
    expect(broken).toEqual([]);
  });
});
