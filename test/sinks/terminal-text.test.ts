// terminalSafe: what a hostile log puts in a field reaches the terminal as visible escapes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { terminalSafe, terminalSafeLines } from '../../src/sinks/terminal-text.ts';

describe('terminalSafe', () => {
  it('escapes ANSI and OSC sequences, so nothing moves the cursor or sets the title', () => {
    assert.equal(terminalSafe('a\x1b[2J\x1b]0;pwned\x07b'), 'a\\x1b[2J\\x1b]0;pwned\\x07b');
  });

  it('escapes newlines, carriage returns, tabs, DEL and C1 controls', () => {
    assert.equal(terminalSafe('x\r\ny\tz\x7f\x9b'), 'x\\r\\ny\\tz\\x7f\\x9b');
  });

  it('escapes the format characters that reorder or hide text', () => {
    assert.equal(terminalSafe('invoice\u202Eexe.pdf'), 'invoice\\u{202e}exe.pdf');
    assert.equal(terminalSafe('a\u200Bb\uFEFF'), 'a\\u{200b}b\\u{feff}');
  });

  it('leaves ordinary text, paths and other scripts alone', () => {
    const s = 'C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe — пример 例え';
    assert.equal(terminalSafe(s), s);
  });

  it('terminalSafeLines keeps the line breaks of a record and escapes the rest', () => {
    assert.equal(terminalSafeLines('a\tb\nc\x1b[1m\u202e\r\n'), 'a\\tb\nc\\x1b[1m\\u{202e}\\r\n');
  });
});
