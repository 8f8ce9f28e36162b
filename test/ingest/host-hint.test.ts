// Hosts for records that name none: --host, then the file name, then the other inputs of the
// same directory when they name exactly one host; otherwise none, and the note says why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostHints, hostFromFileName } from '../../src/ingest/host-hint.ts';
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
