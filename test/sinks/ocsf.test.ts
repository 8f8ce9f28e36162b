// OCSF export: each finding becomes one Detection Finding (class_uid 2004) that validates against
// schema/ocsf-detection-finding.schema.json, generated from the OCSF 1.8.0 schema source (the full
// validation against the source itself is test/sinks/schemas.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../src/model/finding.ts';
import { OCSF_VERSION, toOcsf } from '../../src/sinks/ocsf.ts';
import { CORPUS_CASES, huntCase } from '../support/corpus.ts';
import { approvedButAnomalous, fullChain, partialChain } from '../support/findings.ts';
import { schemaCheck } from '../support/json-schema.ts';

const check = schemaCheck('ocsf-detection-finding.schema.json');

/** What a SIEM receives: the JSON text, not the in-memory object. */
// biome-ignore lint/suspicious/noExplicitAny: the test reads arbitrary OCSF fields
function exported(f: Finding): any {
  return JSON.parse(JSON.stringify(toOcsf(f)));
}

describe('toOcsf (OCSF 1.8.0 Detection Finding)', () => {
  it('targets OCSF 1.8.0', () => assert.equal(OCSF_VERSION, '1.8.0'));

  for (const [name, f] of [
    ['full chain', fullChain()],
    ['partial chain', partialChain()],
    ['approved but anomalous', approvedButAnomalous()],
    ['suppressed', fullChain({ status: 'suppressed', severity: 'info', score: 40 })],
    ['streaming update', fullChain({ revision: 3 })],
  ] as Array<[string, Finding]>) {
    it(`validates against the schema: ${name}`, () => assert.deepEqual(check(exported(f)), []));
  }

  it('maps a critical four-step chain to the finding_info, ATT&CK, device and actor fields', () => {
    const o = exported(fullChain());
    assert.equal(o.class_uid, 2004);
    assert.equal(o.type_uid, 200401);
    assert.equal(o.severity_id, 5);
    assert.equal(o.status_id, 1);
    assert.equal(o.is_alert, true);
    assert.equal(o.confidence_id, 3);
    assert.equal(o.metadata.version, '1.8.0');
    assert.deepEqual(o.metadata.profiles, ['host']);
    assert.equal(o.finding_info.uid, 'cdd89903f49a26b09d8ab3c5');
    assert.equal(o.finding_info.analytic.uid, 'AN1366');
    assert.equal(o.finding_info.attacks[0].technique.uid, 'T1219');
    assert.equal(o.finding_info.attacks[0].tactic.uid, 'TA0011');
    assert.deepEqual(o.device.os, { name: 'Windows', type_id: 100, type: 'Windows' });
    assert.equal(o.device.uid, 'ws-fin-07');
    assert.deepEqual(o.actor.user, { name: 'jdoe', domain: 'CORP' });
    assert.equal(o.start_time, fullChain().firstSeen);
    assert.equal(o.end_time, fullChain().lastSeen);
  });

  it("keeps the agent's binaries as file evidence with their hashes and product", () => {
    const o = exported(fullChain());
    const files = o.evidences.filter((e: { name: string }) => e.name === 'agent binary');
    assert.deepEqual(
      files.map((e: { file: { path: string } }) => e.file.path),
      fullChain().agent.images,
    );
    assert.deepEqual(files[0].file.hashes[0], {
      algorithm_id: 3,
      algorithm: 'SHA-256',
      value: '9d2a7c41e5b3f6a8c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3',
    });
    assert.deepEqual(files[0].file.product, { name: 'AnyDesk', vendor_name: 'AnyDesk Software GmbH' });
    assert.equal(files[0].file.type_id, 8);
  });

  it('writes a numeric Unix account as user.uid, never as a name', () => {
    const o = exported(partialChain({ user: '1001', userId: '1001' }));
    assert.deepEqual(o.actor.user, { uid: '1001' });
  });

  it('keeps every record behind a step as an evidence with its file and line, plus each destination', () => {
    const o = exported(fullChain());
    const service = o.evidences.find((e: { uid: string }) => e.uid === 'logs/ws-fin-07-sysmon.xml:3#9120');
    assert.equal(service.name, 'S2 persistence');
    assert.equal(service.data.source.event_id, '7045');
    const dst = o.evidences.find((e: { dst_endpoint?: unknown }) => e.dst_endpoint);
    assert.deepEqual(dst.dst_endpoint, {
      ip: '203.0.113.45',
      port: 443,
      hostname: 'relay-7f3a91c2.net.anydesk.com',
    });
    assert.equal(o.evidences.length, 1 + 1 + 5 + 1 + 1 + 2);
  });

  it('lists hosts, addresses, domains, accounts, paths and hashes as observables', () => {
    const o = exported(fullChain());
    const obs = o.observables.map((x: { type_id: number; value: string }) => `${x.type_id} ${x.value}`);
    for (const want of [
      '1 WS-FIN-07',
      '47 ws-fin-07',
      '4 jdoe',
      '2 203.0.113.45',
      '1 relay-7f3a91c2.net.anydesk.com',
      '45 C:\\Users\\jdoe\\Downloads\\AnyDesk.exe',
      '8 9d2a7c41e5b3f6a8c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3',
    ])
      assert.ok(obs.includes(want), `${want} among ${obs.join(' | ')}`);
  });

  it('marks a suppressed approved tool Suppressed and an update as activity Update', () => {
    assert.equal(exported(fullChain({ status: 'suppressed' })).status_id, 3);
    const upd = exported(fullChain({ revision: 2 }));
    assert.deepEqual([upd.activity_id, upd.type_uid], [2, 200402]);
  });

  it('maps macOS and Linux to their OCSF os type ids and keeps missing steps and reasons', () => {
    assert.equal(exported(approvedButAnomalous()).device.os.type_id, 300);
    const p = exported(partialChain());
    assert.equal(p.device.os.type_id, 200);
    assert.deepEqual(p.unmapped.ratchain.missing, ['persistence']);
    assert.equal(p.unmapped.ratchain.reasons[0].code, 'steps');
  });

  it('the schema rejects what OCSF forbids (so the validation can fail)', () => {
    const o = exported(fullChain());
    assert.notDeepEqual(check({ ...o, class_uid: 2001 }), []);
    assert.notDeepEqual(check({ ...o, severity_id: 7 }), []);
    assert.notDeepEqual(check({ ...o, finding_info: { title: 'no uid' } }), []);
    assert.notDeepEqual(check({ ...o, device: { ...o.device, os: { name: 'macOS', type_id: 3 } } }), []);
    assert.notDeepEqual(check({ ...o, metadata: { ...o.metadata, version: '1.3.0' } }), []);
    assert.notDeepEqual(check({ ...o, evidences: [{ name: 'empty' }] }), []);
    assert.notDeepEqual(check({ ...o, type_uid: 200402 }), []);
  });

  it('maps the records of the AnyDesk example to OCSF process, job-free data, endpoint and connection objects', async () => {
    const f = (await huntCase(CORPUS_CASES[0])).find((x) => x.title.startsWith('AnyDesk'))!;
    const o = exported(f);
    assert.equal(o.actor.process.pid, 7312);
    assert.equal(o.actor.process.uid, '{8a3f2c1d-0001-6571-2a03-000000000b00}');
    assert.equal(o.actor.process.parent_process.name, 'explorer.exe');
    assert.equal(o.actor.process.file.product.vendor_name, 'AnyDesk Software GmbH');
    const byStep = (label: string) => o.evidences.filter((e: { name: string }) => e.name === label);
    const shell = byStep('S4 interactive control')[1];
    assert.match(shell.process.cmd_line, /^powershell\.exe -nop -w hidden -enc /);
    assert.equal(shell.process.parent_process.pid, 6016);
    assert.deepEqual(shell.process.user, { name: 'SYSTEM', domain: 'NT AUTHORITY' });
    assert.deepEqual(byStep('S2 persistence')[0].data.entry, {
      mechanism: 'service',
      name: 'AnyDesk',
      command: '"C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe" --service',
    });
    const egress = byStep('S3 egress')[0];
    assert.equal(egress.dst_endpoint.ip, '203.0.113.45');
    assert.equal(egress.dst_endpoint.port, 443);
    assert.equal(egress.connection_info.direction_id, 2);
    const attacks = o.finding_info.attacks.map(
      (a: { technique: { uid: string }; sub_technique?: { uid: string }; tactic: { uid: string } }) =>
        `${a.sub_technique?.uid ?? a.technique.uid} ${a.tactic.uid}`,
    );
    assert.deepEqual(attacks, ['T1219 TA0011', 'T1543.003 TA0003', 'T1059.003 TA0002', 'T1059.001 TA0002']);
  });

  it('maps a launchd plist to a file evidence and an accepted connection to src_endpoint', async () => {
    const [mac] = (await huntCase(CORPUS_CASES[0])).filter((x) => x.platform === 'macos');
    const o = exported(mac);
    const plist = o.evidences.find((e: { file?: { path: string } }) => e.file?.path.endsWith('.plist'));
    assert.equal(plist.file.path, '/Users/alice/Library/LaunchAgents/com.syncd.agent.plist');
    const f = partialChain();
    f.steps[2].evidence[0].endpoint = {
      ip: '198.51.100.7',
      port: 51000,
      direction: 'inbound',
      srcIp: '10.0.0.5',
      srcPort: 22,
    };
    const inbound = exported(f).evidences.find((e: { connection_info?: unknown }) => e.connection_info);
    assert.deepEqual(inbound.src_endpoint, { ip: '198.51.100.7', port: 51000 });
    assert.deepEqual(inbound.dst_endpoint, { ip: '10.0.0.5', port: 22 });
    assert.equal(inbound.connection_info.direction, 'Inbound');
  });

  it("carries the finding's remediation as OCSF remediation guidance", async () => {
    const f = (await huntCase(CORPUS_CASES[0])).find((x) => x.title.startsWith('AnyDesk'))!;
    const o = exported(f);
    assert.match(o.remediation.desc, /^1\. End the agent's process 7312/);
    assert.match(o.remediation.desc, /\n3\. Stop and delete the service AnyDesk\n {3}sc\.exe stop "AnyDesk"/);
    assert.equal(o.unmapped.ratchain.remediation.length, f.remediation!.length);
  });
});
