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

function escapeWith(text: string, escape: (code: number) => string): string {
  let result = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    result += isTerminalActive(code) ? escape(code) : text[i];
  }
  return result;
}

const hex = (code: number, width: number) => code.toString(16).padStart(width, '0');

/**
 * Text from the network made safe to print or log: every character a terminal may act on is
 * written as a visible escape (`\x1b`, `\x0a`, `\u202e`), so a remote answer cannot recolour,
 * move the cursor, retitle the window, start a fake log line or reorder what is shown around it.
 */
export function escapeTerminalText(text: string): string {
  return escapeWith(text, (code) => (code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`));
}

/**
 * {@link escapeTerminalText} for text of several lines made here (a usage message, a stack): each
 * line is escaped and the `\n` between them kept.
 */
export function escapeTerminalLines(text: string): string {
  return text.split('\n').map(escapeTerminalText).join('\n');
}

/**
 * A value as indented JSON that is safe to print and still parses to the same value: the
 * characters `JSON.stringify` leaves as they are (DEL, C1, the separators, bidi controls) are
 * written as JSON's own `\uXXXX` escapes.
 */
export function terminalSafeJson(value: unknown): string {
  // Inside strings JSON.stringify already escaped every C0 control: a raw \n is indentation.
  return JSON.stringify(value, null, 2)
    .split('\n')
    .map((line) => escapeWith(line, (code) => `\\u${hex(code, 4)}`))
    .join('\n');
}
