// Runs one hunt in its own process and prints {seconds, events, bytes, findings, maxRssBytes}:
// peak RSS is only meaningful per process.
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { hunt } from '../../src/hunt.ts';

const file = process.argv[2];
const t0 = performance.now();
const { findings, summary } = await hunt({
  paths: [file],
  config: configSchema.parse({}),
  catalog: builtinCatalog(),
});
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  JSON.stringify({
    seconds,
    events: summary.events,
    bytes: summary.bytes,
    findings: findings.length,
    problems: summary.problems,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
