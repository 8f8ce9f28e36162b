// Hosts for records that name none: --host, then the file name, then the other inputs of the
// same directory when they name exactly one host; otherwise none, and the note says why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeHostNote, HostHints, hostFromFileName } from '../../src/ingest/host-hint.ts';
import type { RatEvent } from '../../src/model/event.ts';

test('file names that carry the host: <host>.audit.log and <host>.eslogger.ndjson, rotated or gzipped', () => {
  assert.equal(hostFromFileName('/logs/web01.audit.log'), 'web01');
  assert.equal(hostFromFileName('case/db03.prod.example.audit.log.1'), 'db03.prod.example');
  assert.equal(hostFromFileName('C:\\cases\\mbp-07.eslogger.ndjson.gz'), 'mbp-07');
  assert.equal(hostFromFileName('/var/log/audit/audit.log'), undefined);
  assert.equal(hostFromFileName('/logs/web01.syslog'), undefined);
});

test('--host wins for every hostless input, then the file name', () => {
  const flag = new HostHints('ws-9');
  assert.equal(flag.hostFor('/x/web01.audit.log'), 'ws-9');
  const named = new HostHints();
  assert.equal(named.hostFor('/x/web01.audit.log'), 'web01');
  assert.equal(named.hostFor('/x/web01.audit.log'), 'web01');
  assert.deepEqual(named.notes(), [
    {
      input: '/x/web01.audit.log',
      records: 2,
      host: 'web01',
      how: 'file-name',
      detail: 'from the file name',
    },
  ]);
});

test('a sibling input naming exactly one host gives it; two hosts or another directory do not', () => {
  const h = new HostHints();
  h.observe('/case/web01/journal.json', 'web01');
  h.observe('/case/web01/syslog', 'WEB01');
  h.observe('/case/other/journal.json', 'db03');
  assert.equal(h.hostFor('/case/web01/audit.log'), 'web01');
  assert.match(h.notes()[0].detail, /other inputs in \/case\/web01, which name only web01/);

  const two = new HostHints();
  two.observe('/case/all/journal.json', 'web01');
  two.observe('/case/all/journal.json', 'web02');
  assert.equal(two.hostFor('/case/all/audit.log'), '');
  const [note] = two.notes();
  assert.equal(note.how, 'none');
  assert.match(note.detail, /name two hosts \(web01, web02\); use --host/);

  const alone = new HostHints();
  assert.equal(alone.hostFor('-'), '');
  assert.match(alone.notes()[0].detail, /stdin/);
});

test('the decision is kept for the whole input; a sibling naming another host later is reported', () => {
  const h = new HostHints();
  h.observe('/c/journal.json', 'web01');
  assert.equal(h.hostFor('/c/audit.log'), 'web01');
  h.observe('/c/journal.json', 'web02');
  assert.equal(h.hostFor('/c/audit.log'), 'web01');
  assert.match(h.notes()[0].detail, /later also named web02/);
});

test('hosts are noted as batches are read, before any merge, and flows are not host sensors', async () => {
  const h = new HostHints();
  const ev = (file: string, host: string, platform: RatEvent['platform']) =>
    ({
      kind: 'dns',
      time: 0,
      host,
      platform,
      src: { file, format: 'x' },
      query: 'a',
      answers: [],
    }) as RatEvent;
  async function* batches() {
    yield [ev('/c/conn.log', '10.0.0.5', 'network'), ev('/c/journal.json', 'app07', 'linux')];
  }
  for await (const _ of h.watch(batches()));
  assert.equal(h.hostFor('/c/audit.log'), 'app07');
});

test('live: a hostless input waits for the siblings expected in its directory, or until settled', () => {
  const h = new HostHints();
  h.expect('/c/audit.log');
  h.expect('/c/journal.json');
  h.expect('/d/syslog');
  assert.equal(h.canDecide('/c/audit.log'), false, 'the journal beside it has not been read');
  assert.equal(h.begun('/c/journal.json'), true);
  assert.equal(h.canDecide('/c/audit.log'), true, 'read, and it named nothing: no host to wait for');
  assert.equal(h.canDecide('/c/web01.audit.log'), true, 'a file name never waits');

  const named = new HostHints();
  named.expect('/c/audit.log');
  named.expect('/c/journal.json');
  named.observe('/c/journal.json', 'build03');
  assert.equal(named.canDecide('/c/audit.log'), true, 'a sibling named its host');

  const silent = new HostHints();
  silent.expect('/c/audit.log');
  silent.expect('/c/journal.json');
  silent.settle();
  assert.equal(silent.canDecide('/c/audit.log'), true, 'settled: nobody is waited for');
  assert.equal(silent.hostFor('/c/audit.log'), '');
});

test('each decision is heard once, when made; the summary line says what was done', () => {
  const heard: string[] = [];
  const h = new HostHints(undefined, (n) => heard.push(`${n.input} ${n.how} ${describeHostNote(n, false)}`));
  h.hostFor('/x/web01.audit.log');
  h.hostFor('/x/web01.audit.log');
  h.hostFor('/y/audit.log');
  assert.deepEqual(heard, [
    '/x/web01.audit.log file-name records name no host; given web01 from the file name',
    `/y/audit.log none records name no host; no host: no --host, no <host>.audit.log style file name, and no other input in /y names a host; use --host (reported under host "unknown")`,
  ]);
  assert.equal(describeHostNote(h.notes()[0]), '2 records named no host; given web01 from the file name');
});
