// Linux (AN1367) end to end: the hand-written auditd fixtures of four hosts and a Zeek conn.log
// of the same hosts and times, through the offline hunt; a Sysmon-for-Linux host with a Zeek
// NDJSON flow; then the real Log4Shell records.
//
// web01  an agent run from /tmp writes a systemd unit (create + rename), runs systemctl, is
//        started again by PID 1, keeps a relay session (Zeek: 3600 s) and spawns bash -i.
// dev02  a tunnel client in ~/.local/bin with a user unit, reconnecting, no shell (enriched log).
// db03   a monitoring daemon started by PID 1, long session to an internal collector, runs sh -c.
// app04  pid 5000 is a dropper from /tmp that exits; pid 5000 is later an unrelated worker.
// lab05  an agent in /dev/shm writes /etc/cron.d/kworkerd and beacons to one address.
//
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { hunt } from '../../src/hunt.ts';
import type { Problem } from '../../src/ingest/reader.ts';
import type { Finding, StepId } from '../../src/model/finding.ts';
import { needsData, REPO_ROOT, sharedData } from '../support/data.ts';

const LINUX = join(REPO_ROOT, 'test/fixtures/linux');
const CONN = join(REPO_ROOT, 'test/fixtures/network/linux-hosts.conn.log');
const HOSTS = { '10.0.0.5': 'web01', '10.0.0.6': 'dev02', '10.0.0.7': 'db03', '10.0.0.8': 'app04' };

async function huntLinux(paths: string[], config: Record<string, unknown> = {}) {
  const problems: Problem[] = [];
  const { findings, summary } = await hunt({
    paths,
    config: configSchema.parse({ HostAliases: HOSTS, ...config }),
    catalog: builtinCatalog(),
    onProblem: (p) => problems.push(p),
  });
  return { findings, summary, problems };
}

const fixture = (name: string) => join(LINUX, name);
const seen = (f: Finding): StepId[] => f.steps.filter((s) => s.seen).map((s) => s.step);
const step = (f: Finding, id: StepId) => f.steps.find((s) => s.step === id)!;
const summaries = (f: Finding, id: StepId) => step(f, id).evidence.map((e) => e.summary);
const codes = (f: Finding) => f.reasons.map((r) => r.code);
const reported = (fs: Finding[]) => fs.filter((f) => f.status !== 'suppressed');

describe('Linux chains from auditd fixtures and a Zeek conn.log', () => {
  test('agent from /tmp with a systemd unit, PID 1 start and bash -i: one full 4-step chain', async () => {
    const { findings, problems, summary } = await huntLinux([fixture('relay-agent.audit.log'), CONN]);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      summary.inputs.map((i) => i.format),
      ['auditd', 'zeek'],
    );
    const web = findings.filter((f) => f.host === 'web01');
    assert.equal(web.length, 1, findings.map((f) => f.title).join('\n'));
    const [f] = web;
    assert.equal(f.status, 'alert');
    assert.equal(f.analytic, 'AN1367');
    assert.equal(f.platform, 'linux');
    assert.deepEqual(seen(f), ['execution', 'persistence', 'egress', 'control']);
    assert.deepEqual(f.agent.images, ['/tmp/.x/relayd']);
    // S2 from the unit renamed into /etc/systemd/system (and systemctl enable)
    assert.ok(summaries(f, 'persistence').some((s) => s.includes('relayd.service')));
    assert.ok(step(f, 'persistence').evidence.every((e) => e.src.format === 'auditd'));
    // S3: the connect to the relay (IPv4 and IPv6), from the copy PID 1 started
    assert.deepEqual(f.egress.map((d) => `${d.ip}:${d.port}`).sort(), [
      '2001:db8::50:443',
      '203.0.113.50:443',
    ]);
    // S4: bash -i spawned by the agent, flagged as suspicious
    assert.ok(summaries(f, 'control').some((s) => s.includes('bash -i')));
    assert.ok(codes(f).includes('temp_path'));
    assert.ok(codes(f).includes('suspicious_child'));
    // evidence points at the audit serials
    const records = f.steps.flatMap((s) => s.evidence.map((e) => e.src.record));
    assert.ok(records.includes('1015'), records.join(','));
  });

  test('the Zeek flow joins the auditd connect: egress shows the 3600 s relay session', async () => {
    const { findings } = await huntLinux([fixture('relay-agent.audit.log'), CONN]);
    const f = findings.find((x) => x.host === 'web01')!;
    const relay = f.egress.find((d) => d.ip === '203.0.113.50')!;
    assert.ok(relay.durationSec !== undefined && relay.durationSec > 3600);
    assert.equal(relay.bytesOut, 48000000);
  });

  test('tunnel client with a user unit, reconnecting, no shell: a partial 3-step chain', async () => {
    const { findings, problems } = await huntLinux([fixture('tunnel-user-unit.audit.log'), CONN]);
    assert.deepEqual(problems, []);
    const dev = reported(findings).filter((f) => f.host === 'dev02');
    assert.equal(dev.length, 1, findings.map((f) => f.title).join('\n'));
    const [f] = dev;
    assert.equal(f.status, 'alert');
    assert.deepEqual(seen(f), ['execution', 'persistence', 'egress']);
    assert.deepEqual(f.missing, ['control']);
    assert.equal(f.user, 'alice');
    assert.ok(summaries(f, 'persistence').some((s) => s.includes('cloudflared.service')));
    const d = f.egress.find((x) => x.ip === '198.51.100.7')!;
    assert.equal(d.port, 7844);
    assert.ok(d.connections >= 5);
  });

  test('agent in /dev/shm with an /etc/cron.d entry and beaconing: cron persistence (the weaker kind)', async () => {
    const { findings, problems } = await huntLinux([fixture('cron-beacon.audit.log')]);
    assert.deepEqual(problems, []);
    assert.equal(findings.length, 1, findings.map((f) => f.title).join('\n'));
    const [f] = findings;
    assert.equal(f.host, 'lab05');
    assert.deepEqual(seen(f), ['execution', 'persistence', 'egress']);
    // the file name was relative to the process's working directory, /etc/cron.d
    assert.ok(
      summaries(f, 'persistence').some((x) => x.includes('cron') && x.includes('/etc/cron.d/kworkerd')),
    );
    assert.equal(f.egress[0].connections, 5);
    assert.ok(codes(f).includes('temp_path'));
  });

  test('allowlisted monitoring daemon with a long internal session: no finding', async () => {
    // Defaults: the collector is internal, the daemon has no persistence or egress step.
    const plain = await huntLinux([fixture('monitor-daemon.audit.log'), CONN]);
    assert.deepEqual(plain.problems, []);
    assert.deepEqual(
      reported(plain.findings).filter((f) => f.host === 'db03'),
      [],
    );
    // Even when two steps are shown, the DaemonAllowlist entry suppresses it ...
    const allow = {
      MinSteps: 2,
      DaemonAllowlist: [{ image: '/zabbix_agentd$', paths: ['^/usr/sbin$'], note: 'monitoring' }],
    };
    const allowed = await huntLinux([fixture('monitor-daemon.audit.log'), CONN], allow);
    assert.deepEqual(
      reported(allowed.findings).filter((f) => f.host === 'db03'),
      [],
    );
    // ... and it is the allowlist that does it: without it the same two steps are a signal.
    const bare = await huntLinux([fixture('monitor-daemon.audit.log'), CONN], { MinSteps: 2 });
    assert.deepEqual(
      reported(bare.findings).map((f) => [f.host, f.status]),
      [['db03', 'signal']],
    );
  });

  test('PID reuse: the worker that got the dropper pid does not lend it its shell', async () => {
    const { findings, problems } = await huntLinux([fixture('pid-reuse.audit.log'), CONN], { MinSteps: 2 });
    assert.deepEqual(problems, []);
    const dropper = findings.find((f) => f.agent.images.includes('/tmp/updater'))!;
    assert.ok(dropper, findings.map((f) => f.title).join('\n'));
    assert.equal(step(dropper, 'control').seen, false);
    assert.ok(!dropper.agent.images.includes('/usr/bin/python3.11'));
    for (const f of findings)
      if (summaries(f, 'control').some((s) => s.includes('ls /opt/app')))
        assert.ok(!f.agent.images.includes('/tmp/updater'), f.title);
    // and at the default threshold nothing on app04 is reported at all
    const defaults = await huntLinux([fixture('pid-reuse.audit.log'), CONN]);
    assert.deepEqual(
      reported(defaults.findings).filter((f) => f.host === 'app04'),
      [],
    );
  });

  test('a fork that kept its parent image is neither a new start nor a spawned child', async () => {
    const { findings } = await huntLinux([fixture('pid-reuse.audit.log'), fixture('relay-agent.audit.log')], {
      MinSteps: 2,
    });
    for (const f of findings) {
      assert.ok(!summaries(f, 'control').some((s) => /python3\.11 spawned python3\.11/.test(s)), f.title);
      assert.ok(!summaries(f, 'execution').some((s) => /relayd started \(parent relayd\)/.test(s)), f.title);
    }
  });

  test('all four hosts together: exactly the web01 and dev02 chains', async () => {
    const all = ['relay-agent', 'tunnel-user-unit', 'monitor-daemon', 'pid-reuse'].map((n) =>
      fixture(`${n}.audit.log`),
    );
    const { findings, problems, summary } = await huntLinux([...all, CONN]);
    assert.deepEqual(problems, []);
    assert.equal(summary.inputs.length, 5);
    assert.deepEqual(
      reported(findings)
        .map((f) => [f.host, f.stepCount])
        .sort(),
      [
        ['dev02', 3],
        ['web01', 4],
      ],
    );
  });
});

describe('Sysmon for Linux with a Zeek NDJSON flow', () => {
  test('the agent chain from syslog lines; the flow joins by source port and gives the session length', async () => {
    const { findings, problems, summary } = await huntLinux([
      fixture('sysmon-linux.syslog'),
      join(REPO_ROOT, 'test/fixtures/network/web05.conn.ndjson'),
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      summary.inputs.map((i) => [i.format, i.events, i.ignored]),
      [
        ['sysmon-linux', 6, 1],
        ['zeek', 2, 0],
      ],
    );
    assert.equal(findings.length, 1, findings.map((f) => f.title).join('\n'));
    const [f] = findings;
    assert.equal(f.host, 'web05');
    assert.equal(f.analytic, 'AN1367');
    assert.deepEqual(seen(f), ['execution', 'persistence', 'egress', 'control']);
    assert.deepEqual(
      f.egress.map((d) => [
        d.ip,
        d.port,
        d.name,
        d.connections,
        d.durationSec,
        d.bytesOut,
        d.bytesIn,
        !!d.hostLevel,
      ]),
      [['203.0.113.50', 443, 'relay.example.net', 1, 1800.25, 31000000, 420000, false]],
    );
    assert.equal(summary.engine.flowsJoined, 1);
    assert.ok(codes(f).includes('client_heavy'));
  });
});

const LOG4SHELL = 'otrf-security-datasets/compound/Log4Shell';

describe('Log4Shell (real AUOMS syslog JSON and VMConnection records)', () => {
  const dir = sharedData(LOG4SHELL);
  const config = {
    MinSteps: 2,
    // The lab's "internet" is 192.168.2.6.
    InternalNetworks: ['10.0.0.0/8', '172.16.0.0/12', '!192.168.2.6/32', '192.168.0.0/16', '127.0.0.0/8'],
  };

  test('reads both files without problems', needsData(dir), async () => {
    const { problems, summary } = await huntLinux([dir!], config);
    assert.deepEqual(problems, []);
    assert.deepEqual(summary.inputs.map((i) => i.format).sort(), ['linux-syslog-json', 'vmconnection']);
    assert.equal(summary.events, 35);
  });

  test(
    'tomcat java spawning bash -i with a live session to 192.168.2.6:443 is at least a signal',
    needsData(dir),
    async () => {
      const { findings } = await huntLinux([dir!], config);
      const f = reported(findings).find((x) => x.host.toLowerCase() === 'ubuntu5');
      assert.ok(f, 'a finding on UBUNTU5');
      assert.ok(seen(f).includes('control'));
      assert.ok(f.egress.some((d) => d.ip === '192.168.2.6' && d.port === 443));
    },
  );
});
