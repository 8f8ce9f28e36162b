// Exit codes a script can trust: every subcommand given bad usage exits 2 with one line on stderr
// naming the problem; an output that cannot be written exits 3. Run in-process through `main`.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { EXIT } from '../../src/cli/exit.ts';
import { runCli } from '../support/cli.ts';
import { REPO_ROOT } from '../support/data.ts';

const EXAMPLES = join(REPO_ROOT, 'examples');
const dir = mkdtempSync(join(tmpdir(), 'ratchain-usage-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const junk = join(dir, 'notes.txt');
writeFileSync(junk, 'shopping list: milk, eggs\nnothing a sensor wrote\n');

/** One line on stderr, starting "ratchain", with no stack trace. */
function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `one line expected, got:\n${stderr}`);
  assert.match(lines[0], /^ratchain\b/);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(stderr, /^\s+at /m);
}

const BAD_USAGE: Array<[string[], RegExp]> = [
  [[], /give a command: hunt, watch/],
  [['bogus'], /unknown command 'bogus'/],
  [['hunt'], /^ratchain hunt: missing required argument 'inputs'.*ratchain hunt --help/],
  [['hunt', EXAMPLES, '--bogus'], /unknown option '--bogus'/],
  [['hunt', EXAMPLES, '--fail-on', 'huge'], /argument 'huge' is invalid/],
  [['hunt', EXAMPLES, '--min-steps', 'two'], /--min-steps must be a whole number/],
  [['hunt', EXAMPLES, '--internal', 'cafe'], /--internal/],
  [['watch'], /^ratchain watch: missing required argument 'inputs'/],
  [['watch', EXAMPLES, '--poll', 'often'], /--poll: "often" is not a duration/],
  [['serve', '--bogus'], /^ratchain serve: unknown option '--bogus'/],
  [['serve', '--port', 'x'], /--port must be/],
  [['publish'], /^ratchain publish: missing required argument 'inputs'/],
  [['publish', EXAMPLES, '-n', '0'], /--partitions must be/],
  [['worker', '--own', '9'], /--own "9" is not a list of partitions/],
  [['worker', 'extra'], /^ratchain worker: too many arguments/],
  [['config'], /^ratchain config: give a command: init, check/],
  [['config', 'check'], /^ratchain config check: missing required argument 'file'/],
  [['config', 'lint'], /unknown command 'lint'/],
  [['explain'], /^ratchain explain: missing required argument 'id'/],
  [['explain', 'abc'], /explain needs --findings FILE or the input logs/],
  [['dump'], /^ratchain dump: missing required argument 'file'/],
  [['catalog'], /^ratchain catalog: give a command: list, search, show, match, check/],
  [['catalog', 'show'], /^ratchain catalog show: missing required argument 'id'/],
  [['catalog', 'match'], /give --image/],
  [['export'], /^ratchain export: required option '--to <language>' not specified/],
  [['export', '--to', 'xquery'], /argument 'xquery' is invalid/],
  [['rules'], /^ratchain rules: give a command: list, show, check/],
  [['diff'], /^ratchain diff: missing required argument 'inputs'/],
  [['diff', EXAMPLES], /^ratchain diff: give two configs/],
  [['diff', EXAMPLES, '-c', 'a.yaml', '-c', 'b.yaml', '--rules', 'r.yaml'], /not both/],
  [['rules', 'show'], /^ratchain rules show: missing required argument 'entry'/],
  [['rules', 'show', 'control.children.nope'], /^ratchain: rules: no entry "control\.children\.nope"/],
  [['rules', 'list', '--platform', 'beos'], /argument 'beos' is invalid/],
  [['simulate'], /^ratchain simulate: required option '--out <dir>' not specified/],
  [['simulate', '--out', dir, '--hosts', '0'], /--hosts must be a whole number of at least 1/],
  [['formats', 'extra'], /^ratchain formats: too many arguments/],
];

describe('bad usage exits 2 with one line', () => {
  for (const [args, message] of BAD_USAGE)
    test(`ratchain ${args.join(' ')}`, async () => {
      const r = await runCli(...args);
      assert.equal(r.code, EXIT.usage, r.stderr);
      assertOneLine(r.stderr, message);
    });

  test('every subcommand is in the table', async () => {
    const listed = new Set(BAD_USAGE.map(([a]) => a[0]));
    const help = await runCli('--help');
    const commands = [...help.stdout.matchAll(/^ {2}(\w+)\b/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    assert.ok(commands.length >= 11, help.stdout);
    for (const c of commands) assert.ok(listed.has(c), `no bad-usage case for ${c}`);
  });
});

describe('inputs and outputs', () => {
  test('--format bogus: exit 2 before reading anything, pointing at `ratchain formats`', async () => {
    const r = await runCli('hunt', EXAMPLES, '--format', 'bogus');
    assert.equal(r.code, EXIT.usage);
    assertOneLine(r.stderr, /--format "bogus" is not a format id; `ratchain formats` lists them/);
    assert.equal(r.stdout, '');
  });

  test('an input of nothing recognisable: exit 2, the file named', async () => {
    const r = await runCli('hunt', junk, '-q');
    assert.equal(r.code, EXIT.usage);
    assert.match(r.stderr, /notes\.txt @0: format not recognised/);
    assert.match(r.stderr.trim().split('\n').at(-1)!, /^ratchain: no input is in a format ratchain reads/);
  });

  test('an unrecognised file beside good ones is reported and the hunt runs', async () => {
    const r = await runCli('hunt', junk, EXAMPLES, '-q');
    assert.equal(r.code, EXIT.ok);
    assertOneLine(r.stderr, /notes\.txt @0: format not recognised/);
  });

  for (const flag of ['-o', '--ocsf', '--ecs', '--html'])
    test(`${flag} /nonexistent/x: exit 3 before the hunt, one line naming the file`, async () => {
      const r = await runCli('hunt', EXAMPLES, flag, '/nonexistent/x');
      assert.equal(r.code, EXIT.internal);
      assertOneLine(
        r.stderr,
        /^ratchain: \/nonexistent\/x: cannot write: directory \/nonexistent does not exist$/,
      );
      assert.equal(r.stdout, '');
    });

  test('`ratchain formats` lists every format id --format takes', async () => {
    const r = await runCli('formats');
    assert.equal(r.code, EXIT.ok);
    const ids = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/\s+/)[0]);
    assert.ok(ids.includes('evtx') && ids.includes('auditd') && ids.includes('eslogger'), r.stdout);
    for (const id of ids)
      assert.equal(
        (await runCli('hunt', junk, '-q', '--format', id)).stderr.includes('is not a format id'),
        false,
      );
    assert.match((await runCli('--help')).stdout, /`ratchain formats` lists the input formats/);
  });

  test('--help and --version exit 0', async () => {
    assert.equal((await runCli('--help')).code, EXIT.ok);
    assert.equal((await runCli('hunt', '--help')).code, EXIT.ok);
    assert.equal((await runCli('catalog', 'show', '--help')).code, EXIT.ok);
    const v = await runCli('--version');
    assert.equal(v.code, EXIT.ok);
    assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
  });
});
