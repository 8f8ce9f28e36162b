// A regular file read for a line format goes into the same memory read after read: lines cut by
// chunk ends (carried over to the next read) and events must come out as if every chunk were new.
// A read chunk is handed on in batches of about 64 KiB of lines, and those read the same too.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { expandInputs } from '../../src/ingest/open.ts';
import { newStats, readSource } from '../../src/ingest/source.ts';
import { windowsJson } from '../../src/ingest/windows/windows-json.ts';
import type { RatEvent } from '../../src/model/event.ts';
import { decodeText } from './linux/decode.ts';

/** Sysmon network events (used) and process access (unused), flattened as Logstash writes them. */
function records(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = i % 3 === 0 ? 10 : 3;
    const padding = 'x'.repeat((i * 7919) % 3000);
    lines.push(
      JSON.stringify({
        EventID: id,
        Channel: 'Microsoft-Windows-Sysmon/Operational',
        Hostname: `WKS-${i % 5}.corp.example`,
        '@timestamp': new Date(Date.UTC(2026, 0, 5, 10, 0, 0, i * 10)).toISOString(),
        ProcessGuid: `{3f1b2a6c-8a20-6779-2b01-${String(i).padStart(12, '0')}}`,
        ProcessId: String(1000 + i),
        Image: `C:\\Program Files\\Vendor ${padding}\\agent.exe`,
        SourceIp: '10.0.0.5',
        SourcePort: String(50000 + (i % 1000)),
        DestinationIp: `203.0.113.${i % 250}`,
        DestinationPort: '443',
        Initiated: 'true',
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

test('lines cut by chunk ends read the same when every read reuses one buffer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ratchain-recycle-'));
  try {
    const text = records(400);
    const path = join(dir, 'sysmon.ndjson');
    writeFileSync(path, text);
    const [input] = expandInputs([path]).inputs;
    assert.equal(input.kind, 'file');
    const events: RatEvent[] = [];
    const stats = newStats(path);
    for await (const b of readSource(
      input,
      { onProblem: (p) => assert.fail(p.message), chunkSize: 65536 },
      stats,
    ))
      events.push(...b);
    const expected = decodeText(windowsJson, text, path);
    assert.ok(stats.bytes > 10 * 65536, 'many chunks');
    assert.deepEqual(events, expected.events);
    assert.equal(stats.ignored, expected.ignored);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('after the first, a megabyte read is handed on in batches of about 64 KiB of lines, reading the same', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ratchain-batches-'));
  try {
    const text = records(2500);
    const path = join(dir, 'sysmon.ndjson');
    writeFileSync(path, text);
    const [input] = expandInputs([path]).inputs;
    const batches: RatEvent[][] = [];
    const stats = newStats(path);
    for await (const b of readSource(
      input,
      { onProblem: (p) => assert.fail(p.message), chunkSize: 1 << 20 },
      stats,
    ))
      batches.push(b);
    assert.ok(stats.bytes > 2 << 20, 'several megabyte reads');
    // Every line is at least 378 bytes, so 64 KiB holds at most 174 lines, two in three used (a
    // megabyte's batch would hold about 370).
    assert.ok(batches.length > 30, `${batches.length} batches`);
    // The first batch is the whole first read (host hints judge an input on it); the rest are pieces.
    for (const b of batches.slice(1)) assert.ok(b.length <= 120, `a batch of ${b.length} events`);
    assert.deepEqual(batches.flat(), decodeText(windowsJson, text, path).events);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
