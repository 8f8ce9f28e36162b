// Real third-party telemetry (../shared/data; skipped visibly when absent): the OTRF atomic
// Windows datasets and the two JSON renderings of the SigmaHQ regression data. The labs put their
// "internet" C2 on 10.10.10.5, so, as a user would, the hunt carves it out of the internal
// networks. Expectations come from the datasets' own descriptions (../shared/data/README.md).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema, DEFAULT_INTERNAL_NETWORKS } from '../../src/config/schema.ts';
import { hunt } from '../../src/hunt.ts';
import type { Problem } from '../../src/ingest/reader.ts';
import type { Finding, StepId } from '../../src/model/finding.ts';
import type { RunSummary } from '../../src/model/run-summary.ts';
import { runCli } from '../support/cli.ts';
import { needsData, REPO_ROOT, sharedData } from '../support/data.ts';

const ATOMIC = sharedData('otrf-security-datasets/atomic/windows');
const ANYDESK_JSON = sharedData(
  'sigma-regression-data/rules/windows/file/file_event/file_event_win_anydesk_artefact/0b9ad457-2554-44c1-82c2-d56a99c42377.json',
);
const RUNKEY_JSON = sharedData(
  'sigma-regression-data/rules/windows/process_creation/proc_creation_win_reg_add_run_key/de587dce-915e-4218-aac4-835ca6af6f70.json',
);
const PATHS = [ATOMIC, ANYDESK_JSON, RUNKEY_JSON] as string[];
const data = needsData(ATOMIC, ANYDESK_JSON, RUNKEY_JSON);

const INTERNAL = [...DEFAULT_INTERNAL_NETWORKS, '!10.10.10.5/32'];
const PSEXEC = 'empire_psexec_dcerpc_tcp_svcctl_2020-09-20121608.json';
const RUNKEYS = 'empire_persistence_registry_modification_run_keys_elevated_user_2020-07-22001847.json';
const COVENANT = 'covenant_sharpsc_create_dcerpc_smb_svcctl_2020-08-06022635.json';
const SCHTASK = 'schtask_create_2020-12-1907003032.json';

interface Run {
  findings: Finding[];
  summary: RunSummary;
  problems: Problem[];
}

async function huntAll(minSteps: number): Promise<Run> {
  const problems: Problem[] = [];
  const { findings, summary } = await hunt({
    paths: PATHS,
    config: configSchema.parse({ MinSteps: minSteps, InternalNetworks: INTERNAL }),
    catalog: builtinCatalog(),
    onProblem: (p) => problems.push(p),
  });
  return { findings, summary, problems };
}

const seen = (f: Finding): StepId[] => f.steps.filter((s) => s.seen).map((s) => s.step);
/** The dataset files a finding's evidence comes from (base names). */
const files = (f: Finding): Set<string> =>
  new Set(f.steps.flatMap((s) => s.evidence.map((e) => e.src.file.split(/[\\/]/).pop() ?? '')));
const line = (f: Finding) =>
  `${f.host} [${seen(f).join(',')}] ${f.status}/${f.severity} ${f.title} (${[...files(f)].join(', ')})`;

function findingFrom(fs: Finding[], host: RegExp, file: string): Finding | undefined {
  return fs.find((f) => host.test(f.host) && files(f).has(file));
}

describe('OTRF atomic Windows datasets and SigmaHQ regression JSON', { ...data }, () => {
  let two: Run;
  before(async () => {
    if (data.skip) return;
    two = await huntAll(2);
  });

  test('every input reads without problems; the AnyDesk sigma JSON gives its 5 file events', () => {
    assert.deepEqual(
      two.problems.map((p) => `${p.file}:${p.line}: ${p.message}`),
      [],
    );
    assert.equal(two.summary.inputs.length, 7, two.summary.inputs.map((i) => i.input).join('\n'));
    assert.ok(two.summary.inputs.every((i) => i.format === 'windows-json' && i.events > 0));
    const anydesk = two.summary.inputs.find((i) => i.input === ANYDESK_JSON)!;
    assert.equal(anydesk.events, 5);
    assert.deepEqual(anydesk.byKind, { file: 5 });
    assert.equal(anydesk.problems, 0);
  });

  test('WORKSTATION6 (Empire psexec): service Updater, cmd → powershell, beacons to 10.10.10.5: a 4-step alert', () => {
    const f = findingFrom(two.findings, /^WORKSTATION6\b/i, PSEXEC);
    assert.ok(f, `no finding from ${PSEXEC} on WORKSTATION6:\n${two.findings.map(line).join('\n')}`);
    for (const s of ['execution', 'persistence', 'control'] as const)
      assert.ok(seen(f).includes(s), `${s}: ${line(f)}`);
    assert.ok(seen(f).includes('egress'), `egress to 10.10.10.5 too: ${line(f)}`);
    assert.equal(f.status, 'alert');
    assert.match(f.steps.find((s) => s.step === 'persistence')!.summary, /Updater/);
    assert.ok(f.egress.some((d) => d.ip === '10.10.10.5'));
  });

  test('WORKSTATION5 (Empire run keys): Run\\Updater and beaconing to 10.10.10.5: persistence and egress', () => {
    const f = findingFrom(two.findings, /^WORKSTATION5\b/i, RUNKEYS);
    assert.ok(f, `no finding from ${RUNKEYS} on WORKSTATION5:\n${two.findings.map(line).join('\n')}`);
    assert.ok(seen(f).includes('persistence'), line(f));
    assert.ok(seen(f).includes('egress'), line(f));
    assert.match(f.steps.find((s) => s.step === 'persistence')!.summary, /run key "Updater"/i);
    assert.ok(f.egress.some((d) => d.ip === '10.10.10.5' && d.port === 80));
  });

  test('no finding at MinSteps 2 for hosts that show only background (MORDORDC, any other host)', () => {
    // Allowed: the two chains above, and the remote `schtasks /create` on WORKSTATION5 in
    // schtask_create (a real attack's S1+S2, no egress, no shell), but only as a low signal.
    const allowed = (f: Finding) =>
      (/^WORKSTATION6\b/i.test(f.host) && files(f).has(PSEXEC)) ||
      (/^WORKSTATION5\b/i.test(f.host) && files(f).has(RUNKEYS)) ||
      (/^WORKSTATION5\b/i.test(f.host) &&
        files(f).has(SCHTASK) &&
        f.status === 'signal' &&
        ['info', 'low'].includes(f.severity));
    const unexpected = two.findings.filter((f) => !allowed(f));
    assert.deepEqual(unexpected.map(line), [], 'findings on background-only hosts');
    assert.ok(!two.findings.some((f) => /^MORDORDC/i.test(f.host)));
  });

  test("MinSteps 1: covenant's GruntHTTP2.exe service is a persistence step on WORKSTATION6", async () => {
    const one = await huntAll(1);
    const f = one.findings.find(
      (x) =>
        /^WORKSTATION6\b/i.test(x.host) &&
        files(x).has(COVENANT) &&
        x.agent.images.some((i) => /GruntHTTP2\.exe$/i.test(i)),
    );
    assert.ok(
      f,
      `no GruntHTTP2 finding:\n${one.findings
        .filter((x) => /WORKSTATION6/i.test(x.host))
        .map(line)
        .join('\n')}`,
    );
    assert.ok(seen(f).includes('persistence'), line(f));
    assert.match(f.steps.find((s) => s.step === 'persistence')!.summary, /GruntHTTP2\.exe/i);
  });

  describe('the CLI on the same inputs', () => {
    let out: Finding[] = [];
    let stderr = '';
    before(async () => {
      if (data.skip) return;
      const r = await runCli('hunt', ...PATHS, '--internal', ...INTERNAL, '--min-steps', '2', '--json');
      stderr = r.stderr;
      assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr.slice(-2000)}`);
      out = r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l, i) => {
          try {
            return JSON.parse(l) as Finding;
          } catch (e) {
            throw new Error(`stdout line ${i + 1} is not JSON: ${(e as Error).message}: ${l.slice(0, 200)}`);
          }
        });
    });

    test('`ratchain hunt ... --internal ... --min-steps 2 --json` prints one JSON finding per line, as hunt() finds', () => {
      assert.equal(stderr, '', 'no problems reported');
      assert.ok(out.length >= 2);
      assert.deepEqual(out.map((f) => f.id).sort(), two.findings.map((f) => f.id).sort());
      assert.ok(out.every((f) => f.schema === 'ratchain.finding/1'));
    });

    const SCHEMA = join(REPO_ROOT, 'schema', 'finding.schema.json');
    test(
      'every NDJSON finding validates against schema/finding.schema.json',
      existsSync(SCHEMA) ? {} : { todo: 'schema/finding.schema.json not written yet (the lead owns it)' },
      () => {
        if (!existsSync(SCHEMA)) return;
        const ajv = new Ajv2020({ allErrors: true, strict: false });
        addFormats.default(ajv);
        const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
        for (const f of out) {
          const ok = validate(f);
          assert.ok(ok, `${f.host} ${f.id}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
        }
      },
    );
  });
});
