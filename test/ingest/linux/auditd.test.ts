import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { auditd } from '../../../src/ingest/linux/auditd.ts';
import type {
  FileEvent,
  LoginEvent,
  NetworkEvent,
  ProcessStartEvent,
  RatEvent,
  ServiceEvent,
} from '../../../src/model/event.ts';
import { needsData, REPO_ROOT, sharedData } from '../../support/data.ts';
import { decodeFile, decodeText } from './decode.ts';

const FIX = join(REPO_ROOT, 'test/fixtures/linux');
const fixture = (name: string) => readFileSync(join(FIX, name), 'utf8');
const procs = (evs: RatEvent[]) => evs.filter((e): e is ProcessStartEvent => e.kind === 'process');
const execs = (evs: RatEvent[]) => procs(evs).filter((e) => !e.forkOnly);

test('sniffs raw audit.log, and not JSON or XML', () => {
  const raw = fixture('relay-agent.audit.log');
  assert.equal(auditd.sniff(Buffer.from(raw), raw), 0.95);
  assert.equal(auditd.sniff(Buffer.from('{"a":1}'), '{"a":1}'), 0);
  assert.equal(auditd.sniff(Buffer.from('<Event>'), '<Event>'), 0);
});

test('relay agent from /tmp: exec, unit file written and renamed, systemctl, PID 1 start, connect, bash -i', () => {
  const { events, problems } = decodeText(auditd, fixture('relay-agent.audit.log'), 'relay.log');
  assert.deepEqual(problems, []);

  const agent = execs(events).find((e) => e.proc.pid === 2101)!;
  assert.equal(agent.host, 'web01');
  assert.equal(agent.platform, 'linux');
  assert.equal(agent.proc.image, '/tmp/.x/relayd');
  // a2 was hex-encoded because it has spaces; it comes back quoted in the command line
  assert.equal(agent.commandLine, '/tmp/.x/relayd --server "relay.example.net:443 --quiet"');
  assert.equal(agent.cwd, '/tmp/.x');
  assert.equal(agent.user, '1001'); // the login uid, not the sudo'd uid 0
  assert.equal(agent.integrity, 'root');
  assert.deepEqual(agent.parent, { pid: 2000, image: '/usr/bin/bash', commandLine: '-bash' });
  assert.deepEqual(agent.src, {
    file: 'relay.log',
    format: 'auditd',
    line: 11,
    record: '1003',
    eventId: 'EXECVE',
  });
  assert.equal(agent.time, 1700000005002);

  const files = events.filter((e): e is FileEvent => e.kind === 'file');
  assert.deepEqual(
    files.map((f) => [f.op, f.path, f.target ?? '', f.proc?.pid]),
    [
      ['create', '/etc/systemd/system/.relayd.service.tmp', '', 2101],
      ['rename', '/etc/systemd/system/.relayd.service.tmp', '/etc/systemd/system/relayd.service', 2101],
    ],
  );

  const systemctl = execs(events).find((e) => e.proc.image === '/usr/bin/systemctl')!;
  assert.equal(systemctl.commandLine, 'systemctl enable --now relayd.service');
  assert.equal(systemctl.parent?.image, '/tmp/.x/relayd');

  // systemd forks (the fork keeps its image), then the fork execs the agent
  const daemon = execs(events).find((e) => e.proc.pid === 2110)!;
  assert.deepEqual(daemon.parent, { pid: 1, image: '/usr/lib/systemd/systemd' });
  const fork = procs(events).find((e) => e.forkOnly && e.proc.pid === 2110)!;
  assert.equal(fork.proc.image, '/usr/lib/systemd/systemd');

  const nets = events.filter((e): e is NetworkEvent => e.kind === 'network');
  assert.deepEqual(
    nets.map((n) => [n.dstIp, n.dstPort, n.direction, n.proc?.pid, n.proc?.image, n.srcIp]),
    [
      ['203.0.113.50', 443, 'outbound', 2110, '/tmp/.x/relayd', ''],
      ['2001:db8::50', 443, 'outbound', 2110, '/tmp/.x/relayd', ''],
    ],
  );

  const shell = execs(events).find((e) => e.commandLine === 'bash -i')!;
  assert.deepEqual(shell.parent, {
    pid: 2110,
    image: '/tmp/.x/relayd',
    commandLine: '/tmp/.x/relayd --daemon',
  });
  const whoami = execs(events).find((e) => e.proc.image === '/usr/bin/whoami')!;
  assert.equal(whoami.parent?.pid, 2120);
  assert.equal(whoami.parent?.image, '/usr/bin/bash');
});

test('AF_UNIX connects are ignored; SERVICE_START and USER_LOGIN become service and login events', () => {
  const { events, ignored } = decodeText(auditd, fixture('relay-agent.audit.log'));
  assert.equal(ignored, 1);
  assert.ok(!events.some((e) => e.kind === 'network' && e.dstIp.startsWith('/')));
  const service = events.find((e): e is ServiceEvent => e.kind === 'service')!;
  assert.deepEqual(
    [service.action, service.name, service.scope, service.manager?.pid, service.src.record],
    ['started', 'relayd.service', 'system', 1, '1008'],
  );
  const login = events.find((e): e is LoginEvent => e.kind === 'login')!;
  assert.deepEqual(
    [login.user, login.srcIp, login.service, login.session, login.proc?.pid],
    ['1001', '198.51.100.23', 'sshd', '3', 1990],
  );
  // Every process of that login carries its audit session.
  const bash = execs(events).find((e) => e.proc.pid === 2000)!;
  assert.equal(bash.proc.session, '3');
});

test('a SERVICE_START comes out in its place, not after the syscall events written after it', () => {
  // A user-space record has no EOE; held open, it came out only after 64 more such records, which
  // on this log is never: behind 200 connects, an hour and a half late.
  const lines = [
    `type=SERVICE_START msg=audit(1700000000.000:1000): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='unit=relayd comm="systemd" exe="/usr/lib/systemd/systemd" hostname=? addr=? terminal=? res=success'`,
  ];
  for (let i = 1; i <= 200; i++) {
    const stamp = `msg=audit(${1700000000 + 30 * i}.000:${1000 + i}):`;
    lines.push(
      `type=SYSCALL ${stamp} arch=c000003e syscall=42 success=yes exit=0 a0=3 a1=7ffd a2=10 a3=0 items=0 ppid=1 pid=2101 auid=1001 uid=0 euid=0 ses=3 exe="/tmp/.x/relayd"`,
      `type=SOCKADDR ${stamp} saddr=020001BBCB00710A0000000000000000`,
      `type=EOE ${stamp}`,
    );
  }
  const { events, problems } = decodeText(auditd, `${lines.join('\n')}\n`);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    events.slice(0, 2).map((e) => [e.kind, e.src.record]),
    [
      ['service', '1000'],
      ['network', '1001'],
    ],
  );
  assert.ok(events.every((e, i) => i === 0 || e.time >= events[i - 1].time));
});

test('enriched format: user names from AUID=, relative unit path joined with CWD', () => {
  const { events, problems } = decodeText(auditd, fixture('tunnel-user-unit.audit.log'));
  assert.deepEqual(problems, []);
  const tunnel = execs(events)[0];
  assert.equal(tunnel.user, 'alice');
  assert.equal(tunnel.integrity, 'user');
  const unit = events.find((e): e is FileEvent => e.kind === 'file')!;
  assert.equal(unit.path, '/home/alice/.config/systemd/user/cloudflared.service');
  assert.equal(events.filter((e) => e.kind === 'network').length, 6);
});

test('PID reuse: the second process on a pid is its own parent image for its children', () => {
  const { events } = decodeText(auditd, fixture('pid-reuse.audit.log'));
  const sh = execs(events).find((e) => e.proc.image === '/usr/bin/dash')!;
  assert.deepEqual(sh.parent, {
    pid: 5000,
    image: '/usr/bin/python3.11',
    commandLine: '/usr/bin/python3 /opt/app/worker.py',
  });
  const dropper = execs(events).find((e) => e.proc.image === '/tmp/updater')!;
  assert.ok(sh.proc.start! - dropper.proc.start! > 60_000);
});

const SYS = (serial: number, rest: string, t = '1700000000.000') =>
  `type=SYSCALL msg=audit(${t}:${serial}): arch=c000003e syscall=59 success=yes exit=0 ${rest} ppid=10 pid=11 auid=0 uid=0 euid=0 comm="x" exe="/usr/bin/x" key=(null)`;

test('a long argument split across a1[0], a1[1] is joined and checked against a1_len', () => {
  const text = [
    SYS(7, 'items=0'),
    'type=EXECVE msg=audit(1700000000.000:7): argc=2 a0="x" a1_len=10 a1[0]=3031323334 a1[1]="56789"',
    'type=EOE msg=audit(1700000000.000:7): ',
    SYS(8, 'items=0'),
    'type=EXECVE msg=audit(1700000000.000:8): argc=2 a0="x" a1_len=10 a1[0]=3031323334',
    'type=EOE msg=audit(1700000000.000:8): ',
  ].join('\n');
  const { events, problems } = decodeText(auditd, text);
  assert.equal(execs(events).length, 1);
  assert.equal(execs(events)[0].commandLine, 'x 0123456789');
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /a1_len=10 but its parts hold 5 bytes/);
  assert.equal(problems[0].line, 4);
});

test('interleaved events are grouped by serial', () => {
  const text = [
    SYS(20, 'items=0'),
    SYS(21, 'items=0').replace('pid=11', 'pid=12').replace('/usr/bin/x', '/usr/bin/y'),
    'type=EXECVE msg=audit(1700000000.000:21): argc=1 a0="y"',
    'type=EXECVE msg=audit(1700000000.000:20): argc=1 a0="x"',
  ].join('\n');
  const { events, problems } = decodeText(auditd, text);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    execs(events).map((e) => [e.proc.pid, e.proc.image, e.commandLine]),
    [
      [11, '/usr/bin/x', 'x'],
      [12, '/usr/bin/y', 'y'],
    ],
  );
});

test('malformed records are reported with their line and skipped; the rest still reads', () => {
  const text = [
    // the head of this event was in the previous file
    'type=EXECVE msg=audit(1700000000.000:30): argc=1 a0="orphan"',
    'type=PATH msg=audit(1700000000.000:30): item=0 name="/usr/bin/orphan" nametype=NORMAL',
    // a missing serial
    'type=SYSCALL msg=audit(1700000000.000): syscall=59 pid=1',
    // odd hex in an argument
    SYS(31, 'items=0'),
    'type=EXECVE msg=audit(1700000000.000:31): argc=1 a0=2F746D7',
    // a good one
    SYS(32, 'items=0'),
    'type=EXECVE msg=audit(1700000000.000:32): argc=1 a0="good"',
    'type=EOE msg=audit(1700000000.000:32): ',
    // truncated at the end of the file: SYSCALL promises two PATH records, one arrived
    SYS(33, 'items=2'),
    'type=EXECVE msg=audit(1700000000.000:33): argc=1 a0="cut"',
    'type=PATH msg=audit(1700000000.000:33): item=0 name="/usr/bin/x" nametype=NORMAL',
  ].join('\n');
  const { events, problems } = decodeText(auditd, text);
  assert.deepEqual(
    execs(events).map((e) => e.commandLine),
    ['good'],
  );
  const byLine = problems.map((p) => [p.line, p.message]);
  assert.equal(problems.length, 4, JSON.stringify(byLine));
  assert.ok(byLine.some(([l, m]) => l === 1 && /no SYSCALL record/.test(String(m))));
  assert.ok(byLine.some(([l, m]) => l === 3 && /no serial/.test(String(m))));
  assert.ok(byLine.some(([l, m]) => l === 4 && /odd-length hex/.test(String(m))));
  assert.ok(byLine.some(([l, m]) => l === 9 && /input ends inside an event.*items=2/.test(String(m))));
});

test('audit records forwarded through syslog: host from the header, other programs ignored', () => {
  const text = [
    'Nov 14 22:13:25 web07 audispd: type=SYSCALL msg=audit(1700000005.002:50): arch=c000003e syscall=59 success=yes exit=0 items=0 ppid=1 pid=77 auid=0 uid=0 euid=0 comm="rd" exe="/opt/rd/rd" key=(null)',
    'Nov 14 22:13:25 web07 audispd: type=EXECVE msg=audit(1700000005.002:50): argc=1 a0="rd"',
    'Nov 14 22:13:26 web07 sshd[881]: Accepted publickey for alice',
    '<14>1 2023-11-14T22:13:27Z web08 audisp-syslog - - - node=web09 type=SYSCALL msg=audit(1700000007.000:51): arch=c000003e syscall=59 success=yes exit=0 items=0 ppid=1 pid=78 auid=0 uid=0 euid=0 comm="rd" exe="/opt/rd/rd" key=(null)',
  ].join('\n');
  assert.equal(auditd.sniff(Buffer.from(text), text), 0.85);
  const { events, problems, ignored } = decodeText(auditd, text);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    execs(events).map((e) => [e.host, e.proc.pid, e.commandLine]),
    [
      ['web07', 77, 'rd'],
      ['web09', 78, undefined], // node= wins over the syslog host
    ],
  );
  assert.equal(ignored, 1);
});

test('fork without exec: clone records give the child the parent image; threads are not processes', () => {
  const clone = (serial: number, a0: string, child: number) =>
    `type=SYSCALL msg=audit(1700000000.000:${serial}): arch=c000003e syscall=56 success=yes exit=${child} a0=${a0} items=0 ppid=1 pid=40 auid=0 uid=0 euid=0 comm="d" exe="/usr/sbin/d" key=(null)`;
  const { events, ignored } = decodeText(
    auditd,
    [clone(60, '1200011', 41), clone(61, '3d0f00', 42)].join('\n'),
  );
  assert.equal(events.length, 1);
  const e = events[0] as ProcessStartEvent;
  assert.equal(e.forkOnly, true);
  assert.deepEqual(e.proc, { pid: 41, image: '/usr/sbin/d', start: 1700000000000, user: '0' });
  assert.deepEqual(e.parent, { pid: 40, image: '/usr/sbin/d' });
  assert.equal(ignored, 1);
});

test('hostile input: cut last line, binary garbage, a 10 MB line, odd hex saddr — reported, never thrown', {
  timeout: 120_000,
}, () => {
  const good = fixture('relay-agent.audit.log');
  const cut = good.slice(0, good.length - 40);
  const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
  const huge = `type=EXECVE msg=audit(1700000000.000:99): argc=1 a0="${'A'.repeat(10 * 1024 * 1024)}`;
  const oddSaddr = [
    `type=SYSCALL msg=audit(1700000000.000:98): arch=c000003e syscall=42 success=yes exit=0 a0=3 items=0 ppid=1 pid=9 auid=0 uid=0 euid=0 comm="c" exe="/c" key=(null)`,
    'type=SOCKADDR msg=audit(1700000000.000:98): saddr=02000050A9FEA9F',
  ].join('\n');
  for (const text of [cut, garbage, huge, oddSaddr, `${good}\n${garbage}\n${huge}`]) {
    const r = decodeText(auditd, text);
    assert.ok(r.problems.length > 0);
    for (const p of r.problems) assert.ok(p.line !== undefined && p.line > 0);
  }
  // the cut file still yields everything before the cut
  assert.ok(decodeText(auditd, cut).events.length >= 14);
});

test(
  'the go-libaudit sample (one of each record type) reads without throwing',
  needsData(sharedData('elastic-go-libaudit/auparse/testdata/audit-rhel7.log')),
  async () => {
    const path = sharedData('elastic-go-libaudit/auparse/testdata/audit-rhel7.log')!;
    const r = await decodeFile(path);
    assert.equal(r.stats.format, 'auditd');
    // The sample holds single records torn out of their events: each orphan is named, none is read as an event.
    assert.ok(
      r.problems.every((p) => /no SYSCALL record/.test(p.message)),
      JSON.stringify(r.problems.slice(0, 3)),
    );
    assert.equal(r.problems.length, 10);
  },
);

test('ausearch -i output: dated stamps, reversed record order, names instead of numbers and hex', () => {
  const text = [
    '----',
    'type=PROCTITLE msg=audit(11/14/2023 22:13:25.002:1003) : proctitle=/tmp/.x/relayd --server relay',
    'type=PATH msg=audit(11/14/2023 22:13:25.002:1003) : item=0 name=/tmp/.x/relayd inode=1234 dev=08:01 mode=file,755 ouid=root ogid=root rdev=00:00 nametype=NORMAL cap_fp=none cap_fi=none cap_fe=0 cap_fver=0',
    'type=CWD msg=audit(11/14/2023 22:13:25.002:1003) : cwd=/tmp/.x',
    'type=EXECVE msg=audit(11/14/2023 22:13:25.002:1003) : argc=3 a0=/tmp/.x/relayd a1=--server a2=relay',
    'type=SYSCALL msg=audit(11/14/2023 22:13:25.002:1003) : arch=x86_64 syscall=execve success=yes exit=0 a0=0x55d1 a1=0x55d2 a2=0x55d3 a3=0x0 items=1 ppid=2000 pid=2101 auid=alice uid=root gid=root euid=root suid=root fsuid=root egid=root sgid=root fsgid=root tty=pts0 ses=3 comm=relayd exe=/tmp/.x/relayd subj=unconfined key=(null)',
    '----',
    'type=PROCTITLE msg=audit(11/14/2023 22:13:28.500:1012) : proctitle=/tmp/.x/relayd --daemon',
    'type=SOCKADDR msg=audit(11/14/2023 22:13:28.500:1012) : saddr={ saddr_fam=inet laddr=203.0.113.50 lport=443 }',
    'type=SYSCALL msg=audit(11/14/2023 22:13:28.500:1012) : arch=x86_64 syscall=connect success=no exit=EINPROGRESS(Operation now in progress) a0=0x3 a1=0x7ffd a2=0x10 a3=0x0 items=0 ppid=1 pid=2110 auid=unset uid=root gid=root euid=root suid=root fsuid=root egid=root sgid=root fsgid=root tty=(none) ses=unset comm=relayd exe=/tmp/.x/relayd subj=unconfined key=(null)',
    '----',
    'type=SYSCALL msg=audit(11/14/2023 22:13:29.000:1013) : arch=x86_64 syscall=clone success=yes exit=2130 a0=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM a1=0x7f a2=0x0 a3=0x0 items=0 ppid=1 pid=2110 auid=unset uid=root euid=root comm=relayd exe=/tmp/.x/relayd key=(null)',
  ].join('\n');
  assert.equal(auditd.sniff(Buffer.from(text), text), 0.95);
  const { events, problems, ignored } = decodeText(auditd, text);
  assert.deepEqual(problems, []);
  assert.equal(ignored, 1); // the thread
  const [exec, net] = events as [ProcessStartEvent, NetworkEvent];
  assert.equal(exec.kind, 'process');
  assert.equal(exec.time, Date.UTC(2023, 10, 14, 22, 13, 25, 2));
  assert.deepEqual(
    [exec.proc.pid, exec.proc.image, exec.commandLine, exec.user, exec.integrity, exec.cwd, exec.src.line],
    [2101, '/tmp/.x/relayd', '/tmp/.x/relayd --server relay', 'alice', 'root', '/tmp/.x', 2],
  );
  assert.deepEqual(
    [net.kind, net.dstIp, net.dstPort, net.proc?.pid, net.state, net.src.record],
    ['network', '203.0.113.50', 443, 2110, undefined, '1012'],
  );
});

test('an EXECVE group from an architecture without a syscall table is still an exec', () => {
  const text = [
    'type=SYSCALL msg=audit(1700000000.000:70): arch=c0000015 syscall=11 success=yes exit=0 items=0 ppid=1 pid=90 auid=0 uid=0 euid=0 comm="rd" exe="/opt/rd" key=(null)',
    'type=EXECVE msg=audit(1700000000.000:70): argc=1 a0="rd"',
  ].join('\n');
  const { events, problems } = decodeText(auditd, text);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    execs(events).map((e) => [e.proc.pid, e.proc.image]),
    [[90, '/opt/rd']],
  );
});

test('ENRICHED log_format reads exactly as RAW: the same events, with names where RAW has numbers', () => {
  const raw = readFileSync(join(REPO_ROOT, 'test/scenarios/linux-auditd-raw-node/audit.log'), 'utf8');
  const enriched = readFileSync(
    join(REPO_ROOT, 'test/fixtures/linux-formats/web-collector.enriched.audit.log'),
    'utf8',
  );
  assert.ok(enriched.includes('\u001dARCH=x86_64 SYSCALL=execve AUID="alice"'));
  const a = decodeText(auditd, raw, 'collector.log');
  const b = decodeText(auditd, enriched, 'collector.log');
  assert.deepEqual(b.problems, []);
  assert.equal(b.ignored, a.ignored);
  // auditd's ENRICHED translations of the ids this log uses.
  const names: Record<string, string> = {
    '0': 'root',
    '1001': 'alice',
    '33': 'www-data',
    '112': 'prometheus',
  };
  const named = JSON.stringify(a.events, (k, v) =>
    (k === 'user' || k === 'auid') && typeof v === 'string' ? (names[v] ?? v) : v,
  );
  assert.equal(JSON.stringify(b.events), named);
  assert.ok(a.events.length > 30);
});

test('records of types no reader uses are skipped on their bytes, counted as ignored', () => {
  let ignored = 0;
  const d = auditd.decoder({ file: 'audit.log', problem() {}, emit() {}, ignored: () => ignored++ });
  const skip = (line: string) => {
    const b = Buffer.from(line);
    return d.mode === 'lines' && d.skip !== undefined && d.skip(b, 0, b.length, 1);
  };
  assert.equal(skip("type=CRED_ACQ msg=audit(1700000000.100:7): pid=1 uid=0 msg='op=PAM:setcred'"), true);
  assert.equal(skip('type=USER_ACCT msg=audit(1700000000.100:8): pid=1'), true);
  assert.equal(ignored, 2);
  // What a reader uses, wrapped lines and malformed ones are decoded as text.
  assert.equal(skip('type=SYSCALL msg=audit(1700000000.100:9): arch=c000003e syscall=59'), false);
  assert.equal(skip('type=EOE msg=audit(1700000000.100:9): '), false);
  assert.equal(skip("type=USER_LOGIN msg=audit(1700000000.100:10): pid=1 msg='res=success'"), false);
  assert.equal(skip('node=web01 type=CRED_ACQ msg=audit(1700000000.100:11): pid=1'), false);
  assert.equal(skip('type=CRED_ACQ pid=1'), false);
  assert.equal(ignored, 2);
});
