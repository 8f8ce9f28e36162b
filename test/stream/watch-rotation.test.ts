// `watch` follows by file identity and never skips bytes on fast rotation: two rotations inside
// one poll interval, a writer still on the renamed file, a truncate-and-regrow inside one poll.
// Each case writes a fleet's lines across the files and checks that every event was read once
// and the findings are those of a hunt of the same lines.
import assert from 'node:assert/strict';
import {
  closeSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { hunt } from '../../src/hunt.ts';
import { fleetLines } from '../fixtures/stream/fleet.ts';
import { defaultConfig, startWatch, type Watching } from './watch-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-rotation-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const LINES = fleetLines({ hosts: 12, noise: 40 });
const text = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

async function expected(): Promise<string[]> {
  const file = join(dir, 'all.xml');
  writeFileSync(file, text(LINES));
  const r = await hunt({ paths: [file], config: defaultConfig(), catalog: builtinCatalog() });
  return r.findings.map((f) => f.id).sort();
}

async function finish(w: Watching): Promise<{ events: number; ids: string[] }> {
  await w.until('every event', () => (w.stats()?.eventsIn ?? 0) >= LINES.length);
  const s = await w.stop();
  return { events: s.eventsIn, ids: [...w.latest().keys()].sort() };
}

/** Cuts the lines into `n` consecutive parts. */
function parts(n: number): string[][] {
  const size = Math.ceil(LINES.length / n);
  return Array.from({ length: n }, (_, i) => LINES.slice(i * size, (i + 1) * size));
}

describe('watch on fast rotation', () => {
  it('two rotations inside one poll: the file rotated in between is read whole', async () => {
    const file = join(dir, 'two.xml');
    const [a, b, c] = parts(3);
    writeFileSync(file, text(a));
    const w = startWatch([file]);
    await w.until('the first file', () => (w.stats()?.eventsIn ?? 0) >= a.length);
    // Synchronous, so no poll runs in between: a.xml → .1 → .2, b written and rotated, c new.
    renameSync(file, `${file}.1`);
    writeFileSync(file, text(b));
    renameSync(`${file}.1`, `${file}.2`);
    renameSync(file, `${file}.1`);
    writeFileSync(file, text(c));
    const r = await finish(w);
    assert.equal(r.events, LINES.length, 'every event once');
    assert.deepEqual(r.ids, await expected());
  });

  it('a writer still on the renamed file: the old file is read until it goes idle', async () => {
    const file = join(dir, 'writer.xml');
    const [a, b, c] = parts(3);
    const old = openSync(file, 'a');
    writeSync(old, text(a));
    const w = startWatch([file]);
    await w.until('the first part', () => (w.stats()?.eventsIn ?? 0) >= a.length);
    renameSync(file, `${file}.1`);
    writeFileSync(file, '');
    await w.until('the rotation seen', () => w.problems.some((p) => /rotated/.test(p.message)));
    writeSync(old, text(b)); // the writer has not reopened yet
    closeSync(old);
    writeFileSync(file, text(c));
    const r = await finish(w);
    assert.equal(r.events, LINES.length, 'every event once');
    assert.deepEqual(r.ids, await expected());
  });

  it('truncated and regrown past the old size inside one poll: read again from the start', async () => {
    const file = join(dir, 'regrow.xml');
    const [a, b] = parts(2);
    writeFileSync(file, text(a.slice(0, 50)));
    const w = startWatch([file]);
    await w.until('the first lines', () => (w.stats()?.eventsIn ?? 0) >= 50);
    // The first 50 lines were read; the file is rewritten with the rest, longer than before.
    truncateSync(file, 0);
    writeFileSync(file, text([...a.slice(50), ...b]));
    const r = await finish(w);
    assert.ok(w.problems.some((p) => /truncated/.test(p.message)));
    assert.equal(r.events, LINES.length, 'every event once');
    assert.deepEqual(r.ids, await expected());
  });
});
