// The Kibana export splitter: every way people paste Elastic documents, and every way those
// pastes break, read as documents or reported with the line they start on.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kibanaDocuments } from '../../../src/ingest/macos/kibana-export.ts';
import type { DecodeContext } from '../../../src/ingest/reader.ts';
import { decodeLines } from './decode.ts';

interface Split {
  docs: Array<{ value: unknown; line: number }>;
  problems: Array<{ message: string; line?: number }>;
}

function split(text: string, maxChars?: number, wholeBlocks?: boolean): Split {
  const docs: Split['docs'] = [];
  const d = decodeLines(
    (ctx: DecodeContext) =>
      kibanaDocuments(ctx, (value, line) => docs.push({ value, line }), { maxChars, wholeBlocks }),
    text,
  );
  return { docs, problems: d.problems };
}

describe('Kibana export splitter', () => {
  test('NDJSON: one document per line', () => {
    const s = split('{"a":1}\n\n{"a":2}\n');
    assert.deepEqual(s.docs, [
      { value: { a: 1 }, line: 1 },
      { value: { a: 2 }, line: 3 },
    ]);
    assert.deepEqual(s.problems, []);
  });

  test('pretty-printed documents one after another, with or without commas, CRLF and tabs', () => {
    const s = split('{\r\n\t"a": {\r\n\t\t"b": [1, 2]\r\n\t}\r\n}\r\n\r\n{ "a": "x" },\r\n  {"a":\r\n"y"}');
    assert.deepEqual(
      s.docs.map((d) => [d.value, d.line]),
      [
        [{ a: { b: [1, 2] } }, 1],
        [{ a: 'x' }, 7],
        [{ a: 'y' }, 8],
      ],
    );
    assert.deepEqual(s.problems, []);
  });

  test('a list is split into its members; several documents on one line', () => {
    const s = split('[\n  {"n": 1},\n  {"n": 2}\n]\n{"n":3}{"n":4}');
    assert.deepEqual(
      s.docs.map((d) => (d.value as { n: number }).n),
      [1, 2, 3, 4],
    );
    assert.deepEqual(
      s.docs.map((d) => d.line),
      [2, 3, 5, 5],
    );
  });

  test('Kibana """triple-quoted""" strings, on one line or many, with quotes and backslashes inside', () => {
    const s = split(
      '{\n  "cmd": """python -c "print(\'a\\\\b\')" """,\n  "script": """line one\n  line "two"\n""",\n  "n": 1\n}',
    );
    assert.deepEqual(s.problems, []);
    assert.deepEqual(s.docs[0].value, {
      cmd: 'python -c "print(\'a\\\\b\')" ',
      script: 'line one\n  line "two"\n',
      n: 1,
    });
  });

  test('strings holding brackets, braces and escaped quotes do not confuse the document end', () => {
    const s = split('{"a": "}{][", "b": "say \\"}\\"",\n "c": "\\\\"}\n{"d": 1}');
    assert.deepEqual(
      s.docs.map((d) => d.value),
      [{ a: '}{][', b: 'say "}"', c: '\\' }, { d: 1 }],
    );
  });

  test('a document that lost its closing brace is closed, read and reported; the next one reads', () => {
    const s = split('{\n  "a": {\n    "b": 1\n  }\n\n{\n  "c": 2\n}');
    assert.deepEqual(
      s.docs.map((d) => [d.value, d.line]),
      [
        [{ a: { b: 1 } }, 1],
        [{ c: 2 }, 6],
      ],
    );
    assert.equal(s.problems.length, 1);
    assert.equal(s.problems[0].line, 1);
    assert.match(s.problems[0].message, /not closed before a new document at line 6/);
  });

  test('a string that lost its closing quote and comma is repaired at the end of its line, and reported', () => {
    const s = split('{\n  "name": "xpcproxy\n  "pid": 7\n}');
    assert.deepEqual(s.docs[0].value, { name: 'xpcproxy', pid: 7 });
    assert.deepEqual(
      s.problems.map((p) => p.line),
      [2, 3],
    );
  });

  test('garbage between documents is reported once and skipped to the next document', () => {
    const s = split('{"a":1}\nGET /_search\nmore junk\n{"a":2}');
    assert.deepEqual(
      s.docs.map((d) => d.value),
      [{ a: 1 }, { a: 2 }],
    );
    assert.equal(s.problems.length, 1);
    assert.equal(s.problems[0].line, 2);
  });

  test('broken grammar inside a document: reported with where it started and went wrong', () => {
    const s = split('{\n  "a": 1,,\n  "b": 2\n}\n{"ok": true}');
    assert.deepEqual(
      s.docs.map((d) => d.value),
      [{ ok: true }],
    );
    assert.match(s.problems[0].message, /starting at line 1 has an unexpected , at line 2/);
  });

  test('bad scalars pass the tokenizer and are judged by JSON.parse, with the document line', () => {
    const s = split('{\n "a": tru\n}\n{"b": 1}');
    assert.deepEqual(
      s.docs.map((d) => d.value),
      [{ b: 1 }],
    );
    assert.match(s.problems[0].message, /not valid JSON/);
    assert.equal(s.problems[0].line, 1);
  });

  test('truncated input: the open document is reported at its first line', () => {
    const s = split('{"a":1}\n{\n  "b": [1, 2,');
    assert.deepEqual(
      s.docs.map((d) => d.value),
      [{ a: 1 }],
    );
    assert.match(s.problems[0].message, /input ends inside the document starting at line 2/);
  });

  test('documents over the size cap are skipped without being kept; the next one still reads', () => {
    const big = `{\n"a": "${'x'.repeat(5000)}",\n"b": """${'y'.repeat(5000)}\n${'z'.repeat(5000)}"""\n}`;
    const s = split(`${big}\n{"small": 1}`, 4096);
    assert.deepEqual(
      s.docs.map((d) => d.value),
      [{ small: 1 }],
    );
    assert.equal(s.problems.length, 1);
    assert.match(s.problems[0].message, /larger than 4096 characters/);
  });

  test('hostile nesting is cut at the depth limit, not followed down', () => {
    const s = split(`${'['.repeat(100_000)}\n{"after": 1}`);
    assert.deepEqual(
      s.docs.map((d) => d.value),
      [{ after: 1 }],
    );
    const deep = split(`{"a":\n${'['.repeat(10_000)}${']'.repeat(10_000)}}\n{"after": 2}`);
    assert.deepEqual(
      deep.docs.map((d) => d.value),
      [{ after: 2 }],
    );
    assert.match(deep.problems[0].message, /nested deeper than 256/);
  });

  test('pretty blocks read whole give what the tokenizer gives line by line, broken ones too', () => {
    const pretty = (o: unknown) => JSON.stringify(o, null, 2);
    const doc = { '@timestamp': '2026-01-05T10:00:00Z', process: { args: ['a', '{', '}'], pid: 7 } };
    const inputs = [
      `${pretty(doc)}\n${pretty(doc)}\n`,
      `${pretty(doc)},\n${pretty(doc)}`,
      // A closing brace at column 0 inside the document; a `{` at column 0 cuts the open one.
      '{\n"a": {\n"b": 1\n}\n}\n{\n"c": 2\n}',
      '{\n  "a": 1,\n{\n  "b": 2\n}',
      // Kibana triple quotes holding a lone brace; a lost comma; a lost quote; garbage after.
      '{\n  "cmd": """x\n}\n""",\n  "n": 1\n}',
      '{\n  "a": 1\n  "b": 2\n}',
      '{\n  "a": "x,\n  "b": 2\n}\nnot json\n{\n"c": 3\n}',
      // Truncated; empty; a scalar JSON.parse refuses; nested deeper than the limit.
      '{\n  "a": [1,\n',
      '{\n}',
      '{\n  "a": tru\n}',
      `{\n"a":\n${'['.repeat(300)}${']'.repeat(300)}\n}\n{\n"b": 1\n}`,
    ];
    for (const text of inputs) {
      for (const max of [undefined, 24]) {
        assert.deepEqual(split(text, max), split(text, max, false), `${JSON.stringify(text)} (max ${max})`);
      }
    }
    assert.equal(split(inputs[0]).docs.length, 2);
  });
});
