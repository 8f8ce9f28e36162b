// The generator end to end: deterministic output, honest ground truth, and telemetry that
// ratchain reads without a single problem.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { parseConfig } from '../../src/config/load.ts';
import { hunt } from '../../src/hunt.ts';
import type { Problem } from '../../src/ingest/reader.ts';
import { SIM_FORMATS, type SimulateResult, simulate } from '../../src/simulate/simulate.ts';

function digest(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(n).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'ratchain-sim-'));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('simulate', () => {
  let a: SimulateResult;
  let outA: string;
  before(() => {
    outA = tmp();
    a = simulate({ hosts: 30, days: 1, seed: 5, out: outA, rate: 150 });
  });

  it('writes the same bytes for the same seed, and different bytes for another', () => {
    const outB = tmp();
    simulate({ hosts: 30, days: 1, seed: 5, out: outB, rate: 150 });
    assert.equal(digest(outA), digest(outB));
    const outC = tmp();
    simulate({ hosts: 30, days: 1, seed: 6, out: outC, rate: 150 });
    assert.notEqual(digest(outA), digest(outC));
  });

  it('writes the same bytes in parts: each run its own formats, the records routed as in one run', () => {
    const outB = tmp();
    const windows = ['evtx', 'winlogbeat-json'] as const;
    const one = simulate({ hosts: 30, days: 1, seed: 5, out: outB, rate: 150, writeOnly: [...windows] });
    const rest = SIM_FORMATS.filter((f) => !(windows as readonly string[]).includes(f));
    const two = simulate({ hosts: 30, days: 1, seed: 5, out: outB, rate: 150, writeOnly: rest });
    assert.equal(digest(outA), digest(outB));
    assert.equal(one.events + two.events, a.events);
    assert.equal(one.bytes + two.bytes, a.bytes);
  });

  it('labels every scenario with what DET0496 should conclude', () => {
    const byKind = new Map(a.truth.map((t) => [t.kind, t]));
    // One of every kind on a 30-host fleet (round-robin plan).
    assert.equal(byKind.get('rmm-full')?.expect, 'alert');
    assert.equal(byKind.get('rmm-full')?.steps.length, 4);
    assert.equal(byKind.get('rmm-session-only')?.expect, 'signal');
    assert.equal(byKind.get('spread-beyond-window')?.expect, 'signal');
    assert.equal(byKind.get('approved-helpdesk')?.expect, 'suppressed');
    assert.equal(byKind.get('approved-misuse')?.expect, 'alert');
    assert.ok(byKind.get('approved-misuse')?.modifiers.includes('suspicious_child'));
    assert.ok(byKind.get('custom-rat')?.modifiers.includes('unknown_tool'));
    for (const t of a.truth) {
      assert.ok(t.images.length > 0, `${t.id} names its agent`);
      assert.ok(
        a.hosts.some((h) => h.name === t.host),
        `${t.id} is on a fleet host`,
      );
    }
  });

  it('keeps hosts in 10.x and C2 in documentation ranges', () => {
    assert.ok(a.hosts.every((h) => h.ip.startsWith('10.')));
    for (const t of a.truth.filter((x) => x.tool === 'custom'))
      assert.match(t.destinations[0], /^(203\.0\.113|198\.51\.100|192\.0\.2)\./);
  });

  it('is read by ratchain without a single problem, and the injected chains are found', async () => {
    const parsed = parseConfig(readFileSync(join(outA, 'ratchain.yaml'), 'utf8'), 'ratchain.yaml');
    assert.ok(parsed.ok);
    const problems: Problem[] = [];
    const r = await hunt({
      paths: [a.logDir],
      config: parsed.config,
      catalog: builtinCatalog(),
      onProblem: (p) => problems.push(p),
    });
    assert.deepEqual(problems.slice(0, 3), []);
    assert.equal(r.summary.late, 0);
    const formats = new Set(r.summary.inputs.map((i) => i.format));
    for (const f of ['event-xml', 'evtx', 'auditd', 'eslogger', 'osquery', 'zeek'])
      assert.ok(formats.has(f), `read as ${f}: ${[...formats]}`);
    assert.ok(r.summary.events > 5000, `${r.summary.events} events`);
    const alertHosts = new Set(
      r.findings.filter((f) => f.status === 'alert').map((f) => f.host.split('.')[0].toLowerCase()),
    );
    const full = a.truth.find((t) => t.kind === 'rmm-full')!;
    assert.ok(alertHosts.has(full.host.toLowerCase()), `rmm-full on ${full.host} alerted`);
  });

  it('writes only the events of a window when asked, and labels only the scenarios inside it', async () => {
    const out = tmp();
    const hour = 3_600_000;
    const w = simulate({
      hosts: 30,
      days: 1,
      seed: 5,
      out,
      rate: 150,
      window: { from: 10 * hour, to: 12 * hour },
    });
    assert.ok(w.events > 0 && w.events < a.events / 3, `${w.events} events of ${a.events}`);
    const day = Date.UTC(2026, 10, 2);
    for (const t of w.truth) assert.ok(t.start >= day + 10 * hour && t.start < day + 12 * hour);
    const parsed = parseConfig(readFileSync(join(out, 'ratchain.yaml'), 'utf8'), 'ratchain.yaml');
    assert.ok(parsed.ok);
    let outside = 0;
    await hunt({
      paths: [w.logDir],
      config: parsed.config,
      catalog: builtinCatalog(),
      onEvent: (e) => {
        if (e.time < day + 10 * hour || e.time >= day + 12 * hour) outside++;
      },
    });
    assert.equal(outside, 0, 'every event read lies inside the window');
  });
});
