import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sysmonLinux } from '../../../src/ingest/linux/sysmon-linux.ts';
import { eventXml } from '../../../src/ingest/windows/event-xml.ts';
import type { FileEvent, NetworkEvent, ProcessStartEvent } from '../../../src/model/event.ts';
import { REPO_ROOT } from '../../support/data.ts';
import { decodeText } from './decode.ts';

const text = readFileSync(join(REPO_ROOT, 'test/fixtures/linux/sysmon-linux.syslog'), 'utf8');

test('sniffs Sysmon for Linux ahead of Windows event XML', () => {
  const raw = text.slice(text.indexOf('<Event>'), text.indexOf('</Event>') + 8);
  assert.equal(sysmonLinux.sniff(Buffer.from(text), text), 0.97);
  assert.ok(sysmonLinux.sniff(Buffer.from(raw), raw) > eventXml.sniff(Buffer.from(raw), raw));
  const windows =
    '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><EventID>1</EventID>';
  assert.equal(sysmonLinux.sniff(Buffer.from(windows), windows), 0);
});

test('syslog lines: process, file, network, delete and end events, platform linux, by ProcessGuid', () => {
  const { events, problems, ignored } = decodeText(sysmonLinux, text, 'syslog');
  assert.deepEqual(problems, []);
  assert.equal(ignored, 1); // systemd's own line
  assert.deepEqual(
    events.map((e) => [e.kind, e.src.eventId, e.src.line]),
    [
      ['process', '1', 1],
      ['file', '11', 2],
      ['network', '3', 4],
      ['process', '1', 5],
      ['file', '23', 6],
      ['process_end', '5', 7],
    ],
  );
  for (const e of events) {
    assert.equal(e.platform, 'linux');
    assert.equal(e.host, 'web05');
    assert.equal(e.src.format, 'sysmon-linux');
  }
  const agent = events[0] as ProcessStartEvent;
  assert.equal(agent.proc.guid, '{a8fa4b5d-0db4-6554-8d8e-0c2864550000}');
  assert.equal(agent.proc.image, '/tmp/.x/relayd');
  assert.equal(agent.parent?.image, '/usr/bin/bash');
  assert.equal(agent.user, 'root');
  assert.equal(agent.integrity, 'root');
  assert.equal(agent.cwd, '/tmp/.x');
  assert.equal(agent.meta, undefined);
  assert.equal(agent.hashes?.sha256, '6a09e667f3bcc908b2fb1366ea957d3e3adec17512775099da5e1a4f2f8f1a2b');
  assert.equal(agent.time, Date.parse('2023-11-14T22:13:20.100Z'));
  assert.equal((events[1] as FileEvent).path, '/etc/systemd/system/relayd.service');
  const net = events[2] as NetworkEvent;
  assert.deepEqual(
    [net.direction, net.srcIp, net.dstIp, net.dstPort, net.dstName, net.proc?.guid],
    ['outbound', '10.0.0.15', '203.0.113.50', 443, 'relay.example.net', agent.proc.guid],
  );
  const shell = events[3] as ProcessStartEvent;
  assert.equal(shell.parent?.guid, agent.proc.guid);
  assert.deepEqual(
    [(events[4] as FileEvent).op, (events[4] as FileEvent).path],
    ['delete', '/tmp/.x/install.sh'],
  );
});

test('raw XML lines (no syslog header) read the same', () => {
  const raw = text
    .split('\n')
    .filter((l) => l.includes('<Event>'))
    .map((l) => l.slice(l.indexOf('<Event>')))
    .join('\n');
  const { events, problems } = decodeText(sysmonLinux, raw);
  assert.deepEqual(problems, []);
  assert.equal(events.length, 6);
});

test('pretty-printed events spanning lines, several in one <Events> document', () => {
  const events = text
    .split('\n')
    .filter((l) => l.includes('<Event>'))
    .map((l) => l.slice(l.indexOf('<Event>')).replace(/></g, '>\n  <'));
  const doc = `<?xml version="1.0"?>\n<Events>\n${events.join('\n')}\n</Events>\n`;
  const r = decodeText(sysmonLinux, doc);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.events.map((e) => e.src.eventId),
    ['1', '11', '3', '1', '23', '5'],
  );
  assert.equal(r.events[0].src.line, 3);
  // two events on one line
  const two = decodeText(sysmonLinux, `${events[0].replace(/\n\s*/g, '')}${events[5].replace(/\n\s*/g, '')}`);
  assert.deepEqual(two.problems, []);
  assert.equal(two.events.length, 2);
});

test('hostile input: cut event, garbage, a 10 MB line, an event without EventID', {
  timeout: 120_000,
}, () => {
  const first = text.split('\n')[0];
  const cases = [
    first.slice(0, first.length - 30),
    '\u0000\u0001garbage\u00ff<<<>>>',
    `web05 sysmon: <Event>${'<Data>'.repeat(2 * 1024 * 1024)}</Event>`,
    '<Event><System><Computer>x</Computer></System></Event>',
  ];
  for (const c of cases) {
    const r = decodeText(sysmonLinux, c);
    assert.equal(r.events.length, 0);
    assert.equal(r.problems.length, 1, c.slice(0, 60));
    assert.equal(r.problems[0].line, 1);
  }
});
