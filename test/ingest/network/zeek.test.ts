import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { zeek } from '../../../src/ingest/network/zeek.ts';
import { windowsJson } from '../../../src/ingest/windows/windows-json.ts';
import type { NetworkEvent } from '../../../src/model/event.ts';
import { needsData, REPO_ROOT, sharedData } from '../../support/data.ts';
import { decodeFile, decodeText } from '../linux/decode.ts';

const tsv = readFileSync(join(REPO_ROOT, 'test/fixtures/network/linux-hosts.conn.log'), 'utf8');
const flows = (evs: unknown[]) => evs as NetworkEvent[];

test('sniffs TSV with its header and NDJSON in both spellings', () => {
  assert.equal(zeek.sniff(Buffer.from(tsv), tsv), 0.97);
  const dotted =
    '{"ts":1,"uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":1,"id.resp_h":"1.1.1.1","id.resp_p":53}';
  const under =
    '{"ts":1,"uid":"C1","id_orig_h":"10.0.0.1","id_orig_p":1,"id_resp_h":"1.1.1.1","id_resp_p":53}';
  assert.equal(zeek.sniff(Buffer.from(dotted), dotted), 0.95);
  assert.equal(zeek.sniff(Buffer.from(under), under), 0.95);
  const flatWindows = '{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Hostname":"h"}';
  assert.equal(zeek.sniff(Buffer.from(flatWindows), flatWindows), 0);
  assert.equal(windowsJson.sniff(Buffer.from(dotted), dotted), 0);
});

test('TSV: every field of a conn record, by the header', () => {
  const { events, problems, ignored } = decodeText(zeek, tsv, 'conn.log');
  assert.deepEqual(problems, []);
  assert.equal(ignored, 0);
  assert.equal(events.length, 11);
  const relay = flows(events).find((e) => e.src.record === 'CrelayWeb01a')!;
  assert.deepEqual(relay, {
    kind: 'network',
    time: 1700000008500,
    host: '10.0.0.5',
    platform: 'network',
    src: { file: 'conn.log', format: 'zeek-conn', line: 9, record: 'CrelayWeb01a', eventId: 'conn' },
    flow: true,
    direction: 'outbound',
    protocol: 'tcp',
    srcIp: '10.0.0.5',
    srcPort: 45512,
    dstIp: '203.0.113.50',
    dstPort: 443,
    durationSec: 3600.512,
    bytesOut: 48000000,
    bytesIn: 900000,
    state: 'SF',
  });
  // unset fields (-) are absent, local_orig unset gives an unknown direction
  const bg = flows(events).find((e) => e.src.record === 'Cbackground')!;
  assert.deepEqual(
    [bg.bytesOut, bg.bytesIn, bg.direction, bg.state],
    [undefined, undefined, 'unknown', 'S0'],
  );
  const v6 = flows(events).find((e) => e.src.record === 'CrelayWeb01b')!;
  assert.equal(v6.dstIp, '2001:db8::50');
});

test('TSV: another separator, several header blocks, a non-conn block and extra label columns', () => {
  const text = [
    '#separator \\x2c',
    '#set_separator,;',
    '#empty_field,(empty)',
    '#unset_field,-',
    '#path,conn',
    '#fields,ts,uid,id.orig_h,id.orig_p,id.resp_h,id.resp_p,proto,duration,label',
    '1700000000.5,C1,10.0.0.1,5000,198.51.100.9,443,tcp,12.5,Malicious',
    '#separator \\x09',
    '#path\tdns',
    '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tquery',
    '1700000001.0\tC2\t10.0.0.1\t5353\t10.0.0.53\t53\texample.org',
  ].join('\n');
  const { events, problems, ignored } = decodeText(zeek, text);
  assert.deepEqual(problems, []);
  assert.equal(ignored, 1);
  assert.equal(events.length, 1);
  const e = flows(events)[0];
  assert.deepEqual(
    [e.srcIp, e.dstIp, e.dstPort, e.durationSec, e.bytesOut],
    ['10.0.0.1', '198.51.100.9', 443, 12.5, undefined],
  );
});

test('JSON: dotted, underscored and nested names; NSM streams other than conn are ignored without parsing', () => {
  const text = [
    '{"_path":"conn","ts":1700000000.25,"uid":"Ca","id.orig_h":"10.0.0.2","id.orig_p":1,"id.resp_h":"203.0.113.1","id.resp_p":443,"proto":"tcp","duration":30.5,"orig_bytes":10,"resp_bytes":20,"conn_state":"SF","local_orig":true}',
    '{"@stream":"conn","ts":"2023-11-14T22:13:21.000Z","uid":"Cb","id_orig_h":"10.0.0.3","id_orig_p":2,"id_resp_h":"203.0.113.2","id_resp_p":22,"proto":"tcp","conn_state":"S0"}',
    '{"ts":1700000002,"uid":"Cc","id":{"orig_h":"10.0.0.4","orig_p":3,"resp_h":"203.0.113.3","resp_p":80},"proto":"tcp","history":"Sh"}',
    '{"@stream":"dns","ts":1700000003,"uid":"Cd","id_orig_h":"10.0.0.5","query":"example.org"}',
    '{"_path":"ssl", this line is not even JSON',
    '{"ts":1700000004,"uid":"Ce","id.orig_h":"10.0.0.6","query":"x"}',
  ].join('\n');
  const { events, problems, ignored } = decodeText(zeek, text);
  assert.deepEqual(problems, []);
  assert.equal(ignored, 3);
  assert.deepEqual(
    flows(events).map((e) => [e.time, e.srcIp, e.dstIp, e.dstPort, e.direction, e.durationSec ?? null]),
    [
      [1700000000250, '10.0.0.2', '203.0.113.1', 443, 'outbound', 30.5],
      [1700000001000, '10.0.0.3', '203.0.113.2', 22, 'unknown', null],
      [1700000002000, '10.0.0.4', '203.0.113.3', 80, 'unknown', null],
    ],
  );
});

test('malformed lines are reported with their line and skipped', () => {
  const text = [
    '1700000000.1\tCx\t10.0.0.1\t1\t1.1.1.1\t53', // data before any #fields
    tsv.split('\n').slice(0, 8).join('\n'),
    'not-a-time\tC1\t10.0.0.1\t1\t1.1.1.1\t53\tudp\t-\t0.1\t1\t1\tSF\tT\tF\t0\tDd\t1\t1\t1\t1\t-',
    '1700000000.1\tC2\t10.0.0.1', // too few columns
    '1700000000.2\tC3\t-\t1\t1.1.1.1\t53\tudp\t-\t0.1\t1\t1\tSF\tT\tF\t0\tDd\t1\t1\t1\t1\t-', // no originator
    '1700000000.3\tC4\t10.0.0.1\t1\t1.1.1.1\t53\tudp\t-\t0.1\t1\t1\tSF\tT\tF\t0\tDd\t1\t1\t1\t1\t-',
  ].join('\n');
  const { events, problems } = decodeText(zeek, text);
  assert.equal(events.length, 1);
  assert.deepEqual(
    problems.map((p) => p.line),
    [1, 10, 11, 12],
  );
  assert.match(problems[0].message, /before any #fields/);
  assert.match(problems[1].message, /ts/);
  assert.match(problems[2].message, /columns/);
});

test('hostile input: cut last line, garbage, a 10 MB line, broken JSON', { timeout: 120_000 }, () => {
  const cut = tsv.slice(0, tsv.indexOf('Czabbix') + 20);
  const cases = [
    cut,
    `${tsv}\u0000\u0001\u00ff\u00fe garbage`,
    `${tsv}${'x'.repeat(10 * 1024 * 1024)}`,
    '{"_path":"conn","ts":1,"uid":"C',
    `#separator \\x9\n${tsv}`, // odd hex escape: reported, the tab default stays
  ];
  for (const text of cases) {
    const r = decodeText(zeek, text);
    assert.ok(r.problems.length >= 1);
  }
  assert.equal(decodeText(zeek, cut).events.length, 8);
});

const STRATO = 'stratosphere-security-datasets-for-testing';
const MALICIOUS = `${STRATO}/003-zeek-scenario-malicious/conn.log`;
const MIXED = `${STRATO}/010-zeek-mixed/data/conn.log.labeled`;
const COMBINED = 'otrf-security-datasets/compound/apt29/day2/zeek/combined_zeek.log';

test(
  'AndroidTester RAT: the 2362 s session comes out as a flow',
  needsData(sharedData(MALICIOUS)),
  async () => {
    const r = await decodeFile(sharedData(MALICIOUS)!);
    assert.equal(r.stats.format, 'zeek');
    assert.deepEqual(r.problems, []);
    assert.equal(r.events.length, 361);
    const rat = flows(r.events).find(
      (e) => e.durationSec !== undefined && Math.round(e.durationSec) === 2362,
    )!;
    assert.deepEqual(
      [rat.srcIp, rat.dstIp, rat.dstPort, rat.bytesOut, rat.bytesIn, rat.flow],
      ['10.8.0.61', '147.32.83.234', 1337, 952235, 2835, true],
    );
  },
);

test('labelled conn log: extra columns, no #close, no problems', needsData(sharedData(MIXED)), async () => {
  const r = await decodeFile(sharedData(MIXED)!);
  assert.equal(r.stats.format, 'zeek');
  assert.deepEqual(r.problems, []);
  assert.equal(r.events.length, 5347);
});

test(
  'NSM pipeline: the 1172 conn and 125 answered dns records become events, the rest is summed up once',
  needsData(sharedData(COMBINED)),
  async () => {
    const r = await decodeFile(sharedData(COMBINED)!);
    assert.equal(r.stats.format, 'zeek');
    assert.deepEqual(r.problems, []);
    assert.equal(r.events.filter((e) => e.kind === 'network').length, 1172);
    assert.equal(r.events.filter((e) => e.kind === 'dns').length, 125);
    assert.equal(r.ignored, 5664 - 1172 - 125);
    // One line for the whole file, not one per record or per field.
    assert.equal(r.stats.notes?.length, 1);
    assert.match(
      r.stats.notes![0],
      /^skipped 4242 records of Zeek logs ratchain does not read \(2880 loaded_scripts, 686 ssl, 388 dce_rpc, /,
    );
  },
);

test('other Zeek logs are recognised by #path and summed up in one note per file, never as problems', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ratchain-zeek-'));
  try {
    const header = (path: string, fields: string) =>
      [
        '#separator \\x09',
        '#set_separator\t,',
        '#empty_field\t(empty)',
        '#unset_field\t-',
        `#path\t${path}`,
        '#open\t2026-02-10-08-00-00',
        `#fields\t${fields}`,
      ].join('\n');
    const ssl = [
      header('ssl', 'ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tversion\tcipher\tserver_name'),
      '1770714720.1\tCa\t10.20.40.23\t50812\t203.0.113.77\t443\tTLSv13\tTLS_AES_128_GCM_SHA256\trs-ny.rustdesk.com',
      '1770714721.1\tCb\t10.20.40.23\t50813\t203.0.113.78\t443\tTLSv13\tTLS_AES_128_GCM_SHA256\texample.org',
      header('x509', 'ts\tfingerprint\tcertificate.version\tcertificate.subject'),
      '1770714720.2\tabc\t3\tCN=rs-ny.rustdesk.com',
      '#close\t2026-02-10-09-00-00',
    ].join('\n');
    const file = join(dir, 'ssl.log');
    writeFileSync(file, `${ssl}\n`);
    const r = await decodeFile(file);
    assert.equal(r.stats.format, 'zeek');
    assert.deepEqual(r.problems, []);
    assert.equal(r.events.length, 0);
    assert.equal(r.ignored, 3);
    assert.deepEqual(r.stats.notes, [
      'skipped 3 records of Zeek logs ratchain does not read (2 ssl, 1 x509); read: conn, dns, dhcp',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
