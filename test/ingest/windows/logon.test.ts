// Security 4624: remote interactive logons (type 10) become login events with the address and
// port they came from and their logon session, which Sysmon and 4688 processes carry too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logonId } from '../../../src/ingest/windows/events.ts';
import type { LoginEvent } from '../../../src/model/event.ts';
import { needsData, sharedData } from '../../support/data.ts';
import { decodeFile } from '../linux/decode.ts';

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
