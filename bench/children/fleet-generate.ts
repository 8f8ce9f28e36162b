// Generates a simulated fleet in its own process: prints {seconds, events, bytes, maxRssBytes}.
// Usage: fleet-generate.ts OUT HOSTS DAYS SEED
import { simulate } from '../../src/simulate/simulate.ts';

const [out, hosts, days, seed] = process.argv.slice(2);
const r = simulate({ out, hosts: Number(hosts), days: Number(days), seed: Number(seed) });
process.stdout.write(
  JSON.stringify({
    seconds: r.seconds,
    events: r.events,
    bytes: r.bytes,
    scenarios: r.truth.length,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
