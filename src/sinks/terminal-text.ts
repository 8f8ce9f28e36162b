// Text from logs made safe to print on a terminal: control characters (C0, DEL, C1), and the
// Unicode format characters that reorder or hide text (bidi overrides and isolates, zero-width
// joiners, the BOM), are shown escaped as \xNN / \u{NNNN} instead of being interpreted, so a
// hostile log line cannot move the cursor, clear the screen, set the title or disguise itself.
// Newlines and tabs are escaped too: one value is one line in a report.

/** Characters a terminal would act on or that change how the text around them reads (the HTML
 * report's page script escapes the same ones). */
export const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Text of several lines made safe line by line: its own line breaks stay, the rest is escaped. */
export function terminalSafeLines(s: string): string {
  return s.split('\n').map(terminalSafe).join('\n');
}

export function terminalSafe(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return (
      NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`)
    );
  });
}
