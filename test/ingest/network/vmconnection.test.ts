import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vmConnection } from '../../../src/ingest/network/vmconnection.ts';
import type { NetworkEvent } from '../../../src/model/event.ts';
import { vmConnectionRow } from '../../support/azure-rows.ts';
import { needsData, sharedData } from '../../support/data.ts';
import { decodeFile, decodeText } from '../linux/decode.ts';

const rec = vmConnectionRow;

test('an outbound live connection: flow, process name, open, bytes by originator', () => {
  const text = [rec({}), rec({ Direction: 'inbound', LinksLive: 0, ConnectionId: 'DEF' })].join('\n');
  assert.equal(vmConnection.sniff(Buffer.from(text), text), 0.96);
  const { events, problems } = decodeText(vmConnection, text, 'vmc.json');
  assert.deepEqual(problems, []);
  const [out, inb] = events as NetworkEvent[];
  assert.deepEqual(out, {
    kind: 'network',
    time: Date.parse('2023-11-14T22:13:20.000Z'),
    host: 'WEB1',
    platform: 'network',
    src: { file: 'vmc.json', format: 'vmconnection', line: 1, record: 'ABC', eventId: 'VMConnection' },
    flow: true,
    direction: 'outbound',
    proc: { image: 'relayd' },
    protocol: 'tcp',
    srcIp: '10.0.0.5',
    srcPort: undefined,
    dstIp: '203.0.113.50',
    dstPort: 443,
    bytesOut: 5000,
    bytesIn: 100,
    open: true,
  });
  // inbound: the remote side originated, so what the machine received is the originator's bytes
  assert.deepEqual([inb.direction, inb.bytesOut, inb.bytesIn, inb.open], ['inbound', 100, 5000, undefined]);
});

test('bad records are reported; other JSON is ignored; hostile input never throws', {
  timeout: 120_000,
}, () => {
  const text = [
    rec({ TimeGenerated: 'yesterday' }),
    rec({ DestinationIp: undefined }),
    '{"Type":"Heartbeat","Computer":"WEB1"}',
    '"a string"',
    `${rec({}).slice(0, 50)}`,
    'x'.repeat(10 * 1024 * 1024),
  ].join('\n');
  const { events, problems, ignored } = decodeText(vmConnection, text);
  assert.equal(events.length, 0);
  assert.equal(ignored, 1);
  assert.deepEqual(
    problems.map((p) => p.line),
    [1, 2, 4, 5], // the cut record swallows the next line as its continuation: one problem
  );
});

const VMC =
  'otrf-security-datasets/compound/Log4Shell/vminsights_vmconnection_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json';

test('Log4Shell: bash outbound to 192.168.2.6:443, still live', needsData(sharedData(VMC)), async () => {
  const r = await decodeFile(sharedData(VMC)!);
  assert.equal(r.stats.format, 'vmconnection');
  assert.deepEqual(r.problems, []);
  assert.equal(r.events.length, 5);
  const shell = (r.events as NetworkEvent[]).find((e) => e.proc?.image === 'bash')!;
  assert.deepEqual(
    [shell.direction, shell.dstIp, shell.dstPort, shell.open, shell.host],
    ['outbound', '192.168.2.6', 443, true, 'UBUNTU5'],
  );
});
