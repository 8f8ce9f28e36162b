// The README's layout section says where the rules live and shows how to change one: its
// `Rules:` example is a config that loads, and each override changes the entry it names.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { formatIssue, parseConfig } from '../../src/config/load.ts';
import { rulesFor } from '../../src/rules/load.ts';
import { REPO_ROOT } from '../support/data.ts';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const layout = README.slice(
  README.indexOf('## Layout'),
  README.indexOf('\n## ', README.indexOf('## Layout') + 1),
);
const dir = mkdtempSync(join(tmpdir(), 'ratchain-readme-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the layout section names src/rules/ and its four packs', () => {
  assert.match(
    layout,
    /src\/rules\/ +what counts, as data: common\.yaml, windows\.yaml, linux\.yaml, macos\.yaml/,
  );
  assert.match(layout, /ratchain rules show ID/);
});

test('its Rules: example loads, and each override changes the entry it names', () => {
  const yaml = /```yaml\n([\s\S]*?)```/.exec(layout)?.[1];
  assert.ok(yaml?.includes('Rules:'), 'the layout section has a Rules: example');
  // the example's own pack file, as a site would write it
  writeFileSync(
    join(dir, 'site.rules.yaml'),
    'ratchainRules: 1\nplatform: linux\ndescription: site\ncontrol:\n  children:\n    site-tcl:\n      why: our admins never run Tcl, so tclsh is an operator\n      names: [tclsh]\n',
  );
  const r = parseConfig(yaml ?? '', join(dir, 'ratchain.yaml'));
  assert.ok(r.ok, r.ok ? '' : r.issues.map(formatIssue).join('\n'));
  const rules = rulesFor(r.config.Rules);
  const entry = (group: keyof typeof rules.groups, id: string) =>
    rules.groups[group].find((x) => x.id === id)?.entry;
  assert.deepEqual(entry('control.children', 'windows-shells')?.names, ['powershell', 'pwsh']);
  assert.equal(entry('score.weights', 'temp_path')?.delta, 20);
  assert.equal(entry('persistence.files', 'linux-cron'), undefined);
  assert.deepEqual(entry('control.children', 'site-tcl')?.names, ['tclsh']);
});
