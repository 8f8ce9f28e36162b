import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeValue, parseArray, parseAuditRecord } from '../../../src/ingest/linux/audit-record.ts';

test('a raw SYSCALL record: header, quoted and bare values', () => {
  const r = parseAuditRecord(
    'type=SYSCALL msg=audit(1481077231.371:479): arch=c000003e syscall=59 success=yes pid=1382 comm="auditctl" exe="/sbin/auditctl" key=(null)',
  );
  assert.ok(r && !('error' in r));
  assert.equal(r.type, 'SYSCALL');
  assert.equal(r.time, 1481077231371);
  assert.equal(r.serial, '479');
  assert.equal(r.fields.get('syscall'), '59');
  assert.equal(r.fields.get('exe'), '"/sbin/auditctl"');
  assert.equal(decodeValue(r.fields.get('exe')), '/sbin/auditctl');
  assert.equal(decodeValue(r.fields.get('key')), undefined);
});

test('node= prefix names the host', () => {
  const r = parseAuditRecord('node=web01 type=CWD msg=audit(1700000000.100:1001): cwd="/home/alice"');
  assert.ok(r && !('error' in r));
  assert.equal(r.node, 'web01');
  assert.equal(decodeValue(r.fields.get('cwd')), '/home/alice');
});

test('hex-encoded values decode; odd or non-hex bare values are reported', () => {
  assert.equal(decodeValue('2F746D702F6120622063'), '/tmp/a b c');
  assert.deepEqual(decodeValue('2F746D7'), { bad: 'odd-length hex "2F746D7"' });
  assert.ok(typeof decodeValue('/tmp/x') === 'object');
  // AUOMS writes plain text unquoted: no hex decoding there.
  assert.equal(decodeValue('/usr/bin/java', false), '/usr/bin/java');
});

test('USER_* records: the single-quoted msg is one value and does not leak inner keys', () => {
  const r = parseAuditRecord(
    'type=USER_LOGIN msg=audit(1481077043.193:421): pid=1298 uid=0 auid=1000 ses=1 msg=\'op=login id=1000 exe="/usr/sbin/sshd" res=success\'',
  );
  assert.ok(r && !('error' in r));
  assert.equal(r.fields.get('pid'), '1298');
  assert.equal(r.fields.has('exe'), false);
});

test('AUOMS: no msg=, arrays, and a cmdline with unescaped inner quotes', () => {
  const r = parseAuditRecord(
    'type=AUOMS_EXECVE audit(1652292621.990:84143): syscall=execve pid=17790 path_name=["/bin/bash","/lib64/ld.so"] path_nametype=["NORMAL","NORMAL"] argc=3 cmdline="bash -c "{echo,YQ==}|{base64,-d}|{bash,-i}"" redactors= containerid=',
  );
  assert.ok(r && !('error' in r));
  assert.equal(r.serial, '84143');
  assert.equal(decodeValue(r.fields.get('cmdline'), false), 'bash -c "{echo,YQ==}|{base64,-d}|{bash,-i}"');
  assert.deepEqual(parseArray(r.fields.get('path_name')), ['/bin/bash', '/lib64/ld.so']);
  assert.equal(r.fields.get('redactors'), '');
});

test('enriched records: fields after the GS separator are read too', () => {
  const r = parseAuditRecord(
    'type=SYSCALL msg=audit(1700001000.000:2001): syscall=59 auid=1001 uid=1001\u001dARCH=x86_64 SYSCALL=execve AUID="alice" UID="alice"',
  );
  assert.ok(r && !('error' in r));
  assert.equal(r.fields.get('uid'), '1001');
  assert.equal(r.fields.get('AUID'), '"alice"');
  assert.equal(r.fields.get('SYSCALL'), 'execve');
});

test('damaged headers are errors with a reason; msg=? is skipped quietly', () => {
  const noSerial = parseAuditRecord('type=SYSCALL msg=audit(1481077231.371): syscall=59');
  assert.ok(noSerial && 'error' in noSerial);
  assert.match(noSerial.error, /no serial/);
  const cut = parseAuditRecord('type=SYSCALL msg=audit(14810772');
  assert.ok(cut && 'error' in cut);
  const unterminated = parseAuditRecord('type=PATH msg=audit(1.000:5): item=0 name="/etc/systemd/sys');
  assert.ok(unterminated && 'error' in unterminated);
  assert.match(unterminated.error, /unterminated/);
  assert.equal(parseAuditRecord('type=UNKNOWN[1329] msg=?'), undefined);
});

test('stamps: whole seconds, short and long fractions; bad times and serials are errors', () => {
  const time = (stamp: string) => {
    const r = parseAuditRecord(`type=CWD msg=audit(${stamp}): cwd="/"`);
    return r && !('error' in r) ? r.time : r?.error;
  };
  assert.equal(time('1700000000:7'), 1700000000000);
  assert.equal(time('1700000000.5:7'), 1700000000500);
  assert.equal(time('1700000000.123456789:7'), 1700000000123);
  assert.match(String(time('1700000000.:7')), /bad time/);
  assert.match(String(time('17000x0000.100:7')), /bad time/);
  assert.match(String(time('1700000000.100:7a')), /bad serial/);
  assert.match(String(time('1700000000.100:')), /bad serial/);
});

test('bare words between fields are skipped, and a body with no key left ends', () => {
  const r = parseAuditRecord('type=USER_CMD msg=audit(1.000:5): pid=7 tty pid=8 res=ok trailing words here');
  assert.ok(r && !('error' in r));
  assert.deepEqual(
    [...r.fields],
    [
      ['pid', '7'],
      ['res', 'ok'],
    ],
  );
});
