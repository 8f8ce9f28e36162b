// Bad input gets a clear message naming the file and line (or offset), is counted, and is
// skipped; the rest of the input still produces its events and its chain (SPEC §3). Each case
// damages a copy of a good fixture in one way and hunts it with hunt().
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { hunt } from '../../src/hunt.ts';
import type { Problem } from '../../src/ingest/reader.ts';
import type { RatEvent } from '../../src/model/event.ts';
import type { Finding } from '../../src/model/finding.ts';
import type { RunSummary } from '../../src/model/run-summary.ts';
import { builtCli } from '../support/cli.ts';
import { REPO_ROOT } from '../support/data.ts';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'windows');
/** 10 Winlogbeat documents: 9 events (one 4624 ignored), one 4-step ScreenConnect chain. */
const WLB = readFileSync(join(FIXTURES, 'winlogbeat-screenconnect.ndjson'), 'utf8')
  .split('\n')
  .filter(Boolean);
/** 16 Sysmon events as event XML: 15 events (one Sysmon 10 ignored), one 4-step AnyDesk chain. */
const XML = readFileSync(join(FIXTURES, 'sysmon-anydesk.xml'), 'utf8').split(/\r?\n/).filter(Boolean);

interface Result {
  problems: Problem[];
  events: RatEvent[];
  summary: RunSummary;
  findings: Finding[];
}

async function run(paths: string[], format?: string): Promise<Result> {
  const problems: Problem[] = [];
  const events: RatEvent[] = [];
  const { findings, summary } = await hunt({
    paths,
    format,
    config: configSchema.parse({}),
    catalog: builtinCatalog(),
    onProblem: (p) => problems.push(p),
    onEvent: (e) => events.push(e),
  });
  return { problems, events, summary, findings };
}

function show(ps: Problem[]): string {
  return ps.map((p) => `${p.file}:${p.line ?? `@${p.offset}`}: ${p.message}`).join('\n') || '(no problems)';
}

/** The ScreenConnect chain of the Winlogbeat fixture is still found whole. */
function assertChain(r: Result, host = 'WKS-BOB.corp.example'): void {
  const f = r.findings.find((x) => x.host === host);
  assert.ok(f, `the chain around the damage is still found on ${host}`);
  assert.equal(f.stepCount, 4);
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ratchain-bad-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('bad input: reported with file and line, counted, skipped; the rest goes on', () => {
  test('truncated file: the last line cut mid-JSON', async () => {
    const cut = WLB[3].slice(0, Math.floor(WLB[3].length / 2));
    const p = file('truncated.ndjson', `${WLB.join('\n')}\n${cut}`);
    const r = await run([p]);
    assert.equal(r.problems.length, 1, show(r.problems));
    assert.equal(r.problems[0].file, p);
    assert.equal(r.problems[0].line, 11);
    assert.match(r.problems[0].message, /truncated|ends inside|not valid JSON/i);
    assert.equal(r.summary.problems, 1);
    assert.equal(r.summary.events, 9);
    assertChain(r);
  });

  test('a non-JSON line in the middle: skipped, the chain around it still found', async () => {
    const lines = [
      ...WLB.slice(0, 4),
      '2026-01-05 11:00:03 winlogbeat[3104]: connection reset by peer',
      ...WLB.slice(4),
    ];
    const p = file('garbage-line.ndjson', `${lines.join('\n')}\n`);
    const r = await run([p]);
    assert.equal(r.problems.length, 1, show(r.problems));
    assert.deepEqual([r.problems[0].file, r.problems[0].line], [p, 5]);
    assert.match(r.problems[0].message, /not JSON/);
    assert.equal(r.summary.problems, 1);
    assert.equal(r.summary.events, 9);
    assertChain(r);
  });

  test('a JSON line cut short in the middle (a torn write): one problem, the next lines still read', async () => {
    const torn = WLB[4].slice(0, 300); // opens objects it never closes
    const lines = [...WLB.slice(0, 4), torn, ...WLB.slice(4)];
    const p = file('torn-line.ndjson', `${lines.join('\n')}\n`);
    const r = await run([p]);
    assert.equal(r.problems.length, 1, show(r.problems));
    assert.deepEqual([r.problems[0].file, r.problems[0].line], [p, 5]);
    assert.equal(r.summary.events, 9, 'every whole document after the torn one is read');
    assertChain(r);
  });

  test('an unknown event id is counted as ignored, not as a problem', async () => {
    const unknown = JSON.parse(WLB[1]);
    unknown.winlog.event_id = '4798';
    unknown.event.code = '4798';
    unknown.winlog.event_data = { TargetUserName: 'Administrator', TargetDomainName: 'WKS-BOB' };
    const sysmonUnknown = JSON.parse(WLB[3]);
    sysmonUnknown.winlog.event_id = '255';
    const lines = [
      ...WLB.slice(0, 2),
      JSON.stringify(unknown),
      JSON.stringify(sysmonUnknown),
      ...WLB.slice(2),
    ];
    const p = file('unknown-id.ndjson', `${lines.join('\n')}\n`);
    const r = await run([p]);
    assert.deepEqual(r.problems, []);
    assert.equal(r.summary.problems, 0);
    assert.equal(r.summary.inputs[0].ignored, 3, 'the 4624 of the fixture plus 4798 and Sysmon 255');
    assert.equal(r.summary.events, 9);
    assertChain(r);
  });

  test('a missing field (Sysmon 1 without Image): a problem naming file and line', async () => {
    // Line 8 of the fixture is notepad.exe's start: drop its Image.
    assert.match(XML[7], /notepad\.exe/);
    const lines = [...XML];
    lines[7] = lines[7].replace(/<Data Name='Image'>[^<]*<\/Data>/, '');
    assert.doesNotMatch(lines[7], /Name='Image'/);
    const p = file('no-image.xml', `${lines.join('\r\n')}\r\n`);
    const r = await run([p]);
    assert.equal(r.problems.length, 1, show(r.problems));
    assert.deepEqual([r.problems[0].file, r.problems[0].line], [p, 8]);
    assert.match(r.problems[0].message, /event 1 without Image/);
    assert.equal(r.summary.problems, 1);
    assert.equal(r.summary.events, 14);
    assertChain(r, 'WKS-ALICE.corp.example');
  });

  test('a binary file named .json: one clear problem, no crash, the good file beside it still read', async () => {
    const junk = randomBytes(256 * 1024);
    for (let i = 0; i < junk.length; i += 97) junk[i] = 0; // plenty of NULs
    junk[0] = 0x7b; // "{" — looks like JSON for one byte
    const bad = file('export.json', junk);
    const good = file('good.ndjson', `${WLB.join('\n')}\n`);
    const r = await run([bad, good]);
    assert.equal(r.problems.length, 1, show(r.problems));
    assert.equal(r.problems[0].file, bad);
    assert.equal(r.problems[0].offset ?? r.problems[0].line, 0);
    assert.match(r.problems[0].message, /binary/i);
    assert.equal(r.summary.problems, 1);
    assert.equal(r.summary.events, 9);
    assertChain(r);
  });

  test('a binary file forced as windows-json: problems with lines, bounded, no crash', async () => {
    const junk = randomBytes(64 * 1024);
    for (let i = 0; i < junk.length; i += 61) junk[i] = 0;
    const bad = file('forced.bin', junk);
    const r = await run([bad], 'windows-json');
    assert.ok(r.problems.length >= 1);
    assert.ok(
      r.problems.every((p) => p.file === bad && typeof p.line === 'number'),
      show(r.problems.slice(0, 5)),
    );
    assert.equal(r.summary.events, 0);
    assert.equal(r.summary.problems, r.problems.length);
  });

  test('an empty file: no events, no crash, listed in the run summary; the other input is read', async () => {
    const empty = file('empty.ndjson', '');
    const good = file('good2.ndjson', `${WLB.join('\n')}\n`);
    const r = await run([empty, good]);
    // An empty file is not damaged input: ratchain lists it with zero bytes and zero events.
    assert.deepEqual(r.problems, []);
    const s = r.summary.inputs.find((i) => i.input === empty);
    assert.ok(s, 'the empty input is listed');
    assert.equal(s.bytes, 0);
    assert.equal(s.events, 0);
    assert.equal(r.summary.events, 9);
    assertChain(r);
  });

  test('a 40 MB single line: reported as too long with its line, skipped without being kept whole', async () => {
    const p = join(dir, 'huge-line.ndjson');
    const fd = openSync(p, 'w');
    try {
      writeSync(fd, `${WLB.slice(0, 5).join('\n')}\n`);
      // Line 6: one Winlogbeat-looking document with a 40 MB message, written in 1 MB pieces.
      writeSync(fd, '{"@timestamp":"2026-01-05T11:00:50.000Z","message":"');
      const piece = Buffer.alloc(1 << 20, 0x41);
      for (let i = 0; i < 40; i++) writeSync(fd, piece);
      writeSync(fd, '","winlog":{"channel":"Security","event_id":"4688","computer_name":"WKS-BOB"}}\n');
      writeSync(fd, `${WLB.slice(5).join('\n')}\n`);
    } finally {
      closeSync(fd);
    }
    const before = process.memoryUsage().rss;
    const r = await run([p]);
    const grew = process.memoryUsage().rss - before;
    assert.equal(r.problems.length, 1, show(r.problems));
    assert.deepEqual([r.problems[0].file, r.problems[0].line], [p, 6]);
    assert.match(r.problems[0].message, /longer than/);
    assert.equal(r.summary.problems, 1);
    assert.equal(r.summary.events, 9, 'every line after the long one is read');
    assert.equal(r.summary.inputs[0].lines, 11);
    assertChain(r);
    assert.ok(grew < 400 * 1024 * 1024, `rss grew by ${Math.round(grew / 1048576)} MB`);
  });

  test('a 40 MB single line in a process capped at 128 MB of heap: the CLI finishes and finds the chain', () => {
    const p = join(dir, 'huge-line.ndjson'); // written by the test above
    const r = spawnSync(process.execPath, ['--max-old-space-size=128', builtCli(), 'hunt', p, '--json'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 0, `exit ${r.status} ${r.signal ?? ''}: ${r.stderr.slice(-2000)}`);
    assert.match(r.stderr, /huge-line\.ndjson:6: .*longer than/);
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 1);
  });

  test('a hostile deeply nested JSON line: one problem, no stack overflow, the rest still read', async () => {
    const depth = 200_000;
    const arrays = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const objects = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const lines = [...WLB.slice(0, 3), arrays, ...WLB.slice(3, 6), objects, ...WLB.slice(6)];
    const p = file('nested.ndjson', `${lines.join('\n')}\n`);
    const r = await run([p]);
    assert.equal(r.summary.events, 9, `every real document is read; problems:\n${show(r.problems)}`);
    assert.deepEqual(
      r.problems.map((x) => [x.file, x.line]),
      [
        [p, 4],
        [p, 8],
      ],
      show(r.problems),
    );
    assert.ok(
      r.problems.every((x) => !/call stack|read failed/i.test(x.message)),
      show(r.problems),
    );
    assert.equal(r.summary.problems, 2);
    assertChain(r);
  });
});
