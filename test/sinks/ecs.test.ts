// ECS export: each finding becomes one alert document (event.kind: alert) that validates against
// schema/ecs-alert.schema.json, generated from Elastic's ECS 8.11 field list (the validation against
// the field lists themselves is test/sinks/schemas.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../src/model/finding.ts';
import { ECS_VERSION, toEcs } from '../../src/sinks/ecs.ts';
import { CORPUS_CASES, huntCase } from '../support/corpus.ts';
import { approvedButAnomalous, fullChain, partialChain } from '../support/findings.ts';
import { schemaCheck } from '../support/json-schema.ts';

const check = schemaCheck('ecs-alert.schema.json');

// biome-ignore lint/suspicious/noExplicitAny: the test reads arbitrary ECS fields
function exported(f: Finding): any {
  return JSON.parse(JSON.stringify(toEcs(f, { now: new Date('2026-11-04T00:00:00Z') })));
}

describe('toEcs (ECS 8.11 alert)', () => {
  it('targets ECS 8.11.0', () => assert.equal(ECS_VERSION, '8.11.0'));

  for (const [name, f] of [
    ['full chain', fullChain()],
    ['partial chain', partialChain()],
    ['approved but anomalous', approvedButAnomalous()],
    [
      'no user, no egress, network platform',
      partialChain({ user: undefined, egress: [], platform: 'network' }),
    ],
  ] as Array<[string, Finding]>) {
    it(`validates against the schema: ${name}`, () => assert.deepEqual(check(exported(f)), []));
  }

  it('fills rule, threat, host, process, destination and user from a Windows chain', () => {
    const d = exported(fullChain());
    assert.equal(d.event.kind, 'alert');
    assert.equal(d.event.severity, 99);
    assert.equal(d.event.risk_score, 100);
    assert.equal(d['@timestamp'], '2026-11-03T09:25:03.000Z');
    assert.equal(d.rule.id, 'AN1366');
    assert.match(d.rule.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(d.event.id, 'cdd89903f49a26b09d8ab3c5.0');
    assert.equal(d.event.created, '2026-11-04T00:00:00.000Z');
    assert.equal(d.host.id, 'ws-fin-07');
    assert.deepEqual(d.threat.technique.id, ['T1219']);
    assert.deepEqual(d.threat.tactic.id, ['TA0011']);
    assert.deepEqual(d.host.os, { type: 'windows', family: 'windows', platform: 'windows' });
    assert.equal(d.process.executable, 'C:\\Users\\jdoe\\Downloads\\AnyDesk.exe');
    assert.equal(d.process.name, 'AnyDesk.exe');
    assert.equal(d.process.pe.original_file_name, 'AnyDesk.exe');
    assert.equal(d.process.hash.sha256, '9d2a7c41e5b3f6a8c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3');
    assert.deepEqual(d.destination, {
      ip: '203.0.113.45',
      address: 'relay-7f3a91c2.net.anydesk.com',
      port: 443,
      domain: 'relay-7f3a91c2.net.anydesk.com',
    });
    assert.deepEqual(d.user, { name: 'jdoe', domain: 'CORP' });
    assert.deepEqual(d.related.ip, ['203.0.113.45']);
  });

  it('describes the analytic in rule.*, the same for every finding of it', () => {
    const a = exported(fullChain());
    const b = exported(fullChain({ id: 'another0000000000000000', revision: 4, title: 'other', score: 60 }));
    assert.deepEqual(a.rule, b.rule);
    assert.notEqual(exported(partialChain()).rule.uuid, a.rule.uuid);
    assert.equal(a.rule.reference, 'https://attack.mitre.org/detectionstrategies/DET0496/');
  });

  it('writes a numeric Unix account as user.id, never as user.name', () => {
    const d = exported(partialChain({ user: '1001', userId: '1001' }));
    assert.deepEqual(d.user, { id: '1001' });
    assert.deepEqual(d.related.user, ['1001']);
  });

  it('puts flow bytes on source/destination and the chain under ratchain.*', () => {
    const d = exported(partialChain());
    assert.deepEqual(d.host.os.type, 'linux');
    assert.equal(d.source.bytes, 9_000_000);
    assert.equal(d.destination.bytes, 400_000);
    assert.deepEqual(d.ratchain.missing, ['persistence']);
    assert.equal(d.ratchain.steps[1].seen, false);
    assert.equal(d.ratchain.steps[0].evidence[0].src.file, 'audit/audit.log');
  });

  it('keeps the approval and the anomaly reason of an approved tool', () => {
    const d = exported(approvedButAnomalous());
    assert.equal(d.host.os.type, 'macos');
    assert.match(d.ratchain.agent.approved_by, /ProcessAllowlist\[0\]/);
    assert.ok(d.ratchain.reasons.some((r: { code: string }) => r.code === 'approved_but_anomalous'));
    assert.deepEqual(d.process.code_signature, { subject_name: 'TeamViewer Germany GmbH', exists: true });
  });

  it('the schema rejects what ECS forbids (so the validation can fail)', () => {
    const d = exported(fullChain());
    assert.notDeepEqual(check({ ...d, event: { ...d.event, kind: 'finding' } }), []);
    assert.notDeepEqual(check({ ...d, event: { ...d.event, category: ['remote_access'] } }), []);
    assert.notDeepEqual(check({ ...d, host: { ...d.host, os: { type: 'darwin' } } }), []);
    assert.notDeepEqual(check({ ...d, destination: { ip: 'relay.example' } }), []);
    assert.notDeepEqual(check({ ...d, '@timestamp': 1793610723204 }), []);
    assert.notDeepEqual(check({ ...d, hostname: 'top-level typo' }), []);
    assert.notDeepEqual(check({ ...d, host: { ...d.host, nickname: 'typo' } }), []);
  });

  it("fills process.pid, entity_id, command_line, args and parent from the agent's own record", async () => {
    const f = (await huntCase(CORPUS_CASES[0])).find((x) => x.title.startsWith('AnyDesk'))!;
    const p = exported(f).process;
    assert.equal(p.pid, 7312);
    assert.equal(p.entity_id, '{8a3f2c1d-0001-6571-2a03-000000000b00}');
    assert.deepEqual(p.args, ['C:\\Users\\jdoe\\Downloads\\AnyDesk.exe']);
    assert.deepEqual(p.parent, {
      pid: 4480,
      executable: 'C:\\Windows\\explorer.exe',
      name: 'explorer.exe',
      command_line: 'C:\\Windows\\Explorer.EXE',
      args: ['C:\\Windows\\Explorer.EXE'],
    });
    const t = exported(f).threat;
    assert.deepEqual(t.technique.id, ['T1219', 'T1543', 'T1059']);
    assert.deepEqual(t.technique.subtechnique.id, ['T1543.003', 'T1059.003', 'T1059.001']);
    assert.deepEqual(t.tactic.name, ['Command and Control', 'Persistence', 'Execution']);
  });

  it('fills process.code_signature from what the macOS sensors report (signer, signing and team ids)', async () => {
    const findings = await huntCase(CORPUS_CASES.find((c) => c.name === 'fixtures-macos')!);
    const signature = (title: string) =>
      exported(findings.find((f) => f.title.startsWith(title))!).process.code_signature;
    // Elastic Endpoint's process.code_signature, as the fixture's sensor wrote it.
    assert.deepEqual(signature('helper on mbp-bob'), {
      exists: true,
      subject_name: 'Developer ID Application: Remote Helper Ltd (RHX1234567)',
      signing_id: 'com.remotehelper.helper',
      team_id: 'RHX1234567',
    });
    // eslogger's signing_id and team_id: no subject name, but a team id means signed code.
    assert.deepEqual(signature('TeamViewer on approved-app'), {
      exists: true,
      signing_id: 'com.teamviewer.TeamViewer',
      team_id: 'H7UGFBUGV6',
    });
  });
});
