// Security 4624: remote interactive logons (type 10) become login events with the address and
// port they came from and their logon session, which Sysmon and 4688 processes carry too.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { logonId, MAPPED_EVENT_IDS, READ_FIELDS } from '../../../src/ingest/windows/events.ts';
import { windowsJson } from '../../../src/ingest/windows/windows-json.ts';
import type { LoginEvent } from '../../../src/model/event.ts';
import { needsData, REPO_ROOT, sharedData } from '../../support/data.ts';
import { decodeFile, decodeText } from '../linux/decode.ts';

const RDP = sharedData('evtx-attack-samples/Command and Control/DE_RDP_Tunneling_4624.evtx');

test(
  'real RDP logons through a tunnel: type 10 from loopback, with port and session',
  needsData(RDP),
  async () => {
    const { events, problems } = await decodeFile(RDP!);
    assert.deepEqual(problems, []);
    const logins = events.filter((e): e is LoginEvent => e.kind === 'login');
    assert.ok(logins.length >= 1, 'type 10 logons');
    for (const l of logins) {
      assert.equal(l.service, 'rdp');
      assert.equal(l.srcIp, '127.0.0.1');
      assert.match(l.session ?? '', /^0x[0-9a-f]+$/);
      assert.ok(l.srcPort !== undefined && l.srcPort > 1024);
    }
    const first = logins[0];
    assert.equal(first.host, 'PC02.example.corp');
    assert.equal(first.user, 'PC02\\IEUser');
    assert.equal(first.session, '0x45120');
    assert.equal(first.srcPort, 49164);
  },
);

test('logon ids in one spelling', () => {
  assert.equal(logonId('0x00000000000003e7'), '0x3e7');
  assert.equal(logonId('0x3E7'), '0x3e7');
  assert.equal(logonId('0x0'), undefined);
  assert.equal(logonId('-'), undefined);
});

// Winlogbeat 8 writes event_data values as strings and the event id twice (winlog.event_id,
// event.code); an RDP logon carried by a tunnel comes from loopback.
const WINLOGBEAT_RDP_LOGON = JSON.stringify({
  '@timestamp': '2026-01-05T11:03:00.118Z',
  agent: { type: 'winlogbeat', version: '8.11.1', name: 'WKS-BOB' },
  host: { name: 'wks-bob.corp.example', hostname: 'wks-bob' },
  event: {
    code: '4624',
    kind: 'event',
    provider: 'Microsoft-Windows-Security-Auditing',
    action: 'logged-in',
  },
  winlog: {
    channel: 'Security',
    event_id: '4624',
    provider_name: 'Microsoft-Windows-Security-Auditing',
    record_id: '2301450',
    computer_name: 'WKS-BOB.corp.example',
    event_data: {
      TargetUserName: 'bob',
      TargetDomainName: 'CORP',
      TargetLogonId: '0x5a2c1f',
      LogonType: '10',
      ProcessId: '0x0',
      ProcessName: '-',
      IpAddress: '127.0.0.1',
      IpPort: '50112',
    },
  },
});

test('a Winlogbeat type 10 logon is read, not skipped before parsing', () => {
  const { events, problems } = decodeText(windowsJson, `${WINLOGBEAT_RDP_LOGON}\n`);
  assert.deepEqual(problems, []);
  assert.equal(events.length, 1);
  const login = events[0] as LoginEvent;
  assert.equal(login.kind, 'login');
  assert.equal(login.srcIp, '127.0.0.1');
  assert.equal(login.srcPort, 50112);
  assert.equal(login.session, '0x5a2c1f');
});

test('the ids readers may skip on are exactly the ids the mapper handles', () => {
  const source = readFileSync(join(REPO_ROOT, 'src/ingest/windows/events.ts'), 'utf8');
  const mapped = new Set(
    [...source.matchAll(/case (\d+):|eventId === (\d+)/g)].map((m) => Number(m[1] ?? m[2])),
  );
  assert.deepEqual(
    [...MAPPED_EVENT_IDS].sort((a, b) => a - b),
    [...mapped].sort((a, b) => a - b),
  );
});

test('the fields readers may leave unrendered are none the mapper reads', () => {
  const source = readFileSync(join(REPO_ROOT, 'src/ingest/windows/events.ts'), 'utf8');
  const read = new Set([...source.matchAll(/(?:val|field)\(d, '(\w+)'\)/g)].map((m) => m[1]));
  assert.ok(read.size > 40, `found ${read.size} field reads`);
  for (const name of read) assert.ok(READ_FIELDS.has(name), `${name} is read but not in READ_FIELDS`);
});
