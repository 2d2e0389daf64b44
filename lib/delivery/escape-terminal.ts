/**
 * True for a character a terminal may act on rather than print: C0 controls (ESC starts colour,
 * cursor and title sequences; BEL, BS and CR rewrite what is shown), DEL, C1 controls (U+009B is a
 * one-byte CSI), and the Unicode line separators and bidirectional controls that reorder a line.
 */
function isTerminalActive(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * Text from the network made safe to print: every character a terminal may act on is written as
 * a visible escape (`\x1b`, `\u202e`), so a receiver's answer cannot recolour, move the cursor,
 * retitle the window or hide what the CLI prints around it.
 */
export function escapeTerminalText(text: string): string {
  let result = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isTerminalActive(code)) result += text[i];
    else if (code <= 0xff) result += `\\x${code.toString(16).padStart(2, '0')}`;
    else result += `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return result;
}
