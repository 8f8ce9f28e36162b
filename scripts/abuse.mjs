// `npm run abuse`: the abuse suite of issue 13, every test process capped at a 512 MB heap.
// test/abuse/*.abuse.ts build their own hostile inputs (fuzzing every format, 10^6-event files,
// serve and watch under load); the regression tests listed below reproduce the remaining cases
// of the issue and run here under the same cap. Budgets (CI sets smaller ones):
//   RATCHAIN_ABUSE_FUZZ    mutated inputs per format (10,000)
//   RATCHAIN_ABUSE_EVENTS  events in the big single files (1,000,000)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const HEAP_CAP_MB = 512;

/** Cases of the issue that a regular test already reproduces with an input it builds. */
const REGRESSIONS = [
  'test/ingest/input-bounds.test.ts', // symlinks and FIFOs in a directory, a FIFO with no writer, a gzip bomb
  'test/ingest/bad-input.test.ts', // torn, binary, 40 MB and deeply nested lines
  'test/ingest/windows/event-xml-hostile.test.ts', // a million characters of unclosed <Data>
  'test/config/pattern.test.ts', // (a+)+$ and every rule-pack pattern on 1 MB hostile lines
  'test/cli/terminal-escapes.test.ts', // OSC and clear-screen sequences in report, explain and stderr
  'test/cli/usage.test.ts', // -o /nonexistent/x and the other unwritable outputs
  'test/stream/serve.test.ts', // 413 streamed, 408 slow upload, a reader that never reads
  'test/stream/watch-rotation.test.ts', // two rotations in one poll, a writer on the renamed file, truncate-and-grow
  'test/stream/jetstream.test.ts', // a worker killed and restarted: nothing lost or repeated (--json too)
];

const suite = readdirSync(join(ROOT, 'test/abuse'))
  .filter((f) => f.endsWith('.abuse.ts'))
  .map((f) => join('test/abuse', f))
  .sort();
const files = [...suite, ...REGRESSIONS];
const r = spawnSync(process.execPath, ['scripts/test.mjs', ...files], {
  cwd: ROOT,
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${HEAP_CAP_MB}`.trim(),
  },
});
process.exit(r.status ?? 1);
