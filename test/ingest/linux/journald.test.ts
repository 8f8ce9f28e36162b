// The journald reader on `journalctl -o json` output written as journalctl 252 prints it
// (compact JSON, fields in hash order, every value a string, byte arrays for non-UTF-8 values):
// unit lifecycle from PID 1 and a user manager, the unit each service process runs in, and sshd
// logins joined to logind's session.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { journald, journalText } from '../../../src/ingest/linux/journald.ts';
import { parseAcceptedLogin, parseUnitMessage } from '../../../src/ingest/linux/system-messages.ts';
import { sniffFormat } from '../../../src/ingest/source.ts';
import type { LoginEvent, RatEvent, ServiceEvent, UnitProcessEvent } from '../../../src/model/event.ts';
import { REPO_ROOT } from '../../support/data.ts';
import { decodeFile, decodeText } from './decode.ts';

const FILE = join(REPO_ROOT, 'test/fixtures/linux-formats/app07.journal.json');
const text = readFileSync(FILE, 'utf8');
const of = <K extends RatEvent['kind']>(evs: RatEvent[], kind: K) =>
  evs.filter((e): e is Extract<RatEvent, { kind: K }> => e.kind === kind);

test('journalctl -o json is recognised by content, over every other JSON format', async () => {
  assert.equal(sniffFormat(Buffer.from(text)).format?.id, 'journald-json');
  const { stats, problems } = await decodeFile(FILE);
  assert.equal(stats.format, 'journald-json');
  assert.deepEqual(problems, []);
  assert.equal(journald.sniff(Buffer.from('{"a":"1"}'), '{"a":"1"}'), 0);
});

test('unit lifecycle: PID 1 reload with its client, Starting/Started with the unit named', () => {
  const { events } = decodeText(journald, text, 'app07.journal.json');
  const services = of(events, 'service');
  const brief = services.map((s) => `${s.scope} ${s.action} ${s.name ?? '(manager)'}`);
  assert.deepEqual(brief, [
    'system started session-7.scope',
    'system reloading (manager)',
    'system reloading (manager)',
    'system starting dbus-broker-helper.service',
    'system started dbus-broker-helper.service',
    'user started syncthing.service',
  ]);
  const reload = services[1] as ServiceEvent;
  assert.deepEqual(reload.requestedBy, { pid: 4121, image: 'systemctl' });
  const started = services[4];
  assert.equal(started.host, 'app07');
  assert.equal(started.time, Date.UTC(2024, 4, 14, 10, 0, 41, 320));
  assert.equal(started.manager?.pid, 1);
  assert.equal(started.src.format, 'journald-json');
  assert.match(started.src.record ?? '', /^s=8a7e6c2d91b34f0aa5c2d7e9f1b3a5c7;i=[0-9a-f]+;b=/);
  assert.equal(started.src.line, 8);
});

test('the unit a process runs in, once per process; the manager itself is not a service process', () => {
  const { events } = decodeText(journald, text);
  const inUnit = of(events, 'unit_process').map(
    (u: UnitProcessEvent) => `${u.scope} ${u.unit} ${u.proc.pid} ${u.proc.image}`,
  );
  assert.deepEqual(inUnit, [
    'system ssh.service 4100 /usr/sbin/sshd',
    'system systemd-logind.service 512 /usr/lib/systemd/systemd-logind',
    'system dbus-broker-helper.service 4130 /var/lib/.dbus/dbusd',
    'system nginx.service 902 /usr/sbin/nginx',
    'system chrony.service 640 /usr/sbin/chronyd',
    'user syncthing.service 4210 /usr/bin/syncthing',
  ]);
  const agent = of(events, 'unit_process')[2];
  assert.equal(agent.proc.commandLine, '/var/lib/.dbus/dbusd -c /var/lib/.dbus/conf');
  assert.equal(agent.proc.user, '0');
});

test('an sshd login names its user, address, port and method, and logind gives its session', () => {
  const { events } = decodeText(journald, text);
  const [login, ...more] = of(events, 'login') as LoginEvent[];
  assert.equal(more.length, 0);
  assert.equal(login.user, 'alice');
  assert.equal(login.srcIp, '198.51.100.23');
  assert.equal(login.srcPort, 50122);
  assert.equal(login.method, 'publickey');
  assert.equal(login.service, 'sshd');
  assert.equal(login.session, '7');
  assert.equal(login.proc?.pid, 4100);
  assert.equal(login.time, Date.UTC(2024, 4, 14, 10, 0, 1, 200));
});

test('a login logind never names is still emitted, and at the end of input at the latest', () => {
  const line = (us: number, fields: object) =>
    JSON.stringify({ __REALTIME_TIMESTAMP: String(us), ...fields });
  const sshd = { SYSLOG_IDENTIFIER: 'sshd', _PID: '900', _HOSTNAME: 'h1', _EXE: '/usr/sbin/sshd' };
  const only = line(1_700_000_000_000_000, {
    ...sshd,
    MESSAGE: 'Accepted password for root from ::1 port 40222 ssh2',
  });
  const { events } = decodeText(journald, `${only}\n`);
  const [login] = of(events, 'login');
  assert.equal(login.srcIp, '::1');
  assert.equal(login.user, 'root');
  assert.equal(login.session, undefined);
});

test('values as journalctl writes them: byte arrays, repeated fields, null for oversized values', () => {
  assert.equal(journalText([104, 105]), 'hi');
  assert.equal(journalText(['first', 'second']), 'first');
  assert.equal(journalText(null), undefined);
  assert.equal(journalText([1, 999]), undefined);
});

test('damaged entries are reported with their line and skipped; the rest is read', () => {
  const lines = text.split('\n');
  const damaged = [
    lines[0],
    lines[1].slice(0, 90),
    '{"MESSAGE":"no timestamp"}',
    '{"__REALTIME_TIMESTAMP":"soon","MESSAGE":"x"}',
    '[1,2,3]',
    ...lines.slice(2),
  ].join('\n');
  const { events, problems } = decodeText(journald, damaged);
  assert.deepEqual(
    problems.map((p) => p.line),
    [2, 3, 4, 5],
  );
  assert.match(problems[1].message, /__REALTIME_TIMESTAMP/);
  assert.equal(of(events, 'login').length, 1);
});

test('systemd and sshd message shapes across versions', () => {
  assert.deepEqual(parseUnitMessage('Started Kernel Thermal Helper.'), {
    action: 'started',
    description: 'Kernel Thermal Helper',
  });
  assert.deepEqual(parseUnitMessage('Starting x.service - X\u2026'), {
    action: 'starting',
    unit: 'x.service',
    description: 'X',
  });
  assert.deepEqual(parseUnitMessage('Reloading.'), { action: 'reloading' });
  assert.deepEqual(parseUnitMessage("Reloading requested from client PID 88 ('systemctl')"), {
    action: 'reloading',
    clientPid: 88,
    clientComm: 'systemctl',
  });
  assert.equal(parseUnitMessage('Reloading finished in 212 ms.'), undefined);
  assert.equal(parseUnitMessage('x.service: Main process exited, code=exited, status=1/FAILURE'), undefined);
  assert.deepEqual(
    parseAcceptedLogin('Accepted keyboard-interactive/pam for ops from 2001:db8::44 port 5512 ssh2'),
    {
      method: 'keyboard-interactive/pam',
      user: 'ops',
      ip: '2001:db8::44',
      port: 5512,
    },
  );
  assert.equal(parseAcceptedLogin('Accepted publickey for a from 1.2.3.4 port 99999 ssh2'), undefined);
  assert.equal(parseAcceptedLogin('Failed password for root from 1.2.3.4 port 22 ssh2'), undefined);
});

test('Sysmon for Linux events in the journal (SYSLOG_IDENTIFIER sysmon) read as the Sysmon reader reads them', () => {
  const syslog = readFileSync(join(REPO_ROOT, 'test/fixtures/linux/sysmon-linux.syslog'), 'utf8');
  const xml = syslog.split('\n')[0].replace(/^.*? sysmon: /, '');
  const entry = JSON.stringify({
    __REALTIME_TIMESTAMP: '1700000000100000',
    _HOSTNAME: 'web05',
    SYSLOG_IDENTIFIER: 'sysmon',
    _PID: '812',
    _EXE: '/opt/sysmon/sysmon',
    _SYSTEMD_UNIT: 'sysmon.service',
    _TRANSPORT: 'syslog',
    MESSAGE: xml,
  });
  const { events, problems } = decodeText(journald, `${entry}\n`);
  assert.deepEqual(problems, []);
  const proc = events.find((e) => e.kind === 'process');
  assert.equal(proc?.host, 'web05');
  assert.equal(proc?.platform, 'linux');
  assert.equal(proc?.kind === 'process' && proc.proc.image, '/tmp/.x/relayd');
});
