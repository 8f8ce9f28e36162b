// OCSF and ECS output against the real schemas in ../shared/reference, for every finding made from
// the examples, the fixture groups, the scenario corpus and the fixed simulated fleet (as many
// documents as the golden files and the scenarios hold, so it cannot pass by validating nothing):
// - OCSF 1.8.0 (ocsf-schema-1.8.0, resolved by test/support/ocsf): no unknown, misplaced or wrongly
//   typed attribute, no missing required one, constraints and observables right, both by the
//   resolver's validator and by the JSON Schema generated from it; the committed schema file is
//   exactly what the generator writes.
// - ECS 8.11.0 and 9.4.0 (ecs_flat-v*.yml, read by test/support/ecs): every field exists with its
//   type, array-ness and allowed values; rule.* is the same for every finding of an analytic.
// Each validator is shown to catch each kind of mistake. Skips visibly when the folder is absent.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runScenario, scenarioDirs } from '../../bench/scenarios/run.ts';
import type { Finding } from '../../src/model/finding.ts';
import { ECS_VERSION, toEcs } from '../../src/sinks/ecs.ts';
import { OCSF_PROFILES, OCSF_VERSION, toOcsf } from '../../src/sinks/ocsf.ts';
import { CORPUS_CASES, huntCase, huntFleet } from '../support/corpus.ts';
import { REPO_ROOT, sharedReference } from '../support/data.ts';
import { ECS_SCHEMA_FILE, ecsSchemaDocument } from '../support/ecs/document.ts';
import { type EcsSchema, loadEcsSchema, validateEcs } from '../support/ecs/validate.ts';
import { fullChain, partialChain } from '../support/findings.ts';
import { compileJsonSchema } from '../support/json-schema.ts';
import { OCSF_SCHEMA_FILE, ocsfSchemaDocument } from '../support/ocsf/document.ts';
import { loadOcsfSchema, type OcsfSchema } from '../support/ocsf/schema.ts';
import { validateOcsf } from '../support/ocsf/validate.ts';

const ROOT = sharedReference(`ocsf-schema-${OCSF_VERSION}`);
const ECS_FILES = {
  '8.11.0': sharedReference('ecs/ecs_flat-v8.11.0.yml'),
  '9.4.0': sharedReference('ecs/ecs_flat-v9.4.0.yml'),
};
const present = ROOT !== undefined && Object.values(ECS_FILES).every((f) => f !== undefined);
if (!present && process.env.CI) throw new Error('../shared/reference (OCSF 1.8.0, ECS) missing in CI');
const skip = present
  ? false
  : '../shared/reference (OCSF 1.8.0 source, ECS field lists) not present (fresh clone)';
if (skip) process.stderr.write(`SKIP OCSF and ECS schema tests: ${skip}\n`);

const GOLDEN_CASES = [...CORPUS_CASES.map((c) => c.name), 'fleet'];
const CASE_NAMES = [...GOLDEN_CASES, 'scenarios'];
const NOW = new Date('2026-11-04T00:00:00Z');

/** How many findings test/golden holds for each golden case: the documents each must give. */
function goldenCount(name: string): number {
  const text = readFileSync(join(REPO_ROOT, 'test/golden', `${name}.findings.ndjson`), 'utf8');
  return text.split('\n').filter(Boolean).length;
}
const GOLDEN_TOTAL = GOLDEN_CASES.reduce((n, c) => n + goldenCount(c), 0);
const SCENARIO_DIRS = scenarioDirs(join(REPO_ROOT, 'test/scenarios'));

/** The chains the scenarios' truth files expect: the least the scenarios must give. */
let scenarioChains = 0;

/** Hunted once for both schemas. */
let corpusPromise: Promise<Map<string, Finding[]>> | undefined;
function corpus(): Promise<Map<string, Finding[]>> {
  corpusPromise ??= (async () => {
    const m = new Map<string, Finding[]>();
    for (const c of CORPUS_CASES) m.set(c.name, await huntCase(c));
    m.set('fleet', (await huntFleet()).findings);
    const scenarios: Finding[] = [];
    for (const dir of SCENARIO_DIRS) {
      const r = await runScenario(dir);
      scenarios.push(...r.findings);
      scenarioChains += r.truth.expect.length;
    }
    m.set('scenarios', scenarios);
    return m;
  })();
  return corpusPromise;
}

/** Every case gives findings, as many as its golden file holds (all of them, not none). */
function assertCorpus(findings: Map<string, Finding[]>, validated: number): void {
  for (const name of GOLDEN_CASES)
    assert.equal(findings.get(name)!.length, goldenCount(name), `${name}: as many as its golden file`);
  assert.ok(SCENARIO_DIRS.length >= 10, 'the scenario corpus is there');
  assert.ok(
    scenarioChains > 0 && findings.get('scenarios')!.length >= scenarioChains,
    'the scenarios give findings',
  );
  const total = [...findings.values()].reduce((n, l) => n + l.length, 0);
  assert.equal(validated, total, 'every finding was validated');
  assert.ok(total > GOLDEN_TOTAL);
}

// biome-ignore lint/suspicious/noExplicitAny: the test edits arbitrary OCSF fields
type Json = any;

/** A valid document, edited, gets an error matching `expected` (so the validator can fail). */
function assertCatches(
  doc: Json,
  errorsOf: (d: Json) => string[],
  edit: (d: Json) => void,
  expected: RegExp,
): void {
  assert.deepEqual(errorsOf(doc), [], 'valid before the edit');
  edit(doc);
  const errors = errorsOf(doc);
  assert.ok(
    errors.some((e) => expected.test(e)),
    `expected ${expected} among ${JSON.stringify(errors)}`,
  );
}

const dst = (d: Json) => d.evidences.find((e: Json) => e.dst_endpoint).dst_endpoint;

function exported(f: Finding): Json {
  return JSON.parse(JSON.stringify(toOcsf(f)));
}

describe(`OCSF ${OCSF_VERSION} Detection Findings against the real schema`, { skip }, () => {
  let schema: OcsfSchema;
  let jsonSchemaCheck: (doc: unknown) => string[];
  let findings: Map<string, Finding[]>;

  before(async () => {
    schema = loadOcsfSchema(ROOT!);
    jsonSchemaCheck = compileJsonSchema(ocsfSchemaDocument(schema));
    findings = await corpus();
  });

  const errorsOf = (doc: Json) => validateOcsf(schema, doc).errors.map((e) => `${e.path}: ${e.message}`);
  let validated = 0;

  it('declares the version and profiles the schema defines', () => {
    assert.equal(schema.version, OCSF_VERSION);
    for (const p of OCSF_PROFILES) assert.ok(schema.profiles.has(p), p);
  });

  for (const name of CASE_NAMES) {
    it(`every finding of ${name} validates (resolver and generated JSON Schema)`, () => {
      const list = findings.get(name)!;
      assert.ok(list.length > 0);
      for (const f of list) {
        const doc = exported(f);
        assert.deepEqual(errorsOf(doc), [], `${name}: ${f.title}`);
        assert.deepEqual(jsonSchemaCheck(doc), [], `${name}: ${f.title} (JSON Schema)`);
        validated++;
      }
    });
  }

  it('validated every finding of every case', (t) => {
    assertCorpus(findings, validated);
    t.diagnostic(`OCSF ${OCSF_VERSION}: ${validated} Detection Findings validated`);
  });

  it('fills device.uid, a process-free actor with the account, and observables', () => {
    const doc = exported(partialChain({ user: '1001', userId: '1001', hostId: 'web-02' }));
    assert.equal(doc.device.uid, 'web-02');
    assert.deepEqual(doc.actor.user, { uid: '1001' });
    const types = doc.observables.map((o: Json) => `${o.type_id} ${o.name}`);
    assert.ok(types.includes('1 device.hostname'));
    assert.ok(types.includes('47 device.uid'));
    assert.ok(types.includes('31 actor.user.uid'));
    assert.ok(types.some((t: string) => /^2 evidences\[\d+\]\.dst_endpoint\.ip$/.test(t)));
    assert.deepEqual(errorsOf(doc), []);
  });

  it('the committed schema/ocsf-detection-finding.schema.json is what scripts/schemas.ts generates', () => {
    const committed = readFileSync(join(REPO_ROOT, 'schema', OCSF_SCHEMA_FILE), 'utf8');
    assert.equal(committed, `${JSON.stringify(ocsfSchemaDocument(schema), null, 2)}\n`);
  });

  describe('the validator fails on each kind of mistake', () => {
    // The last column: whether the generated JSON Schema can see it too (it cannot follow references).
    const cases: Array<[string, (d: Json) => void, RegExp, boolean?]> = [
      ['an older version', (d) => (d.metadata.version = '1.3.0'), /metadata\.version/],
      ['an unknown attribute', (d) => (d.finding_info.score = 3), /finding_info\.score: not an attribute/],
      ['a wrong type', (d) => (d.severity_id = '5'), /severity_id: expected integer_t/],
      ['a timestamp as text', (d) => (d.time = new Date(d.time).toISOString()), /time: expected timestamp_t/],
      ['an enum value', (d) => (d.severity_id = 7), /severity_id: 7 is not a value/],
      ['an enum sibling', (d) => (d.severity = 'Severe'), /severity: "Severe" should be "Critical"/],
      ['a missing required attribute', (d) => delete d.finding_info.uid, /finding_info\.uid: required/],
      ['an array where one is wanted', (d) => (d.device = [d.device]), /device: expected one device/],
      ['a profile not declared', (d) => (d.metadata.profiles = []), /actor: belongs to profile "host"/],
      ['a bad IP', (d) => (dst(d).ip = 'relay.example.net'), /does not match ip_t/],
      ['a port out of range', (d) => (dst(d).port = 70000), /outside port_t/],
      [
        'a process with no pid or uid',
        (d) => (d.actor.process = { name: 'x' }),
        /at_least_one of \[pid, uid/,
      ],
      ['an evidence with nothing', (d) => (d.evidences[0] = { name: 'empty' }), /evidences: at_least_one/],
      ['a type_uid', (d) => (d.type_uid = 200402), /type_uid/],
      ['a class', (d) => (d.class_uid = 2009), /class_uid/],
      ['an observable type', (d) => (d.observables[0].type_id = 2), /has observable type 1, not 2/],
      [
        'an observable value',
        (d) => (d.observables[0].value = 'other'),
        /is not a value of device\.hostname/,
        false,
      ],
      [
        'an observable name',
        (d) => (d.observables[0].name = 'device.nickname'),
        /device has no attribute/,
        false,
      ],
      ['a deprecated attribute', (d) => (d.finding_info.analytic.related_analytics = []), /deprecated/],
    ];
    for (const [what, edit, expected, jsonSchemaSees = true] of cases) {
      it(what, () => {
        const doc = exported(fullChain());
        assertCatches(doc, errorsOf, edit, expected);
        if (jsonSchemaSees)
          assert.notDeepEqual(jsonSchemaCheck(doc), [], 'the generated JSON Schema rejects it too');
      });
    }
  });
});

describe("ECS alert documents against Elastic's field lists", { skip }, () => {
  const schemas: EcsSchema[] = [];
  let findings: Map<string, Finding[]>;
  let jsonSchemaCheck: (doc: unknown) => string[];
  const ecs = (f: Finding): Json => JSON.parse(JSON.stringify(toEcs(f, { now: NOW })));

  before(async () => {
    for (const [version, file] of Object.entries(ECS_FILES)) schemas.push(loadEcsSchema(file!, version));
    jsonSchemaCheck = compileJsonSchema(ecsSchemaDocument(schemas.find((x) => x.version === ECS_VERSION)!));
    findings = await corpus();
  });

  const errorsOf = (doc: Json) =>
    schemas.flatMap((s) => validateEcs(s, doc, ['ratchain']).errors.map((e) => `ECS ${s.version} ${e}`));
  let validated = 0;

  it(`declares ECS ${ECS_VERSION}, one of the versions validated`, () => {
    assert.ok(schemas.some((s) => s.version === ECS_VERSION));
  });

  for (const name of CASE_NAMES) {
    it(`every finding of ${name} validates against ECS 8.11.0 and 9.4.0`, () => {
      const list = findings.get(name)!;
      assert.ok(list.length > 0);
      for (const f of list) {
        assert.deepEqual(errorsOf(ecs(f)), [], `${name}: ${f.title}`);
        assert.deepEqual(jsonSchemaCheck(ecs(f)), [], `${name}: ${f.title} (JSON Schema)`);
        validated++;
      }
    });
  }

  it('validated every finding of every case, under both versions', (t) => {
    assertCorpus(findings, validated);
    t.diagnostic(
      `ECS: ${validated} alert documents validated against ${schemas.map((x) => x.version).join(' and ')}`,
    );
  });

  it('the committed schema/ecs-alert.schema.json is what scripts/schemas.ts generates', () => {
    const committed = readFileSync(join(REPO_ROOT, 'schema', ECS_SCHEMA_FILE), 'utf8');
    const ecs811 = schemas.find((x) => x.version === ECS_VERSION)!;
    assert.equal(committed, `${JSON.stringify(ecsSchemaDocument(ecs811), null, 2)}\n`);
  });

  it('rule.* is the same for every finding of one analytic and differs between analytics', () => {
    const byAnalytic = new Map<string, Set<string>>();
    for (const list of findings.values())
      for (const f of list) {
        const r = JSON.stringify(ecs(f).rule);
        byAnalytic.set(f.analytic, (byAnalytic.get(f.analytic) ?? new Set()).add(r));
      }
    assert.deepEqual([...byAnalytic.keys()].sort(), ['AN1366', 'AN1367', 'AN1368']);
    for (const [a, rules] of byAnalytic) assert.equal(rules.size, 1, `${a}: ${[...rules].join(' | ')}`);
    const uuids = [...byAnalytic.values()].map((r) => JSON.parse([...r][0]).uuid);
    assert.equal(new Set(uuids).size, 3);
  });

  it('reports the level of every field it sets (core or extended)', () => {
    const levels = validateEcs(schemas[0], ecs(fullChain()), ['ratchain']).levels;
    assert.equal(levels.get('@timestamp'), 'core');
    assert.equal(levels.get('host.id'), 'core');
    assert.equal(levels.get('rule.uuid'), 'extended');
    assert.ok([...levels.values()].every((l) => l === 'core' || l === 'extended'));
  });

  describe('the validator fails on each kind of mistake', () => {
    const cases: Array<[string, (d: Json) => void, RegExp]> = [
      ['an unknown field', (d) => (d.host.nickname = 'x'), /host\.nickname: not an ECS/],
      ['a misplaced field', (d) => (d.hostname = d.host.name), /hostname: not an ECS/],
      [
        'a field nested under a leaf',
        (d) => (d.host.name = { short: 'ws' }),
        /host\.name: .* is not a keyword/,
      ],
      ['a wrong type', (d) => (d.event.severity = '99'), /event\.severity: "99" is not a long/],
      ['a date as a number', (d) => (d['@timestamp'] = Date.now()), /@timestamp: .* is not a date/],
      ['a bad IP', (d) => (d.destination.ip = 'relay.example'), /destination\.ip: .* is not a ip/],
      [
        'a value where ECS wants an array',
        (d) => (d.event.category = 'process'),
        /event\.category: ECS normalizes/,
      ],
      [
        'an array where ECS wants one value',
        (d) => (d.host.name = [d.host.name]),
        /host\.name: ECS wants one/,
      ],
      ['a value not allowed', (d) => (d.event.kind = 'finding'), /event\.kind: "finding" is not an allowed/],
      [
        'a value not expected',
        (d) => (d.host.os.type = 'darwin'),
        /host\.os\.type: "darwin" is not an expected/,
      ],
      [
        'a type the categories do not expect',
        (d) => (d.event.type = ['creation']),
        /event\.type: "creation"/,
      ],
      ['a missing required field', (d) => delete d.ecs, /ecs\.version: required/],
    ];
    for (const [what, edit, expected] of cases)
      it(what, () => assertCatches(ecs(fullChain()), errorsOf, edit, expected));
  });
});
