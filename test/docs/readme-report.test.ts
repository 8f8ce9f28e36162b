// The terminal report and the remediation block the README shows are what `ratchain hunt
// examples/` prints (80 columns, no colour): every line of those README blocks, except the "..."
// that abridge them, is a line of the real report, so the README cannot drift from the program.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli.ts';
import { REPO_ROOT } from '../support/data.ts';

function blocksAfter(text: string, marker: string): string[] {
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `README has "${marker}"`);
  const m = /```\n([\s\S]*?)```/.exec(text.slice(at));
  assert.ok(m, `a code block after "${marker}"`);
  return m[1].split('\n').filter((l) => l.trim() && l.trim() !== '...');
}

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
