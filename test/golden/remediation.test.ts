// The remediation block of every golden finding (examples, fixtures, fleet) names only what the
// finding's own evidence shows: each action's target, location, pids, hashes, port and domain is a
// value of a record behind one of its seen steps, and each action cites records the finding has.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Evidence, Finding } from '../../src/model/finding.ts';
import { REPO_ROOT } from '../support/data.ts';

const GOLDEN = join(REPO_ROOT, 'test/golden');

/** Every string and number a record holds (its summary, source, process, file, entry, endpoint). */
function values(e: Evidence): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(e);
  return out;
}

function ref(e: Evidence): string {
  const s = e.src;
  return `${s.file}${s.line !== undefined ? `:${s.line}` : s.offset !== undefined ? `@${s.offset}` : ''}`;
}

describe('remediation of the golden findings', () => {
  for (const file of readdirSync(GOLDEN).filter((n) => n.endsWith('.findings.ndjson'))) {
    it(`${file}: every artefact an action names appears in the finding's evidence`, () => {
      const findings = readFileSync(join(GOLDEN, file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Finding);
      let actions = 0;
      for (const f of findings) {
        const records = f.steps.filter((s) => s.seen).flatMap((s) => s.evidence);
        const texts = records.flatMap(values);
        const has = (x: string) => texts.some((t) => t.includes(x));
        const refs = new Set(records.map(ref));
        for (const a of f.remediation ?? []) {
          actions++;
          const where = `${f.title}: ${a.text}`;
          assert.ok(has(a.target), `${where}: target ${a.target}`);
          if (a.location) assert.ok(has(a.location), `${where}: location ${a.location}`);
          if (a.domain) assert.ok(has(a.domain), `${where}: domain ${a.domain}`);
          if (a.port !== undefined) assert.ok(has(String(a.port)), `${where}: port ${a.port}`);
          for (const p of a.pids ?? []) assert.ok(texts.includes(String(p)), `${where}: pid ${p}`);
          for (const h of a.hashes ?? []) assert.ok(texts.includes(h), `${where}: hash ${h}`);
          assert.ok(
            a.evidence.length > 0 && a.evidence.every((r) => refs.has(r)),
            `${where}: cites ${a.evidence}`,
          );
        }
      }
      assert.ok(actions > 0, 'the golden findings carry remediation to check');
    });
  }

  it('the AnyDesk example: the processes, the service, both copies with their hashes, the relay', () => {
    const f = readFileSync(join(GOLDEN, 'examples.findings.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Finding)
      .find((x) => x.title.startsWith('AnyDesk'))!;
    assert.deepEqual(
      f.remediation!.map((a) => `${a.kind} ${a.target}`),
      [
        'process C:\\Users\\jdoe\\Downloads\\AnyDesk.exe',
        'process C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe',
        'persistence AnyDesk',
        'binary C:\\Users\\jdoe\\Downloads\\AnyDesk.exe',
        'binary C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe',
        'destination 203.0.113.45',
      ],
    );
    assert.equal(f.remediation![5].domain, 'relay-7f3a91c2.net.anydesk.com');
    assert.ok(
      f.remediation![3].hashes!.includes(
        'sha256:9d2a7c41e5b3f6a8c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3',
      ),
    );
  });
});
