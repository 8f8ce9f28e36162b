import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linuxSyslogJson } from '../../../src/ingest/linux/syslog-json.ts';
import { windowsJson } from '../../../src/ingest/windows/windows-json.ts';
import type { ProcessStartEvent, RatEvent } from '../../../src/model/event.ts';
import { auomsExecve, syslogRow } from '../../support/azure-rows.ts';
import { needsData, sharedData } from '../../support/data.ts';
import { decodeFile, decodeText } from './decode.ts';

const execs = (evs: RatEvent[]) =>
  evs.filter((e): e is ProcessStartEvent => e.kind === 'process' && !e.forkOnly);

const row = syslogRow;
const auoms = auomsExecve;

test('sniffs AUOMS syslog JSON, and the Windows JSON format does not claim it', () => {
  const t = row(auoms(1, 'pid=2 ppid=1 exe="/bin/x"'));
  assert.equal(linuxSyslogJson.sniff(Buffer.from(t), t), 0.96);
  assert.equal(windowsJson.sniff(Buffer.from(t), t), 0);
  const other = JSON.stringify({ SyslogMessage: 'Accepted publickey for alice', Computer: 'h' });
  assert.equal(linuxSyslogJson.sniff(Buffer.from(other), other), 0);
});

test('AUOMS records: one line is a whole event; host from node=, else the wrapper', () => {
  const text = [
    row(
      auoms(
        10,
        'node=WEB1 ppid=100 pid=200 audit_user=unset auid=4294967295 user=tomcat uid=1001 effective_user=tomcat euid=1001 exe="/bin/bash" cwd="/" path_name=["/bin/bash"] path_nametype=["NORMAL"] argc=3 cmdline="bash -c "id; uname -a""',
      ),
    ),
    row(
      auoms(
        11,
        'node=WEB1 ppid=200 pid=201 user=tomcat uid=1001 exe="/usr/bin/id" cwd="/" argc=1 cmdline="id"',
      ),
    ),
    row(auoms(12, 'ppid=1 pid=300 user=root uid=0 exe="/usr/sbin/cron" argc=1 cmdline="cron"')),
    row('Nov 14 22:13:20 cron[77]: (root) CMD (run-parts /etc/cron.hourly)'),
  ].join('\n');
  const { events, problems, ignored } = decodeText(linuxSyslogJson, text, 'syslog.json');
  assert.deepEqual(problems, []);
  assert.equal(ignored, 1);
  const [bash, id, cron] = execs(events);
  assert.equal(bash.host, 'WEB1');
  assert.equal(bash.commandLine, 'bash -c "id; uname -a"');
  assert.equal(bash.user, 'tomcat');
  assert.deepEqual(bash.src, {
    file: 'syslog.json',
    format: 'linux-syslog-json',
    line: 1,
    record: '10',
    eventId: 'AUOMS_EXECVE',
  });
  assert.equal(id.host, 'WEB1');
  assert.equal(cron.host, 'UBUNTU9');
  assert.deepEqual(id.parent, { pid: 200, image: '/bin/bash', commandLine: 'bash -c "id; uname -a"' });
});

test('AUOMS_SYSCALL connect: the merged SOCKADDR becomes an outbound connection', () => {
  const text = row(
    'type=AUOMS_SYSCALL audit(1700000002.000:20): SchemaVersion="1" syscall=connect success=no exit=-115 ppid=1 pid=300 user=root uid=0 exe="/opt/rd/rd" saddr=020001BBCB0071320000000000000000 redactors= containerid=',
  );
  const { events, problems } = decodeText(linuxSyslogJson, text);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    events.map((e) => e.kind === 'network' && [e.host, e.dstIp, e.dstPort, e.proc?.image, e.src.eventId]),
    [['UBUNTU9', '203.0.113.50', 443, '/opt/rd/rd', 'AUOMS_SYSCALL']],
  );
});

test('raw auditd records relayed in syslog JSON are grouped by serial; Sysmon XML is routed too', () => {
  const text = [
    row(
      'type=SYSCALL msg=audit(1700000001.000:40): arch=c000003e syscall=59 success=yes exit=0 items=0 ppid=1 pid=7 auid=0 uid=0 euid=0 comm="rd" exe="/opt/rd" key=(null)',
      'h1',
    ),
    row('type=EXECVE msg=audit(1700000001.000:40): argc=2 a0="rd" a1="-d"', 'h1'),
    row(
      '<Event><System><Provider Name="Linux-Sysmon"/><EventID>5</EventID><TimeCreated SystemTime="2023-11-14T22:13:21.000Z"/><EventRecordID>9</EventRecordID><Channel>Linux-Sysmon/Operational</Channel><Computer>h2</Computer></System><EventData><Data Name="ProcessId">7</Data><Data Name="Image">/opt/rd</Data></EventData></Event>',
      'h2',
    ),
  ].join('\n');
  const { events, problems } = decodeText(linuxSyslogJson, text);
  assert.deepEqual(problems, []);
  // Sysmon events are emitted at once, audit events when their group closes: the merge orders by time.
  assert.deepEqual(
    events.map((e) => [e.kind, e.host, e.platform, e.src.line]).sort((a, b) => Number(a[3]) - Number(b[3])),
    [
      ['process', 'h1', 'linux', 1],
      ['process_end', 'h2', 'linux', 3],
    ],
  );
  assert.equal(execs(events)[0].commandLine, 'rd -d');
});

test('hostile input: cut JSON, garbage, huge value, non-objects, missing message', {
  timeout: 120_000,
}, () => {
  const good = row(auoms(12, 'pid=2 ppid=1 exe="/bin/x" argc=1 cmdline="x"'));
  const cases: Array<[string, RegExp]> = [
    [good.slice(0, good.length - 20), /truncated|not valid JSON/],
    ['\u0000\u0001\u0002 binary', /not JSON/],
    [`{"SyslogMessage":"${'A'.repeat(10 * 1024 * 1024)}"}`, /^$/], // a long message of no known kind: ignored
    ['[1,2]', /not an object/],
    ['{"Computer":"h"}', /without a message field/],
    [row('type=AUOMS_EXECVE audit(1700000000.000): pid=2'), /no serial/],
  ];
  for (const [text, want] of cases) {
    const r = decodeText(linuxSyslogJson, text);
    assert.equal(r.events.length, 0);
    if (want.source === '^$') assert.equal(r.problems.length, 0);
    else {
      assert.ok(r.problems.length >= 1, text.slice(0, 40));
      assert.match(r.problems[0].message, want);
      assert.equal(r.problems[0].line, 1);
    }
  }
});

const LOG4SHELL =
  'otrf-security-datasets/compound/Log4Shell/syslog_auoms_auditd_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json';

test(
  'Log4Shell: java -> bash -c -> bash -i -> whoami with parent links, no problems',
  needsData(sharedData(LOG4SHELL)),
  async () => {
    const r = await decodeFile(sharedData(LOG4SHELL)!);
    assert.equal(r.stats.format, 'linux-syslog-json');
    assert.deepEqual(r.problems, []);
    assert.equal(r.stats.lines, 50);
    const ex = execs(r.events);
    const java = '/usr/lib/jvm/java-8-openjdk-amd64/jre/bin/java';
    const bashC = ex.find((e) => e.commandLine?.startsWith('bash -c'))!;
    assert.equal(bashC.proc.pid, 17790);
    assert.equal(bashC.proc.image, '/bin/bash');
    assert.deepEqual(bashC.parent, { pid: 1340, image: java });
    assert.match(bashC.commandLine!, /\{bash,-i\}"$/);
    const bashI = ex.find((e) => e.commandLine === 'bash -i' && e.parent?.pid === 17790)!;
    assert.equal(bashI.parent?.image, '/bin/bash');
    const subshell = ex.find((e) => e.commandLine === 'bash -i' && e.parent?.pid === bashI.proc.pid)!;
    const whoami = ex.find((e) => e.proc.image === '/usr/bin/whoami')!;
    assert.deepEqual([whoami.parent?.pid, whoami.parent?.image], [subshell.proc.pid, '/bin/bash']);
    for (const e of r.events) assert.equal(e.host, 'UBUNTU5');
    assert.equal(whoami.user, 'tomcat');
    // The failed execs before bash -c say pid 17790 was a fork of java that had not exec'd yet.
    const fork = r.events.find(
      (e): e is ProcessStartEvent => e.kind === 'process' && e.forkOnly === true && e.proc.pid === 17790,
    );
    assert.equal(fork?.proc.image, java);
  },
);
