// `ratchain hunt examples/ --ocsf --ecs --html --timeline --navigator`: the real engine's findings
// on the shipped example logs, written by the CLI, validate against the OCSF 1.8.0 and ECS 8.11
// schemas, the HTML report embeds them, the timeline and layer are written; bad outputs are refused.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/cli.ts';
import { schemaCheck } from '../support/json-schema.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

describe('hunt --ocsf --ecs --html', () => {
  it('writes schema-valid OCSF and ECS lines and an HTML report for the shipped examples', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchain-exports-'));
    try {
      const files = {
        ocsf: join(dir, 'f.ocsf.ndjson'),
        ecs: join(dir, 'f.ecs.ndjson'),
        html: join(dir, 'r.html'),
      };
      const r = await runCli(
        'hunt',
        EXAMPLES,
        '-q',
        '--ocsf',
        files.ocsf,
        '--ecs',
        files.ecs,
        '--html',
        files.html,
      );
      assert.equal(r.code, 0, r.stderr);
      const ocsf = readFileSync(files.ocsf, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const ecs = readFileSync(files.ecs, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      assert.ok(ocsf.length >= 1, 'the AnyDesk example chain is found');
      assert.equal(ecs.length, ocsf.length);
      const checkOcsf = schemaCheck('ocsf-detection-finding.schema.json');
      const checkEcs = schemaCheck('ecs-alert.schema.json');
      for (const o of ocsf) assert.deepEqual(checkOcsf(o), [], o.finding_info.title);
      for (const e of ecs) assert.deepEqual(checkEcs(e), [], e.rule.description);
      const anydesk = ocsf.find((o) => /AnyDesk/.test(o.finding_info.title));
      assert.equal(anydesk.severity_id, 5);
      const html = readFileSync(files.html, 'utf8');
      assert.match(html, /^<!doctype html>/);
      assert.ok(html.includes(anydesk.finding_info.uid));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes --timeline and --navigator, and refuses a timeline file that is neither .csv nor .jsonl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchain-exports-'));
    try {
      const csv = join(dir, 'timeline.csv');
      const layer = join(dir, 'layer.json');
      const r = await runCli('hunt', EXAMPLES, '-q', '--timeline', csv, '--navigator', layer);
      assert.equal(r.code, 0, r.stderr);
      assert.match(readFileSync(csv, 'utf8'), /^datetime,timestamp,timestamp_desc,message,/);
      assert.equal(JSON.parse(readFileSync(layer, 'utf8')).versions.layer, '4.5');
      const bad = await runCli('hunt', EXAMPLES, '-q', '--timeline', join(dir, 'timeline.txt'));
      assert.equal(bad.code, 2);
      assert.match(
        bad.stderr,
        /timeline\.txt.*--timeline wants a file ending in \.csv or \.jsonl|--timeline wants a file ending in \.csv or \.jsonl.*timeline\.txt/,
      );
      const missing = await runCli('hunt', EXAMPLES, '-q', '--navigator', join(dir, 'no/such/dir/l.json'));
      assert.equal(missing.code, 3);
      assert.match(missing.stderr, /no\/such\/dir\/l\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
