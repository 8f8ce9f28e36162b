// Bad input never wins: every macOS decoder meets cut, mutated, type-confused and hostile lines,
// and reports them without throwing, hanging or keeping them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { elasticEndpointDecoder } from '../../../src/ingest/macos/elastic-endpoint.ts';
import { esloggerDecoder } from '../../../src/ingest/macos/eslogger.ts';
import { osqueryDecoder } from '../../../src/ingest/macos/osquery.ts';
import type { DecodeContext, Decoder } from '../../../src/ingest/reader.ts';
import { REPO_ROOT } from '../../support/data.ts';
import { decodeLines } from './decode.ts';

const FIX = join(REPO_ROOT, 'test/fixtures/macos');

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Replaces every value at random with a value of another type. */
function confuse(v: unknown, r: () => number): unknown {
  const odd = [null, 0, -1, 1e308, '', 'x', [], {}, true, '../../etc', '\u0000'];
  if (r() < 0.15) return odd[Math.floor(r() * odd.length)];
  if (Array.isArray(v)) return v.map((x) => confuse(x, r));
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = confuse(x, r);
    return o;
  }
  return v;
}

function mutations(lines: string[], seed: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let round = 0; round < 20; round++) {
    for (const l of lines) {
      out.push(l.slice(0, Math.floor(r() * l.length))); // cut anywhere
      const i = Math.floor(r() * l.length);
      out.push(l.slice(0, i) + String.fromCharCode(Math.floor(r() * 128)) + l.slice(i + 1)); // one byte changed
      out.push(JSON.stringify(confuse(JSON.parse(l), r))); // types confused
    }
  }
  out.push(
    '{'.repeat(50_000),
    '[]',
    'null',
    '"string"',
    '{}',
    `{"a":"${'x'.repeat(1 << 20)}"}`,
    '\u0000\u0001\u0002',
  );
  return out;
}

const cases: Array<[string, (ctx: DecodeContext) => Decoder, string[]]> = [
  ['eslogger', esloggerDecoder, ['full-chain.eslogger.ndjson', 'pkg-launchdaemon.eslogger.ndjson']],
  ['osquery', osqueryDecoder, ['full-chain.osquery.log', 'pkg-launchdaemon.osquery.log']],
  ['elastic-endpoint', elasticEndpointDecoder, ['elastic-endpoint.ndjson']],
];

describe('hostile input to the macOS decoders', () => {
  for (const [name, make, files] of cases) {
    test(`${name}: mutated records are reported or read, never thrown`, () => {
      const lines = files.flatMap((f) => readFileSync(join(FIX, f), 'utf8').trim().split('\n'));
      const bad = mutations(lines, 7);
      const text = bad.join('\n');
      const lineCount = text.split('\n').length; // a mutation may have written a line break
      const d = decodeLines(make, text);
      assert.ok(d.problems.length > 0);
      for (const e of d.events) {
        assert.ok(Number.isFinite(e.time), `${name}: event without a finite time`);
        assert.equal(typeof e.host, 'string');
        if (e.kind === 'process') assert.equal(typeof e.proc.image, 'string');
        if (e.kind === 'file') assert.equal(typeof e.path, 'string');
      }
      // Every problem names a line of the input.
      assert.ok(d.problems.every((p) => typeof p.line === 'number' && p.line >= 1 && p.line <= lineCount));
    });
  }

  test('Kibana pretty exports cut or mutated outside raw strings: reported, never thrown, the next document still reads', () => {
    const pretty = readFileSync(join(FIX, 'elastic-endpoint-eql.json'), 'utf8');
    const good = readFileSync(join(FIX, 'elastic-endpoint.ndjson'), 'utf8').split('\n')[0];
    // Damage inside a """ string swallows what follows up to the next """: raw text has no
    // structure to resynchronise on, so damage is placed outside those strings.
    const raw: Array<[number, number]> = [];
    for (let a = pretty.indexOf('"""'); a >= 0; ) {
      const b = pretty.indexOf('"""', a + 3);
      raw.push([a, b + 3]);
      a = pretty.indexOf('"""', b + 3);
    }
    const r = rng(11);
    for (let k = 0; k < 200; k++) {
      const i = Math.floor(r() * pretty.length);
      if (raw.some(([a, b]) => i >= a && i < b)) continue;
      const cut =
        r() < 0.5
          ? pretty.slice(0, i)
          : pretty.slice(0, i) + String.fromCharCode(Math.floor(r() * 128)) + pretty.slice(i + 1);
      const d = decodeLines(elasticEndpointDecoder, `${cut}\n${good}`);
      assert.ok(
        d.events.some((e) => e.src.record === 'f1'),
        `the document after damage at ${i} was lost: ${JSON.stringify(d.problems.slice(0, 3))}`,
      );
    }
  });
});
