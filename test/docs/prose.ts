/** One sentence of a guide's prose. */
export interface Sentence {
  /** Line of the paragraph or list item it belongs to (1-based). */
  line: number;
  text: string;
  words: number;
}

/**
 * The prose units of a Markdown text: paragraphs, and each list item on its own (a line starting
 * with `-`, `*`, `+` or `1.` opens one; the indented lines after it continue it). Code blocks,
 * tables (lines starting with `|`), headings, HTML lines and blank lines are not prose.
 */
export function proseUnits(markdown: string): { line: number; text: string }[] {
  const units: { line: number; text: string }[] = [];
  let current: { line: number; text: string } | undefined;
  let fenced = false;
  const close = () => {
    if (current) units.push(current);
    current = undefined;
  };
  markdown.split('\n').forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      close();
      return;
    }
    if (fenced || /^\s*($|#|\||<)/.test(line)) {
      close();
      return;
    }
    const item = /^\s*(?:[-*+]|\d+\.)\s+/.exec(line);
    if (item) {
      close();
      current = { line: index + 1, text: line.slice(item[0].length).trim() };
    } else if (current) current.text += ` ${line.trim()}`;
    else current = { line: index + 1, text: line.trim() };
  });
  close();
  return units;
}

/**
 * The sentences of a prose unit. An inline code span counts as one word, a link as its text.
 * A sentence ends at `.`, `?` or `!` followed by a space (closing brackets, quotes and emphasis
 * may come between), except after `e.g.`, `i.e.` and `vs.`. Colons and semicolons do not end one.
 */
export function sentences(unit: { line: number; text: string }): Sentence[] {
  const text = unit.text
    .replace(/`[^`]*`/g, 'code')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\be\.g\./g, 'eg')
    .replace(/\bi\.e\./g, 'ie')
    .replace(/\bvs\./g, 'vs');
  return text
    .split(/(?<=[.?!][)\]*_"']*)\s+/)
    .map((sentence) => ({
      line: unit.line,
      text: sentence,
      words: sentence.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length,
    }))
    .filter((sentence) => sentence.words > 0);
}

/** Every sentence of a Markdown text. */
export function proseSentences(markdown: string): Sentence[] {
  return proseUnits(markdown).flatMap(sentences);
}
