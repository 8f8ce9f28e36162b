// The Windows readers on hand-written fixtures in the real formats (test/fixtures/windows):
// a Sysmon event-XML export (one <Event> per line, as Windows renders it) and a Winlogbeat 8
// NDJSON export (System 7045, Security 4624/4688, Sysmon 3/22). Each must give exactly the
// normalized events the records say, from files, <Events> documents, .gz, directories, globs
// and stdin.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { builtinCatalog } from '../../../src/catalog/index.ts';
import { configSchema } from '../../../src/config/schema.ts';
import { hunt } from '../../../src/hunt.ts';
import type { Problem } from '../../../src/ingest/reader.ts';
import type {
  DnsEvent,
  FileEvent,
  NetworkEvent,
  PersistenceEvent,
  ProcessEndEvent,
  ProcessStartEvent,
  RatEvent,
  RegistryEvent,
} from '../../../src/model/event.ts';
import type { Finding } from '../../../src/model/finding.ts';
import type { RunSummary } from '../../../src/model/run-summary.ts';
import { builtCli } from '../../support/cli.ts';
import { REPO_ROOT } from '../../support/data.ts';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'windows');
const SYSMON_XML = join(FIXTURES, 'sysmon-anydesk.xml');
const WINLOGBEAT = join(FIXTURES, 'winlogbeat-screenconnect.ndjson');

const PORTABLE = 'C:\\Users\\alice\\Downloads\\AnyDesk.exe';
const INSTALLED = 'C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe';
const G_PORTABLE = '{3f1b2a6c-8a20-6779-2b01-000000000e00}';
const G_INSTALLED = '{3f1b2a6c-8a36-6779-2e01-000000000e00}';
const G_CMD = '{3f1b2a6c-8b10-6779-3101-000000000e00}';
const SC_SERVICE =
  'C:\\Program Files (x86)\\ScreenConnect Client (4f1c9a2e7d3b6c08)\\ScreenConnect.ClientService.exe';

interface Read {
  events: RatEvent[];
  problems: Problem[];
  summary: RunSummary;
  findings: Finding[];
}

async function read(paths: string[]): Promise<Read> {
  const events: RatEvent[] = [];
  const problems: Problem[] = [];
  const { findings, summary } = await hunt({
    paths,
    config: configSchema.parse({}),
    catalog: builtinCatalog(),
    onEvent: (e) => events.push(e),
    onProblem: (p) => problems.push(p),
  });
  return { events, problems, summary, findings };
}

/** What an event says, without where it came from (for comparing two renderings of one log). */
function facts(e: RatEvent): unknown {
  const { src, ...rest } = e;
  return { ...rest, eventId: src.eventId, record: src.record };
}

const iso = (s: string) => Date.parse(s);

describe('Sysmon event XML, one <Event> per line', () => {
  let r: Read;
  before(async () => {
    r = await read([SYSMON_XML]);
  });

  test('reads every record: 15 events, the Sysmon 10 (process access) ignored, no problems', () => {
    assert.deepEqual(r.problems, []);
    const s = r.summary.inputs[0];
    assert.equal(s.format, 'event-xml');
    assert.equal(s.lines, 16);
    assert.equal(s.events, 15);
    assert.equal(s.ignored, 1);
    assert.deepEqual(
      r.events.map((e) => e.kind),
      [
        'process',
        'dns',
        'network',
        'file',
        'registry',
        'process',
        'process',
        'network',
        'network',
        'network',
        'network',
        'network',
        'process',
        'process',
        'process_end',
      ],
    );
    assert.ok(r.events.every((e) => e.host === 'WKS-ALICE.corp.example' && e.platform === 'windows'));
  });

  test('Sysmon 1: image, keys, parent, user, hashes, version metadata, time and evidence position', () => {
    const p = r.events[0] as ProcessStartEvent;
    assert.equal(p.time, iso('2026-01-05T10:00:00.118Z'));
    // The logon session, in the one spelling Security (0x00000000000b8e4c) and Sysmon share.
    assert.deepEqual(p.proc, {
      guid: G_PORTABLE,
      pid: 6412,
      image: PORTABLE,
      start: p.time,
      session: '0xb8e4c',
    });
    assert.equal(p.parent?.guid, '{3f1b2a6c-7d10-6779-1a00-000000000e00}');
    assert.equal(p.parent?.pid, 4120);
    assert.equal(p.parent?.image, 'C:\\Windows\\explorer.exe');
    assert.equal(p.commandLine, `"${PORTABLE}" `, 'XML entities decoded, text kept as recorded');
    assert.equal(p.user, 'CORP\\alice');
    assert.equal(p.integrity, 'Medium');
    assert.equal(p.cwd, 'C:\\Users\\alice\\Downloads\\');
    assert.equal(p.hashes?.sha256, '4a9e5c1b7d2f8e3a6c0b9d4e1f7a2c5b8e3d6f9a0c4b7e2d5f8a1c3b6e9d0f2a4c');
    assert.equal(p.hashes?.md5, '6a4d2c1b0e9f8a7b6c5d4e3f2a1b0c9d');
    assert.equal(p.meta?.originalFileName, 'AnyDesk.exe');
    assert.equal(p.meta?.product, 'AnyDesk');
    assert.equal(p.meta?.company, 'AnyDesk Software GmbH');
    assert.deepEqual(
      {
        file: p.src.file,
        format: p.src.format,
        line: p.src.line,
        record: p.src.record,
        eventId: p.src.eventId,
      },
      { file: SYSMON_XML, format: 'event-xml', line: 1, record: '48211', eventId: '1' },
    );
  });

  test('parent linkage: services.exe → installed AnyDesk → cmd.exe → whoami.exe, by ProcessGuid', () => {
    const procs = r.events.filter((e): e is ProcessStartEvent => e.kind === 'process');
    const installed = procs.find((p) => p.proc.image === INSTALLED)!;
    assert.equal(installed.proc.guid, G_INSTALLED);
    assert.equal(installed.parent?.image, 'C:\\Windows\\System32\\services.exe');
    assert.equal(installed.integrity, 'System');
    assert.equal(installed.hashes?.sha256, (procs[0] as ProcessStartEvent).hashes?.sha256, 'same binary');
    const cmd = procs.find((p) => p.proc.image.endsWith('cmd.exe'))!;
    assert.equal(cmd.parent?.guid, G_INSTALLED);
    assert.equal(cmd.parent?.pid, 7020);
    assert.equal(cmd.parent?.commandLine, `"${INSTALLED}" --service`);
    const whoami = procs.find((p) => p.proc.image.endsWith('whoami.exe'))!;
    assert.equal(whoami.parent?.guid, G_CMD);
    assert.equal(whoami.time, iso('2026-01-05T10:04:05.880Z'));
  });

  test('Sysmon 3, 22, 11, 13, 5 map to network, dns, file, registry, process_end', () => {
    const n = r.events[2] as NetworkEvent;
    assert.equal(n.direction, 'outbound');
    assert.equal(n.protocol, 'tcp');
    assert.equal(n.srcIp, '10.20.30.41');
    assert.equal(n.srcPort, 51544);
    assert.equal(n.dstIp, '203.0.113.50');
    assert.equal(n.dstPort, 443);
    assert.equal(n.dstName, undefined, '"-" means no name');
    assert.equal(n.proc?.guid, G_PORTABLE);
    const d = r.events[1] as DnsEvent;
    assert.equal(d.query, 'relay-9b1c4e7a.net.anydesk.com');
    assert.deepEqual(d.answers, ['203.0.113.50'], 'IPv4-mapped answer unwrapped');
    const f = r.events[3] as FileEvent;
    assert.equal(f.op, 'create');
    assert.equal(f.path, INSTALLED);
    assert.equal(f.proc?.guid, G_PORTABLE);
    const k = r.events[4] as RegistryEvent;
    assert.equal(k.op, 'set');
    assert.equal(k.key, 'HKLM\\System\\CurrentControlSet\\Services\\AnyDesk\\ImagePath');
    assert.equal(k.data, `"${INSTALLED}" --service`);
    assert.equal(k.proc?.image, 'C:\\Windows\\system32\\services.exe');
    const end = r.events[14] as ProcessEndEvent;
    assert.equal(end.proc.guid, G_PORTABLE);
    assert.equal(end.time, iso('2026-01-05T10:09:58.015Z'));
    const conns = r.events.filter((e): e is NetworkEvent => e.kind === 'network');
    assert.deepEqual(
      conns.map((c) => c.src.line),
      [4, 9, 10, 11, 12, 13],
      'each event points at its own line',
    );
  });

  test('the fixture tells the whole chain: one 4-step AnyDesk finding', () => {
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0].stepCount, 4);
    assert.equal(r.findings[0].agent.tool?.name, 'AnyDesk');
  });
});

describe('Winlogbeat 8 NDJSON (System, Security and Sysmon channels)', () => {
  let r: Read;
  before(async () => {
    r = await read([WINLOGBEAT]);
  });

  test('reads every document: 9 events, the 4624 logon ignored, no problems', () => {
    assert.deepEqual(r.problems, []);
    const s = r.summary.inputs[0];
    assert.equal(s.format, 'windows-json');
    assert.equal(s.events, 9);
    assert.equal(s.ignored, 1);
    assert.deepEqual(s.byKind, { persistence: 1, process: 2, dns: 1, network: 5 });
    assert.ok(r.events.every((e) => e.src.format === 'winlogbeat'));
    assert.ok(
      r.events.every((e) => e.host === 'WKS-BOB.corp.example'),
      'winlog.computer_name is the host',
    );
  });

  test('System 7045 is a service persistence entry with its command as registered', () => {
    const p = r.events[0] as PersistenceEvent;
    assert.equal(p.kind, 'persistence');
    assert.equal(p.mechanism, 'service');
    assert.equal(p.name, 'ScreenConnect Client (4f1c9a2e7d3b6c08)');
    assert.ok(p.command?.startsWith(`"${SC_SERVICE}" "?e=Access&y=Guest`), p.command);
    assert.equal(p.startType, 'auto start');
    assert.equal(p.account, 'LocalSystem');
    assert.equal(p.time, iso('2026-01-05T11:00:00.512Z'));
    assert.equal(p.src.record, '88120');
    assert.equal(p.src.eventId, '7045');
    assert.equal(p.src.line, 1);
  });

  test('Security 4688: hex pids decoded, parent by pid and name, integrity from the label SID', () => {
    const procs = r.events.filter((e): e is ProcessStartEvent => e.kind === 'process');
    const [svc, cmd] = procs;
    assert.equal(svc.proc.image, SC_SERVICE);
    assert.equal(svc.proc.pid, 0x1b30);
    assert.equal(svc.parent?.pid, 0x2c4);
    assert.equal(svc.parent?.image, 'C:\\Windows\\System32\\services.exe');
    assert.equal(svc.integrity, 'System');
    assert.equal(svc.user, 'CORP\\WKS-BOB$', 'no target user: the subject is the account');
    assert.equal(cmd.proc.image, 'C:\\Windows\\System32\\cmd.exe');
    assert.equal(cmd.parent?.pid, svc.proc.pid, 'the shell is the agent service’s child');
    assert.equal(cmd.parent?.image, SC_SERVICE);
    assert.equal(cmd.commandLine, 'cmd.exe /c "net user /domain"');
    assert.equal(cmd.time, iso('2026-01-05T11:03:04.660Z'));
    assert.equal(cmd.src.line, 10);
  });

  test('Sysmon 3 and 22 inside Winlogbeat: the same process by guid and pid', () => {
    const nets = r.events.filter((e): e is NetworkEvent => e.kind === 'network');
    assert.equal(nets.length, 5);
    for (const n of nets) {
      assert.equal(n.proc?.pid, 6960);
      assert.equal(n.proc?.image, SC_SERVICE);
      assert.equal(n.dstIp, '198.51.100.44');
      assert.equal(n.dstPort, 8041);
      assert.equal(n.direction, 'outbound');
    }
    assert.deepEqual(
      nets.map((n) => n.time),
      ['11:00:02.300', '11:00:22.301', '11:00:42.302', '11:01:02.303', '11:01:22.304'].map((t) =>
        iso(`2026-01-05T${t}Z`),
      ),
    );
    const d = r.events.find((e): e is DnsEvent => e.kind === 'dns')!;
    assert.deepEqual(d.answers, ['198.51.100.44'], 'CNAME entries dropped, address kept');
  });

  test('the 4688 start (pid only) and the Sysmon 3 records (guid + pid) meet in one 4-step finding', () => {
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0].stepCount, 4);
    assert.equal(r.findings[0].agent.tool?.id, 'screenconnect');
  });
});

describe('input shapes: <Events> documents, .gz, directories, globs, stdin', () => {
  let dir: string;
  let xml: Read;
  let wlb: Read;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ratchain-readers-'));
    xml = await read([SYSMON_XML]);
    wlb = await read([WINLOGBEAT]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('an <Events> document with each event spread over many lines reads the same events', async () => {
    const events = readFileSync(SYSMON_XML, 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.startsWith('<Event '))
      .map((l) => l.replace(/></g, '>\n  <'));
    const doc = join(dir, 'export.xml');
    writeFileSync(doc, `<?xml version="1.0" encoding="utf-8"?>\n<Events>\n${events.join('\n')}\n</Events>\n`);
    const r = await read([doc]);
    assert.deepEqual(r.problems, []);
    assert.equal(r.summary.inputs[0].format, 'event-xml');
    assert.deepEqual(r.events.map(facts), xml.events.map(facts));
    assert.equal(r.events[0].src.line, 3, 'an event spanning lines points at the line it starts on');
    assert.ok(r.summary.inputs[0].lines > 100);
  });

  test('a .gz copy reads the same as the plain file', async () => {
    const gz = join(dir, 'winlogbeat.ndjson.gz');
    writeFileSync(gz, gzipSync(readFileSync(WINLOGBEAT)));
    const r = await read([gz]);
    assert.deepEqual(r.problems, []);
    assert.equal(r.summary.inputs[0].format, 'windows-json');
    assert.deepEqual(r.events.map(facts), wlb.events.map(facts));
    assert.ok(
      r.events.every((e) => e.src.file === gz),
      'evidence names the .gz as given',
    );
    const xgz = join(dir, 'sysmon.xml.gz');
    writeFileSync(xgz, gzipSync(readFileSync(SYSMON_XML)));
    assert.deepEqual((await read([xgz])).events.map(facts), xml.events.map(facts));
  });

  test('a directory is read recursively, skipping notes; a glob picks what it matches', async () => {
    const root = join(dir, 'logs');
    mkdirSync(join(root, 'wks-bob', 'winlogbeat'), { recursive: true });
    copyFileSync(SYSMON_XML, join(root, 'sysmon.xml'));
    copyFileSync(WINLOGBEAT, join(root, 'wks-bob', 'winlogbeat', 'wlb-1.ndjson'));
    writeFileSync(join(root, 'README.md'), '# notes, not telemetry\n');
    const d = await read([root]);
    assert.deepEqual(d.problems, []);
    assert.equal(d.summary.inputs.length, 2, d.summary.inputs.map((i) => i.input).join(', '));
    assert.equal(d.summary.events, 15 + 9);
    assert.equal(d.findings.length, 2, 'both chains found');
    const hosts = d.findings.map((f) => f.host).sort();
    assert.deepEqual(hosts, ['WKS-ALICE.corp.example', 'WKS-BOB.corp.example']);

    const g = await read([`${root}/**/*.ndjson`]);
    assert.deepEqual(
      g.summary.inputs.map((i) => i.input),
      [join(root, 'wks-bob', 'winlogbeat', 'wlb-1.ndjson')],
    );
    assert.equal(g.summary.events, 9);
    const g2 = await read([`${root}/*.xml`]);
    assert.equal(g2.summary.inputs.length, 1);
    assert.equal(g2.summary.events, 15);
    const none = await read([`${root}/*.evtx`]);
    assert.equal(none.summary.inputs.length, 0);
    assert.match(none.summary.inputProblems[0]?.message ?? '', /matches no file/);
  });

  test('stdin: `ratchain hunt - --json` reads piped event XML and prints the finding as NDJSON', () => {
    const r = spawnSync(process.execPath, [builtCli(), 'hunt', '-', '--json'], {
      input: readFileSync(SYSMON_XML),
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 0, `exit ${r.status} ${r.signal ?? ''} ${r.error?.message ?? ''}: ${r.stderr}`);
    const lines = r.stdout.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, r.stdout);
    const f = JSON.parse(lines[0]) as Finding;
    assert.equal(f.host, 'WKS-ALICE.corp.example');
    assert.equal(f.stepCount, 4);
    assert.equal(f.steps[0].evidence[0]?.src.file, '-', 'evidence from stdin is named "-"');
  });
});
