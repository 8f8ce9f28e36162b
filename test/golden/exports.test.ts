// Golden timeline (CSV and JSONL) and ATT&CK Navigator layer of the shipped examples, written
// through the sink registry exactly as `ratchain hunt --timeline --navigator` writes them, and
// byte-compared with test/golden/examples.timeline.csv, .jsonl and examples.navigator.json
// (UPDATE_GOLDEN=1 regenerates, as for the golden findings). The layer is checked against the
// Navigator layer format 4.5, the timeline against what Timesketch requires, and the layer's
// techniques against ATT&CK's own STIX data when ../shared/reference holds it (skipped visibly when
// not; a hand-built bundle shows the check can fail).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NAVIGATOR_VERSIONS } from '../../src/sinks/navigator.ts';
import { openOutputs } from '../../src/sinks/registry.ts';
import { TIMELINE_COLUMNS } from '../../src/sinks/timeline.ts';
import { attackBundleFile, attackData, checkLayerAgainstAttack } from '../support/attack-stix.ts';
import { CORPUS_CASES, huntCase } from '../support/corpus.ts';
import { REPO_ROOT } from '../support/data.ts';
import { checkLayer } from '../support/navigator-layer.ts';

const GOLDEN = join(REPO_ROOT, 'test/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** ATT&CK techniques ratchain can name, with their tactic (from attack.mitre.org, ATT&CK 18). */
const KNOWN: Record<string, string> = {
  T1219: 'command-and-control',
  'T1543.001': 'persistence',
  'T1543.002': 'persistence',
  'T1543.003': 'persistence',
  'T1543.004': 'persistence',
  'T1547.001': 'persistence',
  'T1053.003': 'persistence',
  'T1053.005': 'persistence',
  'T1059.001': 'execution',
  'T1059.002': 'execution',
  'T1059.003': 'execution',
  'T1059.004': 'execution',
  'T1059.005': 'execution',
  'T1059.006': 'execution',
  'T1059.007': 'execution',
  T1543: 'persistence',
  T1547: 'persistence',
  T1053: 'persistence',
  T1059: 'execution',
};

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (UPDATE) writeFileSync(file, actual);
  else assert.equal(actual, readFileSync(file, 'utf8'), `${file} (UPDATE_GOLDEN=1 regenerates when meant)`);
}

/** RFC 4180 records of a CSV text. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  return rows;
}

describe('golden exports of the examples', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ratchain-exports-'));
  const files = { csv: join(dir, 't.csv'), jsonl: join(dir, 't.jsonl'), layer: join(dir, 'layer.json') };
  const text: Record<keyof typeof files, string> = { csv: '', jsonl: '', layer: '' };
  before(async () => {
    const findings = await huntCase(CORPUS_CASES[0]);
    const out = openOutputs(
      [
        { sink: 'timeline', path: files.csv },
        { sink: 'timeline', path: files.jsonl },
        { sink: 'navigator', path: files.layer },
      ],
      { live: false, stdout: process.stdout },
    );
    for (const f of findings) out.write(f);
    out.close();
    for (const k of Object.keys(files) as Array<keyof typeof files>)
      text[k] = readFileSync(files[k], 'utf8').split(`${REPO_ROOT}/`).join('');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('timeline CSV equals examples.timeline.csv', () => golden('examples.timeline.csv', text.csv));
  it('timeline JSONL equals examples.timeline.jsonl', () => golden('examples.timeline.jsonl', text.jsonl));
  it('Navigator layer equals examples.navigator.json', () => golden('examples.navigator.json', text.layer));

  it('the timeline has what Timesketch requires, in time order, and CSV and JSONL agree', () => {
    const rows = text.jsonl
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(rows.length > 20);
    for (const r of rows) {
      assert.equal(typeof r.message, 'string');
      assert.match(r.datetime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(r.timestamp, Date.parse(r.datetime) * 1000, 'timestamp in microseconds');
      assert.ok(
        ['Process Start', 'Persistence Entry', 'Connection', 'Child Process Start'].includes(
          r.timestamp_desc,
        ),
      );
    }
    assert.deepEqual(
      rows.map((r) => r.timestamp),
      [...rows.map((r) => r.timestamp)].sort((a, b) => a - b),
    );
    const csv = parseCsv(text.csv);
    assert.deepEqual(csv[0], [...TIMELINE_COLUMNS]);
    assert.equal(csv.length - 1, rows.length);
    csv.slice(1).forEach((cells, i) => {
      for (const [j, col] of TIMELINE_COLUMNS.entries()) {
        const want = rows[i][col] === undefined ? '' : String(rows[i][col]);
        const got = /^'[=+\-@]/.test(cells[j]) ? cells[j].slice(1) : cells[j];
        assert.equal(got, want, `row ${i + 1} ${col}`);
      }
    });
  });

  it('the layer loads as a Navigator 4.5 layer and names only known techniques under their tactics', () => {
    const layer = JSON.parse(text.layer);
    assert.deepEqual(checkLayer(layer), []);
    assert.deepEqual(layer.versions, NAVIGATOR_VERSIONS);
    assert.equal(layer.versions.layer, '4.5');
    for (const t of layer.techniques) assert.equal(KNOWN[t.techniqueID], t.tactic, t.techniqueID);
    const ids = layer.techniques
      .filter((t: { score?: number }) => t.score !== undefined)
      .map((t: { techniqueID: string }) => t.techniqueID);
    for (const want of [
      'T1219',
      'T1543.003',
      'T1543.002',
      'T1543.001',
      'T1059.001',
      'T1059.002',
      'T1059.003',
      'T1059.004',
    ])
      assert.ok(ids.includes(want), `${want} among ${ids.join(', ')}`);
    assert.equal(layer.techniques.find((t: { techniqueID: string }) => t.techniqueID === 'T1219').score, 4);
  });

  it('the layer check fails on what the format forbids (so it can fail)', () => {
    const layer = JSON.parse(text.layer);
    assert.notDeepEqual(checkLayer({ ...layer, versions: { ...layer.versions, layer: '4.4' } }), []);
    assert.notDeepEqual(checkLayer({ ...layer, versions: { navigator: '4.8.2', layer: '4.5' } }), []);
    assert.notDeepEqual(checkLayer({ ...layer, domain: 'enterprise' }), []);
    assert.notDeepEqual(checkLayer({ ...layer, techniques: [{ techniqueID: 'T1219.1' }] }), []);
    assert.notDeepEqual(checkLayer({ ...layer, techniques: [{ techniqueID: 'T1219', tactic: 'c2' }] }), []);
    assert.notDeepEqual(
      checkLayer({ ...layer, gradient: { colors: ['#fff'], minValue: 0, maxValue: 0 } }),
      [],
    );
    assert.notDeepEqual(checkLayer({ ...layer, score: 3 }), []);
  });

  const bundle = attackBundleFile();
  const noBundle = bundle
    ? false
    : "ATT&CK STIX bundle (attack-stix-data's enterprise-attack.json) not in ../shared/reference";
  if (noBundle) process.stderr.write(`SKIP layer against ATT&CK's own data: ${noBundle}\n`);

  it("the layer's techniques are ATT&CK's: live ids, under their tactics, by their names", {
    skip: noBundle,
  }, () => {
    const attack = attackData(JSON.parse(readFileSync(bundle!, 'utf8')));
    assert.ok(attack.techniques.size > 500, 'a whole Enterprise bundle');
    assert.deepEqual(checkLayerAgainstAttack(JSON.parse(text.layer), attack), []);
  });

  it('the check against ATT&CK data fails on an unknown, retired, misplaced or misnamed technique', () => {
    const pattern = (id: string, name: string, tactic: string, extra = {}) => ({
      type: 'attack-pattern',
      name,
      external_references: [{ source_name: 'mitre-attack', external_id: id }],
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: tactic }],
      ...extra,
    });
    const attack = attackData({
      type: 'bundle',
      objects: [
        { type: 'x-mitre-collection', x_mitre_version: '18.0' },
        pattern('T1219', 'Remote Access Tools', 'command-and-control'),
        pattern('T1543.003', 'Windows Service', 'persistence'),
        pattern('T1053.002', 'At', 'persistence', { x_mitre_deprecated: true }),
      ],
    });
    const layer = (techniques: unknown[], attackVersion = '18') => ({
      versions: { attack: attackVersion },
      techniques,
    });
    const ok = {
      techniqueID: 'T1219',
      tactic: 'command-and-control',
      links: [{ label: 'T1219 Remote Access Tools' }],
    };
    assert.deepEqual(checkLayerAgainstAttack(layer([ok]), attack), []);
    const cases: Array<[unknown, RegExp, string?]> = [
      [{ techniqueID: 'T1219.009' }, /not an ATT&CK technique/],
      [{ techniqueID: 'T1053.002' }, /revoked or deprecated/],
      [{ techniqueID: 'T1543.003', tactic: 'execution' }, /tactic execution is not one of persistence/],
      [{ ...ok, links: [{ label: 'T1219 Remote Access Software' }] }, /ATT&CK says "Remote Access Tools"/],
      [ok, /not the bundle's release 18\.0/, '17'],
    ];
    for (const [t, expected, version] of cases) {
      const errors = checkLayerAgainstAttack(layer([t], version), attack);
      assert.ok(
        errors.some((e) => expected.test(e)),
        `${expected} among ${JSON.stringify(errors)}`,
      );
    }
  });
});
