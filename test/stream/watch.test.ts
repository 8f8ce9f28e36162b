// `watch` follows files and stdin: appended lines, a rotated file, out-of-order events across
// two files, a half-written last line and a truncated file are all handled, and findings match
// what `hunt` makes of the same lines.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { hunt } from '../../src/hunt.ts';
import { fleet, fleetLines } from '../fixtures/stream/fleet.ts';
import { defaultConfig, startWatch } from './watch-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-watch-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** One host's 4-step AnyDesk chain: 13 event XML lines in time order. */
const CHAIN = fleetLines({ hosts: 1 });
const text = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

async function huntFindings(lines: string[]) {
  const file = join(dir, `hunt-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, text(lines));
  const r = await hunt({ paths: [file], config: defaultConfig(), catalog: builtinCatalog() });
  return r.findings;
}

describe('watch', () => {
  it('reports a chain as lines are appended, and updates it (same id) as steps arrive', async () => {
    const file = join(dir, 'append.xml');
    writeFileSync(file, text(CHAIN.slice(0, 5)));
    const w = startWatch([file]);
    await w.until('first 5 events', () => (w.stats()?.eventsIn ?? 0) >= 5);
    assert.equal(w.findings.length, 0, 'two steps are not an alert');
    for (const l of CHAIN.slice(5)) appendFileSync(file, `${l}\n`);
    await w.until('a 4-step finding', () => [...w.latest().values()].some((f) => f.stepCount === 4));
    const s = await w.stop();
    const ids = new Set(w.findings.map((x) => x.f.id));
    assert.equal(ids.size, 1, 'one chain, one id');
    const revs = w.findings.map((x) => x.f.revision);
    assert.deepEqual(
      revs,
      [...revs].sort((a, b) => a - b),
      'revisions only go up',
    );
    assert.equal(s.eventsIn, 13);
    const [expected] = await huntFindings(CHAIN);
    assert.equal([...ids][0], expected.id, 'same id as hunt');
  });

  it('follows a rotated file: reads the old file to its end, then the new one from its start', async () => {
    const file = join(dir, 'rotate.xml');
    writeFileSync(file, text(CHAIN.slice(0, 6)));
    const w = startWatch([file]);
    await w.until('6 events', () => (w.stats()?.eventsIn ?? 0) >= 6);
    appendFileSync(file, text(CHAIN.slice(6, 8))); // written just before rotation
    renameSync(file, `${file}.1`);
    writeFileSync(file, text(CHAIN.slice(8)));
    await w.until('all 13 events', () => (w.stats()?.eventsIn ?? 0) >= 13);
    await w.until('a 4-step finding', () => [...w.latest().values()].some((f) => f.stepCount === 4));
    const s = await w.stop();
    assert.equal(s.eventsIn, 13, 'nothing lost or read twice across the rotation');
    assert.ok(w.problems.some((p) => /rotated/.test(p.message)));
  });

  it('puts events from two files back in time order, and counts the ones beyond their host lateness', async () => {
    // Two hosts' chains, each consecutive pair of events split over two files and appended
    // later-first. The reorder window (5 min) holds events long enough to restore the order.
    const lines = fleet({ hosts: 2 }).map((l) => l.line);
    const a = join(dir, 'two-a.xml');
    const b = join(dir, 'two-b.xml');
    writeFileSync(a, '');
    writeFileSync(b, '');
    const w = startWatch([a, b], { reorderMs: 300_000, idleFlushMs: 60_000 });
    for (let i = 0; i < lines.length; i += 2) {
      if (lines[i + 1]) appendFileSync(b, `${lines[i + 1]}\n`);
      appendFileSync(a, `${lines[i]}\n`);
      await w.until(`event ${i + 2}`, () => (w.stats()?.eventsIn ?? 0) >= Math.min(i + 2, lines.length));
    }
    // An event 2 hours older than everything else of its host is far beyond the 5-minute
    // lateness. (Lateness is per host: the same event on a host not seen yet would be on time.)
    appendFileSync(a, `${CHAIN[0].replace(/2026-11-02([T ])09:/g, '2026-11-02$107:')}\n`);
    await w.until('the late event', () => (w.stats()?.late ?? 0) === 1);
    const s = await w.stop();
    const expected = await huntFindings(lines);
    const got = w.latest();
    assert.equal(got.size, expected.length);
    for (const f of expected) {
      const g = got.get(f.id);
      assert.ok(g, `finding ${f.id} (${f.host}) missing`);
      assert.equal(g.severity, f.severity);
      assert.equal(g.stepCount, f.stepCount);
    }
    assert.equal(s.late, 1);
    assert.ok(w.problems.some((p) => /lateness/.test(p.message)));
  });

  it('waits for a half-written last line, and starts over when the file is truncated', async () => {
    const file = join(dir, 'partial.xml');
    const last = CHAIN[12];
    writeFileSync(file, text(CHAIN.slice(0, 12)) + last.slice(0, 200));
    const w = startWatch([file]);
    await w.until('12 events', () => (w.stats()?.eventsIn ?? 0) >= 12);
    await w.until('the first finding', () => w.findings.length > 0);
    assert.equal(w.problems.length, 0, 'half a line is not an error while it may still be written');
    appendFileSync(file, `${last.slice(200)}\n`);
    await w.until('the 13th event', () => (w.stats()?.eventsIn ?? 0) >= 13);
    truncateSync(file, 0);
    await w.until('the truncation', () => w.problems.some((p) => /truncated/.test(p.message)));
    appendFileSync(file, `${CHAIN[12].replace('WS-0001', 'WS-0099')}\n`);
    await w.until('the event after truncation', () => (w.stats()?.eventsIn ?? 0) >= 14);
    const s = await w.stop();
    assert.equal(s.eventsIn, 14);
    assert.ok(
      w.problems.every((p) => !/not well-formed|malformed|parse/i.test(p.message)),
      'no half line decoded',
    );
  });

  it('reads stdin to its end, including a last line without a newline, then stops by itself', async () => {
    const stdin = new PassThrough();
    const w = startWatch(['-'], { stdin });
    stdin.write(text(CHAIN.slice(0, 12)));
    stdin.end(CHAIN[12]); // no trailing newline: at end of input it is complete
    const s = await w.ended();
    assert.equal(s.eventsIn, 13);
    const [expected] = await huntFindings(CHAIN);
    const got = w.latest().get(expected.id);
    assert.equal(got?.stepCount, 4);
    assert.equal(got?.severity, expected.severity);
  });
});
