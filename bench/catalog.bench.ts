// Issue 9's benchmark: loading the public LOLRMM catalogue (must stay under 200 ms), against a
// bare read-and-JSON.parse of the same file; and naming images with the loaded catalogue,
// against one Map lookup per image (the least any matcher must do).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog } from '../src/catalog/index.ts';
import type { Benchmark, BenchRow } from './row.ts';

const LOLRMM = join(
  new URL('..', import.meta.url).pathname,
  '..',
  'shared',
  'reference',
  'lolrmm',
  'rmm_tools.json',
);

/** Best and median of `n` timed runs, in seconds. */
function time(n: number, f: () => void): { best: number; median: number } {
  const runs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f();
    runs.push((performance.now() - t0) / 1000);
  }
  runs.sort((a, b) => a - b);
  return { best: runs[0], median: runs[Math.floor(n / 2)] };
}

/** Image facts in the proportions a fleet shows: mostly unknown programs, some tools, renamed ones. */
function images(
  count: number,
): Array<{ image: string; originalFileName?: string; product?: string; signer?: string }> {
  const known = [
    'AnyDesk.exe',
    'TeamViewer.exe',
    'ScreenConnect.ClientService.exe',
    'rutserv.exe',
    'ngrok.exe',
  ];
  const out = [];
  for (let i = 0; i < count; i++) {
    const r = i % 20;
    if (r === 0) out.push({ image: `C:\\Program Files\\Vendor${i}\\${known[i % known.length]}` });
    else if (r === 1)
      out.push({
        image: `C:\\Users\\u${i}\\Downloads\\invoice${i}.exe`,
        originalFileName: known[i % known.length],
      });
    else if (r === 2) out.push({ image: `/opt/app${i}/bin/agent${i}`, signer: `Vendor ${i} Ltd` });
    else
      out.push({
        image: `C:\\Program Files\\App${i % 400}\\bin\\tool${i}.exe`,
        product: `App ${i % 400}`,
        signer: 'Some Publisher Inc.',
      });
  }
  return out;
}

const bench: Benchmark = async ({ scale }) => {
  if (!existsSync(LOLRMM))
    return [{ name: 'catalog: load LOLRMM', seconds: 0, extra: { skipped: `${LOLRMM} absent` } }];
  const rows: BenchRow[] = [];
  const bytes = statSync(LOLRMM).size;
  const runs = 9;
  let loaded = loadCatalog([LOLRMM]);
  const load = time(runs, () => {
    loaded = loadCatalog([LOLRMM]);
  });
  const parse = time(runs, () => JSON.parse(readFileSync(LOLRMM, 'utf8')));
  const entries = loaded.files[0].entries ?? [];
  rows.push({
    name: 'catalog: load LOLRMM rmm_tools.json',
    bytes,
    events: entries.length,
    seconds: load.best,
    baseline: 'read + JSON.parse',
    baselineSeconds: parse.best,
    ratio: parse.best / load.best,
    extra: {
      median_ms: (load.median * 1000).toFixed(1),
      budget_ms: 200,
      imported: entries.filter((e) => e.outcome === 'imported').length,
      merged: entries.filter((e) => e.outcome === 'merged').length,
      skipped: entries.filter((e) => e.outcome === 'skipped').length,
      tools: loaded.catalog.tools.length,
    },
  });

  const facts = images(Math.round(20_000 * scale));
  const { catalog } = loadCatalog([LOLRMM]);
  const names = new Map(catalog.tools.flatMap((t) => t.executables.map((e) => [e, t] as const)));
  let named = 0;
  const match = time(3, () => {
    // A fresh catalogue each run, so its memo of earlier answers does not help.
    const c = loadCatalog([LOLRMM]).catalog;
    named = 0;
    const t0 = performance.now();
    for (const f of facts) if (c.matchImage(f)) named++;
    matchSeconds.push((performance.now() - t0) / 1000);
  });
  void match;
  const base = time(3, () => {
    for (const f of facts) names.get(f.image.slice(f.image.lastIndexOf('\\') + 1).toLowerCase());
  });
  const best = Math.min(...matchSeconds);
  rows.push({
    name: 'catalog: matchImage (builtin + LOLRMM)',
    events: facts.length,
    seconds: best,
    baseline: 'one Map lookup per image',
    baselineSeconds: base.best,
    ratio: base.best / best,
    extra: { us_per_image: ((best / facts.length) * 1e6).toFixed(2), named },
  });
  return rows;
};

const matchSeconds: number[] = [];

export default bench;
