// Framing on bytes (a reader that skips lines from their raw bytes) gives the same lines as
// framing on text, whatever the chunk boundaries cut: CRLF, a byte-order mark, characters of
// several bytes, a line over the limit, a last line without its newline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLineSplitter } from '../../src/ingest/line-splitter.ts';

const TEXT =
  '\ufeff{"a":"é"}\r\n{"EventID":10,"x":"日本"}\n\nplain line\r\n{"b":"ü"}\n0123456789abcdef\nlast';

function frame(bytes: Buffer, cut: number, skip?: (line: string) => boolean) {
  const lines: Array<[number, string]> = [];
  const skipped: number[] = [];
  const tooLong: number[] = [];
  const s = createLineSplitter({
    maxLineBytes: 14,
    line: (text, n) => lines.push([n, text]),
    tooLong: (n) => tooLong.push(n),
    skip:
      skip &&
      ((buf, start, end, n) => {
        if (!skip(buf.toString('utf8', start, end))) return false;
        skipped.push(n);
        return true;
      }),
  });
  for (let i = 0; i < bytes.length; i += cut) s.write(bytes.subarray(i, i + cut));
  s.end();
  return { lines, skipped, tooLong, count: s.lines() };
}

test('lines framed from bytes equal lines framed from text, at every chunk size', () => {
  const bytes = Buffer.from(TEXT, 'utf8');
  for (let cut = 1; cut <= bytes.length; cut++) {
    const text = frame(bytes, cut);
    const raw = frame(bytes, cut, () => false);
    assert.deepEqual(raw, text, `chunks of ${cut} bytes`);
  }
  // Lines over the limit (14 here: bytes, or characters when framed as text; no line here is
  // between the two) are reported and dropped, in both.
  assert.deepEqual(
    frame(bytes, 1).lines.map(([, l]) => l),
    ['{"a":"é"}', '', 'plain line', '{"b":"ü"}', 'last'],
  );
});

test('a line the reader rules out on its bytes is counted but never decoded', () => {
  const bytes = Buffer.from('{"EventID":10}\n{"EventID":1}\n{"EventID":10}\n', 'utf8');
  const r = frame(bytes, 5, (l) => l.includes(':10'));
  assert.deepEqual(r.skipped, [1, 3]);
  assert.deepEqual(r.lines, [[2, '{"EventID":1}']]);
  assert.equal(r.count, 3);
});
