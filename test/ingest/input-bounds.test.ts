// Inputs that are not plain files, or that are built to exhaust: symbolic links are followed once
// and counted, FIFOs and devices inside a directory are reported and skipped, a FIFO named on
// the command line is given up when no writer comes, and a gzip bomb is cut with a message.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { expandInputs, InputBound, MIN_INFLATE_LIMIT, openBytes } from '../../src/ingest/open.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-bounds-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('links are followed once and counted; loops, dangling links and FIFOs are problems', () => {
  const d = join(dir, 'tree');
  mkdirSync(join(d, 'sub'), { recursive: true });
  writeFileSync(join(d, 'a.log'), 'x\n');
  symlinkSync(join(d, 'a.log'), join(d, 'b.log')); // the same file again: read once
  symlinkSync('..', join(d, 'sub', 'up')); // a loop back to the top
  symlinkSync(join(d, 'missing'), join(d, 'dangling'));
  const other = join(dir, 'elsewhere.log');
  writeFileSync(other, 'y\n');
  symlinkSync(other, join(d, 'sub', 'c.log'));
  execFileSync('mkfifo', [join(d, 'pipe')]);
  const r = expandInputs([d]);
  assert.deepEqual(
    r.inputs.map((i) => i.name),
    [join(d, 'a.log'), join(d, 'sub', 'c.log')],
  );
  assert.equal(r.linksFollowed, 1);
  const messages = r.problems.map((p) => `${p.file}: ${p.message}`).sort();
  assert.equal(messages.length, 2);
  assert.match(messages[0], /dangling: a symbolic link to nothing/);
  assert.match(messages[1], /pipe: a FIFO in a directory; skipped \(name it on the command line/);
});

test('a FIFO named on the command line that no writer opens is given up', { timeout: 20_000 }, async () => {
  const fifo = join(dir, 'lonely');
  execFileSync('mkfifo', [fifo]);
  const [input] = expandInputs([fifo]).inputs;
  assert.equal(input.kind, 'fifo');
  await assert.rejects(
    async () => {
      for await (const _ of openBytes(input, 65536, 200)) assert.fail('no bytes expected');
    },
    (e: Error) => e instanceof InputBound && /no writer opened within 0.2 s/.test(e.message),
  );
});

test('a gzip bomb is cut once it expands past the ratio, with a message', { timeout: 60_000 }, async () => {
  const bomb = join(dir, 'bomb.gz');
  writeFileSync(bomb, gzipSync(Buffer.alloc(MIN_INFLATE_LIMIT + (8 << 20), 'a'), { level: 9 }));
  const [input] = expandInputs([bomb]).inputs;
  let out = 0;
  await assert.rejects(
    async () => {
      for await (const c of openBytes(input)) out += c.length;
    },
    (e: Error) => e instanceof InputBound && /decompression bomb/.test(e.message),
  );
  assert.ok(out <= MIN_INFLATE_LIMIT + (1 << 20), `${out} bytes let through`);
});
