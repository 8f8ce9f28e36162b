// Elastic Endpoint reader: NDJSON exports, an EQL sequence response pasted from Kibana Dev Tools
// (with a """ string), search responses, and every file of the real macOS attack dataset.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { elasticEndpoint, elasticEndpointDecoder } from '../../../src/ingest/macos/elastic-endpoint.ts';
import type { Problem } from '../../../src/ingest/reader.ts';
import { newStats, readSource, sniffFormat } from '../../../src/ingest/source.ts';
import type { RatEvent } from '../../../src/model/event.ts';
import { needsData, REPO_ROOT, sharedData } from '../../support/data.ts';
import { decodeLines, ofKind } from './decode.ts';

const FIX = join(REPO_ROOT, 'test/fixtures/macos');
const read = (f: string) => readFileSync(join(FIX, f), 'utf8');
const HELPER = '/Users/bob/Downloads/Remote Helper.app/Contents/MacOS/helper';
const HELPER_GUID = 'ZW50aXR5LTEwMDEtMQ==';

describe('Elastic Endpoint reader', () => {
  test('EQL sequence response from Kibana: each event of the sequence, """ command line included', () => {
    const d = decodeLines(elasticEndpointDecoder, read('elastic-endpoint-eql.json'), 'eql.json');
    assert.deepEqual(d.problems, []);
    const [start] = ofKind(d.events, 'process');
    assert.equal(start.host, 'mbp-bob.local');
    assert.equal(start.platform, 'macos');
    assert.deepEqual(start.proc, {
      guid: HELPER_GUID,
      pid: 1001,
      image: HELPER,
      commandLine: `${HELPER} --silent`,
      start: Date.parse('2026-11-03T12:00:00.120Z'),
      user: 'bob',
    });
    assert.deepEqual(start.parent, {
      guid: 'ZW50aXR5LTkwMC0x',
      pid: 900,
      image: '/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder',
    });
    assert.deepEqual(start.meta, {
      signer: 'Developer ID Application: Remote Helper Ltd (RHX1234567)',
      signed: true,
      signingId: 'com.remotehelper.helper',
      teamId: 'RHX1234567',
    });
    assert.equal(start.hashes?.sha256?.length, 64);
    assert.equal(start.cwd, '/Users/bob');
    assert.deepEqual(start.src, {
      file: 'eql.json',
      format: 'elastic-endpoint',
      line: 1,
      record: 'p1',
      eventId: 'exec',
    });
    const [net] = ofKind(d.events, 'network');
    assert.equal(net.direction, 'outbound');
    assert.equal(net.proc?.guid, HELPER_GUID);
    assert.deepEqual(
      [net.srcIp, net.srcPort, net.dstIp, net.dstPort, net.protocol],
      ['192.168.7.20', 50211, '203.0.113.9', 443, 'tcp'],
    );
  });

  test('NDJSON: file creation and rename, DNS, fork, exec, end, disconnect with bytes', () => {
    const d = decodeLines(elasticEndpointDecoder, read('elastic-endpoint.ndjson'));
    assert.deepEqual(d.problems, []);
    assert.deepEqual(
      d.events.map((e) => e.kind),
      ['file', 'file', 'dns', 'process', 'process', 'process_end', 'network'],
    );
    assert.equal(d.ignored, 1, 'the heartbeat carries nothing the engine uses');
    const [create, rename] = ofKind(d.events, 'file');
    assert.deepEqual(
      [create.op, create.path],
      ['create', '/Users/bob/Library/LaunchAgents/com.remotehelper.agent.plist'],
    );
    assert.deepEqual(
      [rename.op, rename.path, rename.target],
      ['rename', `${HELPER}.new`, '/Users/bob/Library/Application Support/RemoteHelper/helper'],
    );
    const [dns] = ofKind(d.events, 'dns');
    assert.deepEqual([dns.query, dns.answers], ['relay.remotehelper.example', ['203.0.113.9']]);
    const [fork, exec] = ofKind(d.events, 'process');
    assert.equal(fork.forkOnly, true);
    assert.equal(exec.commandLine, 'zsh -i');
    assert.equal(exec.parent?.guid, HELPER_GUID);
    const [end] = ofKind(d.events, 'process_end');
    assert.equal(end.proc.guid, 'ZW50aXR5LTEwMDItMg==');
    const [bye] = ofKind(d.events, 'network');
    assert.deepEqual([bye.bytesOut, bye.bytesIn, bye.state], [9123456, 120333, 'closed']);
  });

  test('search responses (hits.hits with _source) and plain lists give their documents', () => {
    const doc = JSON.parse(read('elastic-endpoint.ndjson').split('\n')[0]);
    const search = JSON.stringify({
      took: 3,
      hits: {
        total: { value: 2 },
        hits: [
          { _id: 'a', _source: doc },
          { _id: 'b', _source: doc },
        ],
      },
    });
    const d = decodeLines(elasticEndpointDecoder, `${search}\n[${JSON.stringify(doc)}]`);
    assert.deepEqual(d.problems, []);
    assert.deepEqual(
      d.events.map((e) => e.src.record),
      ['a', 'b', 'f1'],
    );
  });

  test('documents that are not Endpoint events are reported with their line', () => {
    const d = decodeLines(
      elasticEndpointDecoder,
      [
        '{"@timestamp":"2026-11-03T12:00:00Z","winlog":{"event_id":1}}',
        '{"event":{"category":["process"],"type":["start"]},"process":{"executable":"/bin/ls"}}',
        '{"@timestamp":"2026-11-03T12:00:00Z","event":{"category":["process"],"type":["start"]},"process":{"pid":1}}',
        '{"@timestamp":"2026-11-03T12:00:00Z","event":{"category":["file"],"action":"creation"}}',
        '"just a string"',
      ].join('\n'),
    );
    assert.equal(d.events.length, 0);
    assert.deepEqual(
      d.problems.map((p) => p.line),
      [1, 2, 3, 4, 5],
    );
    assert.match(d.problems[1].message, /no readable @timestamp/);
  });

  test('sniffing: Endpoint documents are claimed, Winlogbeat documents are left to the Windows reader', () => {
    assert.equal(sniffFormat(Buffer.from(read('elastic-endpoint-eql.json'))).format?.id, 'elastic-endpoint');
    assert.equal(sniffFormat(Buffer.from(read('elastic-endpoint.ndjson'))).format?.id, 'elastic-endpoint');
    const wlb =
      '{"@timestamp":"2026-01-01T00:00:00Z","agent":{"type":"winlogbeat"},"event":{"module":"sysmon"},"winlog":{"event_id":1,"channel":"x"}}\n';
    assert.equal(elasticEndpoint.sniff(Buffer.from(wlb), wlb), 0);
  });
});

const DATASET = sharedData('macos-attack-dataset');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

describe('real Elastic Endpoint 7.10 exports (macos-attack-dataset)', needsData(DATASET), () => {
  test('every file is sniffed as Elastic Endpoint and read; damage is reported with file and line', async () => {
    const files = filesUnder(DATASET!);
    assert.equal(files.length, 31);
    const problems: Problem[] = [];
    let events = 0;
    for (const path of files) {
      const stats = newStats(path);
      for await (const b of readSource({ name: path, path }, { onProblem: (p) => problems.push(p) }, stats))
        events += b.length;
      assert.equal(stats.format, 'elastic-endpoint', path);
      assert.ok(stats.events > 0, `${path}: no events`);
    }
    assert.ok(events >= 49, `${events} events`);
    // One export lost a closing brace, a quote and a comma; all are repaired, and each is reported.
    assert.deepEqual(
      problems.map((p) => `${p.file.split('/').pop()}:${p.line}`),
      [
        'discovery_system_profile_sw_vers.json:1',
        'discovery_system_profile_sw_vers.json:164',
        'discovery_system_profile_sw_vers.json:165',
      ],
    );
  });

  test('the EggShell agent running from /private/tmp is a process start with that image path', async () => {
    const path = join(DATASET!, 'Execution/execution_eggshell_default_tmp_path_base64_c2.json');
    const events: RatEvent[] = [];
    for await (const b of readSource({ name: path, path }, { onProblem: () => {} }, newStats(path)))
      events.push(...b);
    const [egg] = ofKind(events, 'process');
    assert.equal(egg.proc.image, '/private/tmp/espl');
    assert.equal(egg.proc.pid, 948);
    assert.equal(egg.host, 'Sisis-MacBook-Pro.local');
    assert.equal(egg.user, 'root');
    assert.equal(egg.parent?.image, '/usr/bin/sudo');
    assert.match(egg.commandLine ?? '', /^\/private\/tmp\/espl eyJkZWJ1Zy/);
    assert.equal(egg.time, Date.parse('2021-01-10T11:56:19.958Z'));
  });
});
