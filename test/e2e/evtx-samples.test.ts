// The EVTX attack samples (../shared/data/evtx-attack-samples; skipped visibly when absent),
// read by the native EVTX reader and hunted as a responder would: the labs' "internet" C2 hosts
// (10.0.2.18, 10.0.2.19) are carved out of the internal networks. Expected steps come from the
// data's own description (../shared/data/README.md).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema, DEFAULT_INTERNAL_NETWORKS } from '../../src/config/schema.ts';
import { hunt } from '../../src/hunt.ts';
import type { Finding, StepId } from '../../src/model/finding.ts';
import { needsData, sharedData } from '../support/data.ts';

const DIR = sharedData('evtx-attack-samples');
const config = configSchema.parse({
  InternalNetworks: [...DEFAULT_INTERNAL_NETWORKS, '!10.0.2.18/32', '!10.0.2.19/32'],
  MinSteps: 1,
});

const seen = (f: Finding): StepId[] => f.steps.filter((s) => s.seen).map((s) => s.step);
const fromFile = (f: Finding, name: string) =>
  f.steps.some((s) => s.evidence.some((e) => e.src.file.endsWith(name)));

describe('EVTX attack samples', { ...needsData(DIR) }, () => {
  let findings: Finding[] = [];
  let problems = 0;
  before(async () => {
    const r = await hunt({ paths: [DIR!], config, catalog: builtinCatalog() });
    findings = r.findings;
    problems = r.summary.problems;
    assert.ok(r.summary.inputs.every((i) => i.format === 'evtx'));
  });

  test('every sample reads without a problem', () => {
    assert.equal(problems, 0);
  });

  test('Metasploit psexec: service "hello" → cmd → powershell → 10.0.2.19:4444 is one 4-step alert', () => {
    const f = findings.find((x) => fromFile(x, 'LM_sysmon_psexec_smb_meterpreter.evtx') && x.stepCount === 4);
    assert.ok(f, findings.map((x) => x.title).join('\n'));
    assert.equal(f.status, 'alert');
    assert.deepEqual(seen(f), ['execution', 'persistence', 'egress', 'control']);
    assert.ok(f.egress.some((d) => d.ip === '10.0.2.19' && d.port === 4444));
    assert.ok(f.reasons.some((r) => r.code === 'suspicious_child'));
  });

  test('powercat: the listener holds a session from 10.0.2.18 and serves cmd → whoami (S3, S4)', () => {
    const f = findings.find((x) => fromFile(x, 'powercat_revShell_sysmon_1_3.evtx'));
    assert.ok(f, findings.map((x) => x.title).join('\n'));
    assert.ok(seen(f).includes('egress') && seen(f).includes('control'), seen(f).join(','));
    assert.ok(f.egress.some((d) => d.ip === '10.0.2.18'));
  });

  test('plink RDP tunnel: plink.exe named from the catalogue, started and talking to 10.0.2.18:80', () => {
    const tunnels = findings.filter((x) => x.agent.tool?.id === 'plink');
    assert.ok(tunnels.length >= 1, findings.map((x) => x.title).join('\n'));
    for (const f of tunnels) assert.deepEqual(seen(f), ['execution', 'egress']);
  });

  test('remote services (7045) are persistence steps naming their programs', () => {
    const services = findings.filter((x) => fromFile(x, 'LM_Remote_Service02_7045.evtx'));
    const names = services.flatMap((x) =>
      x.steps.find((s) => s.step === 'persistence')!.evidence.map((e) => e.summary),
    );
    for (const svc of ['spoolfool', 'spoolsv', 'remotesvc'])
      assert.ok(
        names.some((n) => n.includes(svc)),
        names.join('\n'),
      );
  });

  test('at the default threshold only the psexec chain alerts', async () => {
    const r = await hunt({ paths: [DIR!], config: { ...config, MinSteps: 3 }, catalog: builtinCatalog() });
    assert.deepEqual(
      r.findings.map((f) => [f.host, f.stepCount]),
      [['IEWIN7', 4]],
    );
  });
});
