// ECS-mapped Windows documents (test/fixtures/windows-ecs): one host's Sysmon 1/3/5/11/12/13/22,
// Security 4688/4689/4697/5156 and System 7045 records, four times over: as Winlogbeat 8 writes
// them (raw `winlog.event_data`), as Elasticsearch stores them after the winlogbeat-8 routing,
// sysmon and security ingest pipelines (most event data moved to `process.*`, `source.*`,
// `destination.*`, `file.path`, `registry.*`, `dns.*` and deleted), as Elastic Agent's Windows
// and System integrations store them (the same pipelines, plus `data_stream`), and as Winlogbeat
// 7.17's in-beat module scripts shaped them. The three mapped renderings must read exactly as the
// raw one: same events, same fields.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type {
  DnsEvent,
  NetworkEvent,
  ProcessStartEvent,
  RatEvent,
  RegistryEvent,
} from '../../../src/model/event.ts';
import { REPO_ROOT } from '../../support/data.ts';
import { decodeFile } from '../linux/decode.ts';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'windows-ecs');
const RAW = join(DIR, 'winlogbeat-8-raw.ndjson');
const MAPPED = ['winlogbeat-8-ingested.ndjson', 'elastic-agent.ndjson', 'winlogbeat-7.ndjson'];

/** What an event says, without where it was read from. */
function facts(e: RatEvent): unknown {
  const { src, time, ...rest } = e;
  return { ...rest, eventId: src.eventId, record: src.record };
}

/** The stored @timestamp of a Sysmon record is its UtcTime; the raw one is TimeCreated, a few ms later. */
const MAX_TIMESTAMP_GAP_MS = 1000;

describe('ECS-mapped Winlogbeat and Elastic Agent documents', async () => {
  const raw = await decodeFile(RAW);

  test('the raw documents read as 13 events without problems; the key create is ignored', () => {
    assert.deepEqual(raw.problems, []);
    assert.equal(raw.stats.format, 'windows-json');
    assert.equal(raw.events.length, 13);
    // Sysmon 12 creates a key; only a value set (13) can be a persistence entry.
    assert.equal(raw.ignored, 1);
  });

  for (const name of MAPPED) {
    test(`${name} reads exactly as the raw documents`, async () => {
      const r = await decodeFile(join(DIR, name));
      assert.deepEqual(r.problems, []);
      assert.equal(r.stats.format, 'windows-json');
      assert.equal(r.ignored, raw.ignored);
      assert.deepEqual(r.events.map(facts), raw.events.map(facts));
      r.events.forEach((e, i) => {
        assert.ok(Math.abs(e.time - raw.events[i].time) <= MAX_TIMESTAMP_GAP_MS, `event ${i}`);
      });
    });
  }

  test('the fields ECS moved are back where events.ts reads them', async () => {
    const r = await decodeFile(join(DIR, 'winlogbeat-8-ingested.ndjson'));
    const start = r.events.find(
      (e): e is ProcessStartEvent => e.kind === 'process' && e.src.eventId === '1',
    )!;
    assert.equal(start.proc.image, 'C:\\ProgramData\\WinUpdate\\wuhelper.exe');
    assert.equal(start.meta?.originalFileName, 'rustdesk.exe');
    assert.equal(start.hashes?.sha256, '0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0');
    assert.equal(start.user, 'CORP\\cara');
    const conn = r.events.find((e): e is NetworkEvent => e.kind === 'network' && e.src.eventId === '3')!;
    assert.deepEqual(
      [conn.direction, conn.srcIp, conn.srcPort, conn.dstIp, conn.dstPort, conn.protocol],
      ['outbound', '10.20.40.23', 50812, '203.0.113.77', 21116, 'tcp'],
    );
    const dns = r.events.find((e): e is DnsEvent => e.kind === 'dns')!;
    assert.deepEqual([dns.query, dns.answers], ['rs-ny.rustdesk.com', ['203.0.113.77']]);
    const run = r.events.find(
      (e): e is RegistryEvent => e.kind === 'registry' && e.key.endsWith('WinUpdateHelper'),
    )!;
    assert.equal(run.data, '"C:\\ProgramData\\WinUpdate\\wuhelper.exe" --tray');
  });
});
