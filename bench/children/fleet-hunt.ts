// Hunts a simulated fleet (all formats, with the fleet's own config) in its own process and
// prints {seconds, events, bytes, findings, problems, maxRssBytes, peakHeapBytes}. Peak heap,
// sampled every 10,000 events, stands for the engine's live state (it must not grow with days).
// Usage: fleet-hunt.ts FLEET_DIR
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { parseConfig } from '../../src/config/load.ts';
import { hunt } from '../../src/hunt.ts';

const dir = process.argv[2];
const parsed = parseConfig(readFileSync(join(dir, 'ratchain.yaml'), 'utf8'), 'ratchain.yaml');
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
const ESLOGGER_FILE = /([^/\\]+)\.eslogger\.ndjson$/;
let n = 0;
let peakHeap = 0;
const t0 = performance.now();
const { findings, summary } = await hunt({
  paths: [join(dir, 'logs')],
  config: parsed.config,
  catalog: builtinCatalog(),
  onEvent(e) {
    // eslogger names no host: the generator writes one file per host.
    if (!e.host) e.host = ESLOGGER_FILE.exec(e.src.file)?.[1] ?? '';
    if (++n % 10_000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  },
});
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  JSON.stringify({
    seconds,
    events: summary.events,
    bytes: summary.bytes,
    findings: findings.filter((f) => f.status === 'alert').length,
    problems: summary.problems,
    agents: summary.engine.agents,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    peakHeapBytes: peakHeap,
  }),
);
