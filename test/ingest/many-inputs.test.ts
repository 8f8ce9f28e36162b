// A hunt over a thousand files keeps them all open for the time-ordered merge: read chunks shrink
// so memory stays bounded, and every file is read.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { hunt } from '../../src/hunt.ts';
import { chunkSizeFor } from '../../src/ingest/source.ts';
import { REPO_ROOT } from '../support/data.ts';

test('read chunks shrink with the number of open inputs, within 64 KiB .. 1 MiB', () => {
  assert.equal(chunkSizeFor(1), 1 << 20);
  assert.equal(chunkSizeFor(64), 1 << 20);
  assert.equal(chunkSizeFor(256), 256 * 1024);
  assert.equal(chunkSizeFor(5000), 64 * 1024);
});

test('a thousand files, one per host-hour, are all read and merged by time', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ratchain-many-'));
  const lines = readFileSync(join(REPO_ROOT, 'examples/windows/background-winlogbeat.ndjson'), 'utf8')
    .trim()
    .split('\n');
  for (let i = 0; i < 1000; i++) {
    const sub = join(dir, `h${i % 10}`);
    mkdirSync(sub, { recursive: true });
    // The same records, one hour earlier per file and on their own host.
    const shifted = lines.map((l) => {
      const d = JSON.parse(l);
      d['@timestamp'] = new Date(Date.parse(d['@timestamp']) - i * 3_600_000).toISOString();
      d.winlog.computer_name = `WS-${i}.corp.example`;
      return JSON.stringify(d);
    });
    writeFileSync(join(sub, `part-${i}.ndjson`), `${shifted.join('\n')}\n`);
  }
  const { summary } = await hunt({ paths: [dir], config: configSchema.parse({}), catalog: builtinCatalog() });
  assert.equal(summary.inputs.length, 1000);
  assert.equal(summary.problems, 0);
  assert.equal(summary.events, 1000 * lines.length);
  assert.equal(summary.late, 0);
});
