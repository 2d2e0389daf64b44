/**
 * Text an attacker would put in an answer, an error or a reference: an SGR colour, an OSC window
 * title ended by BEL, CR/LF starting a fake line, a C1 CSI that clears the screen, NEL, DEL, the
 * line and paragraph separators, and the bidirectional overrides and isolates.
 */
export const HOSTILE_TEXT =
  'ok\u001b[31mred\u001b]0;owned\u0007\r\nFAKE line\u009b2J\u0085\u007f\u2028\u2029' +
  '\u202a\u202b\u202c\u202d\u202eevil\u2066\u2067\u2068\u2069end';

const range = (from: number, to: number) =>
  `${String.fromCharCode(from)}-${String.fromCharCode(to)}`;

/**
 * Every character a terminal or a log viewer may act on (C0 and C1 controls, DEL, the separators,
 * the bidi controls), written out here rather than taken from the code under test.
 */
export const TERMINAL_ACTIVE = new RegExp(
  `[${range(0x00, 0x1f)}${range(0x7f, 0x9f)}${range(0x2028, 0x2029)}` +
    `${range(0x202a, 0x202e)}${range(0x2066, 0x2069)}]`,
);
