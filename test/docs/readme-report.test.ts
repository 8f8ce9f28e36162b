// The terminal report and the remediation block the README shows are what `ratchain hunt
// examples/` prints (80 columns, no colour): every line of those README blocks, except the "..."
// that abridge them, is a line of the real report, so the README cannot drift from the program.
// Its timeline row, CSV header and Navigator layer are those of the golden exports of the examples
// (test/golden/examples.timeline.*, examples.navigator.json, which test/golden/exports.test.ts
// keeps equal to what hunt writes).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli.ts';
import { REPO_ROOT } from '../support/data.ts';

/** The text of the first code block (of the given language) after `marker`. */
function blockAfter(text: string, marker: string, lang = ''): string {
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `README has "${marker}"`);
  const m = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(text.slice(at));
  assert.ok(m, `a ${lang} code block after "${marker}"`);
  return m[1];
}

function blocksAfter(text: string, marker: string): string[] {
  return blockAfter(text, marker)
    .split('\n')
    .filter((l) => l.trim() && l.trim() !== '...');
}

const golden = (name: string) => readFileSync(join(REPO_ROOT, 'test/golden', name), 'utf8');

describe('README terminal report', () => {
  it('every line the README shows is a line of the real report of the examples', async () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    // Relative, as a user types it: the paths in the report are the ones the README shows.
    process.chdir(REPO_ROOT);
    const r = await runCli('hunt', 'examples/', '--no-color');
    assert.equal(r.code, 0, r.stderr);
    const report = new Set(r.stdout.split('\n'));
    for (const marker of ['opens like this', 'each finding reads like this', 'when the name quotes safely'])
      for (const line of blocksAfter(readme, marker))
        assert.ok(report.has(line), `not in the report: ${line}`);
  });
});

describe('README timeline and Navigator examples', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

  it('the timeline row is a row of the examples timeline, and the CSV header its header', () => {
    const row = JSON.parse(blockAfter(readme, 'One timeline row of the examples', 'json'));
    const rows = golden('examples.timeline.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(
      rows.some((r) => JSON.stringify(r) === JSON.stringify(row)),
      'the same row, fields in the same order',
    );
    const header = blockAfter(readme, 'The CSV (`--timeline t.csv`)', 'csv').trim();
    assert.equal(header, golden('examples.timeline.csv').split('\n')[0]);
  });

  it("the layer shown has the examples layer's version fields and one of its techniques", () => {
    const shown = JSON.parse(blockAfter(readme, 'The Navigator layer of the examples', 'json'));
    const layer = JSON.parse(golden('examples.navigator.json'));
    for (const k of ['name', 'versions', 'domain']) assert.deepEqual(shown[k], layer[k], k);
    assert.equal(shown.techniques.length, 1);
    assert.ok(
      layer.techniques.some((t: unknown) => JSON.stringify(t) === JSON.stringify(shown.techniques[0])),
    );
  });
});
