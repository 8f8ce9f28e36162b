// OCSF output against the real OCSF 1.8.0 schema source (../shared/reference/ocsf-schema-1.8.0),
// resolved by test/support/ocsf: every Detection Finding made from the examples, the fixture
// groups and the fixed simulated fleet validates (no unknown, misplaced or wrongly typed
// attribute, no missing required one, constraints and observables right), both by the resolver's
// validator and by the JSON Schema generated from it; the committed schema file is exactly what
// the generator writes; and the validator catches each kind of mistake. Skips visibly when the
// reference folder is absent.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Finding } from '../../src/model/finding.ts';
import { OCSF_PROFILES, OCSF_VERSION, toOcsf } from '../../src/sinks/ocsf.ts';
import { CORPUS_CASES, huntCase, huntFleet } from '../support/corpus.ts';
import { REPO_ROOT, sharedReference } from '../support/data.ts';
import { fullChain, partialChain } from '../support/findings.ts';
import { compileJsonSchema } from '../support/json-schema.ts';
import { OCSF_SCHEMA_FILE, ocsfSchemaDocument } from '../support/ocsf/document.ts';
import { loadOcsfSchema, type OcsfSchema } from '../support/ocsf/schema.ts';
import { validateOcsf } from '../support/ocsf/validate.ts';

const ROOT = sharedReference(`ocsf-schema-${OCSF_VERSION}`);
if (!ROOT && process.env.CI) throw new Error(`OCSF ${OCSF_VERSION} schema source missing in CI`);
const skip = ROOT ? false : `../shared/reference/ocsf-schema-${OCSF_VERSION} not present (fresh clone)`;
if (skip) process.stderr.write(`SKIP OCSF schema tests: ${skip}\n`);

// biome-ignore lint/suspicious/noExplicitAny: the test edits arbitrary OCSF fields
type Json = any;

const dst = (d: Json) => d.evidences.find((e: Json) => e.dst_endpoint).dst_endpoint;

function exported(f: Finding): Json {
  return JSON.parse(JSON.stringify(toOcsf(f)));
}

describe(`OCSF ${OCSF_VERSION} Detection Findings against the real schema`, { skip }, () => {
  let schema: OcsfSchema;
  let jsonSchemaCheck: (doc: unknown) => string[];
  const corpus = new Map<string, Finding[]>();

  before(async () => {
    schema = loadOcsfSchema(ROOT!);
    jsonSchemaCheck = compileJsonSchema(ocsfSchemaDocument(schema));
    for (const c of CORPUS_CASES) corpus.set(c.name, await huntCase(c));
    corpus.set('fleet', (await huntFleet()).findings);
  });

  const errorsOf = (doc: Json) => validateOcsf(schema, doc).errors.map((e) => `${e.path}: ${e.message}`);

  it('declares the version and profiles the schema defines', () => {
    assert.equal(schema.version, OCSF_VERSION);
    for (const p of OCSF_PROFILES) assert.ok(schema.profiles.has(p), p);
  });

  for (const name of [...CORPUS_CASES.map((c) => c.name), 'fleet']) {
    it(`every finding of ${name} validates (resolver and generated JSON Schema)`, () => {
      const findings = corpus.get(name)!;
      assert.ok(findings.length > 0);
      for (const f of findings) {
        const doc = exported(f);
        assert.deepEqual(errorsOf(doc), [], `${name}: ${f.title}`);
        assert.deepEqual(jsonSchemaCheck(doc), [], `${name}: ${f.title} (JSON Schema)`);
      }
    });
  }

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
        assert.deepEqual(errorsOf(doc), [], 'valid before the edit');
        edit(doc);
        const errors = errorsOf(doc);
        assert.ok(
          errors.some((e) => expected.test(e)),
          `expected ${expected} among ${JSON.stringify(errors)}`,
        );
        if (jsonSchemaSees)
          assert.notDeepEqual(jsonSchemaCheck(doc), [], 'the generated JSON Schema rejects it too');
      });
    }
  });
});
