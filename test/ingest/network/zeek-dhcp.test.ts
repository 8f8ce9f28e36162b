// Zeek dhcp.log (DHCP::Info, Zeek 3.0+) in TSV and JSON: each DHCP conversation that names a
// host and an address becomes a lease. Fixture: test/fixtures/network/office.dhcp.log, written
// from the Zeek documentation's dhcp.log page and DHCP::Info field list.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { zeek } from '../../../src/ingest/network/zeek.ts';
import type { LeaseEvent } from '../../../src/model/event.ts';
import { REPO_ROOT } from '../../support/data.ts';
import { decodeFile, decodeText } from '../linux/decode.ts';

const FILE = join(REPO_ROOT, 'test/fixtures/network/office.dhcp.log');
const tsv = readFileSync(FILE, 'utf8');
const leases = (evs: unknown[]) => evs as LeaseEvent[];

test('sniffed as a Zeek log from its #path, and from the shape of a JSON record', () => {
  assert.equal(zeek.sniff(Buffer.from(tsv), tsv), 0.97);
  const json =
    '{"ts":"2020-10-02T04:14:39.135304Z","uids":["COoA8M1gbTowuPlVT"],"client_addr":"192.168.4.152","mac":"3c:58:c2:2f:91:21","host_name":"3071N0098017422","msg_types":["DISCOVER","OFFER","REQUEST","ACK"]}';
  assert.equal(zeek.sniff(Buffer.from(json), json), 0.9);
});

test('TSV: a full DORA, a renewal, an INFORM and a RELEASE bind; a DISCOVER alone binds nothing', async () => {
  const r = await decodeFile(FILE);
  assert.equal(r.stats.format, 'zeek');
  assert.deepEqual(r.problems, []);
  assert.equal(r.ignored, 1, 'the unanswered DISCOVER names no address');
  assert.deepEqual(
    leases(r.events).map((e) => [e.time, e.host, e.ip, e.mac, e.leaseSec, e.src.format, e.src.record]),
    [
      [
        1770710402119,
        'WKS-DAVE.corp.example',
        '10.20.40.57',
        '3c:58:c2:2f:91:21',
        86400,
        'zeek-dhcp',
        'C9nQ2c3bYgq1pWk7Xa',
      ],
      [
        1770711005004,
        'PRN-3F-01',
        '10.20.40.61',
        'a4:bb:6d:21:07:9c',
        86400,
        'zeek-dhcp',
        'CxY7uI9oP1aS3dF5g7',
      ],
      [
        1770711300716,
        'LAB-BUILD7',
        '10.20.40.88',
        'f0:2f:74:ce:3a:10',
        undefined,
        'zeek-dhcp',
        'CzA1sD3fG5hJ7kL9q2',
      ],
      [
        1770713100240,
        'WKS-CARA.corp.example',
        '10.20.40.23',
        '54:e1:ad:7c:90:0b',
        0,
        'zeek-dhcp',
        'CbN3mQ5wE7rT9yU1i4',
      ],
    ],
  );
  assert.ok(r.events.every((e) => e.kind === 'lease' && e.platform === 'network'));
});

test('JSON: the record of the Zeek documentation (ISO ts, uids and msg_types as arrays)', () => {
  const line =
    '{"ts":"2020-10-02T04:14:39.135304Z","uids":["COoA8M1gbTowuPlVT","CapFoX32zVg3R6TATc"],"client_addr":"192.168.4.152","server_addr":"192.168.4.1","mac":"3c:58:c2:2f:91:21","host_name":"3071N0098017422","client_fqdn":"3071N0098017422.fcps.edu","domain":"localdomain","requested_addr":"192.168.4.152","assigned_addr":"192.168.4.152","lease_time":86400,"msg_types":["DISCOVER","OFFER","REQUEST","ACK"],"duration":0.416348934173584}';
  const r = decodeText(zeek, line);
  assert.deepEqual(r.problems, []);
  const [e] = leases(r.events);
  assert.deepEqual(
    [e.time, e.host, e.ip, e.leaseSec, e.src.record],
    [
      Date.parse('2020-10-02T04:14:39.135Z'),
      '3071N0098017422.fcps.edu',
      '192.168.4.152',
      86400,
      'COoA8M1gbTowuPlVT',
    ],
  );
});

test('bad dhcp records are reported with their line; a dhcp block without ts is reported once', () => {
  const head = tsv.split('\n').slice(0, 8).join('\n');
  const text = [
    head,
    'soon\tCa\t10.0.0.9\t-\taa:bb:cc:dd:ee:ff\tX\t-\t-\t-\t10.0.0.9\t60\t-\t-\tREQUEST,ACK\t0',
    '#fields\tuids\tclient_addr\thost_name',
    'Cb\t10.0.0.8\tY',
    'Cc\t10.0.0.7\tZ',
  ].join('\n');
  const r = decodeText(zeek, text);
  assert.equal(r.events.length, 0);
  assert.deepEqual(
    r.problems.map((p) => [p.line, p.message]),
    [
      [9, 'dhcp record without a readable ts ("soon"); skipped'],
      [10, 'Zeek dhcp log: #fields has no ts; its lines are skipped'],
    ],
  );
});
