// `ratchain dump FILE.evtx`: one JSON object per record, in file order, problems on stderr.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { dumpEvtx } from '../../src/cli/dump.ts';
import { writeEvtx } from '../../src/simulate/evtx/binary-writer.ts';

async function dump(
  bytes: Buffer,
): Promise<{ lines: Array<Record<string, unknown>>; err: string; records: number; problems: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'dump-'));
  const path = join(dir, 'Security.evtx');
  writeFileSync(path, bytes);
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => {
    o += d;
  });
  err.on('data', (d) => {
    e += d;
  });
  try {
    const r = await dumpEvtx(path, out, err);
    return {
      lines: o.trim()
        ? o
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l))
        : [],
      err: e,
      ...r,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const logon = (recordId: number) => ({
  recordId,
  time: Date.UTC(2024, 5, 1, 8, 0, recordId),
  eventId: 4624,
  provider: 'Microsoft-Windows-Security-Auditing',
  channel: 'Security',
  computer: 'DC1',
  data: [
    ['TargetUserName', 'alice'] as [string, string],
    ['LogonType', { type: 'u32' as const, value: 10 }] as [string, { type: 'u32'; value: number }],
    ['IpAddress', '127.0.0.1'] as [string, string],
  ],
});

test('dump prints each record as a JSON line with its offset and ISO time', async () => {
  const r = await dump(writeEvtx([logon(1), logon(2)]));
  assert.equal(r.records, 2);
  assert.equal(r.problems, 0);
  assert.equal(r.lines.length, 2);
  assert.equal(r.lines[0].eventId, 4624);
  assert.equal(r.lines[0].recordId, '1');
  assert.equal(r.lines[0].offset, 4096 + 512);
  assert.equal(r.lines[0].chunk, 0);
  assert.equal(r.lines[1].time, '2024-06-01T08:00:02.000Z');
  assert.deepEqual(r.lines[1].data, { TargetUserName: 'alice', LogonType: '10', IpAddress: '127.0.0.1' });
});

test('dump reports damage on stderr and keeps going', async () => {
  const file = writeEvtx([logon(1)]);
  const r = await dump(file.subarray(0, 4096 + 300));
  assert.equal(r.lines.length, 0);
  assert.match(r.err, /Security\.evtx: EVTX file truncated inside chunk 0/);
});
