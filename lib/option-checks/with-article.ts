/**
 * A word after its indefinite article, for messages that insert a word such as a key's
 * environment: `a sandbox`, `a live`, `an emulator`.
 */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}
