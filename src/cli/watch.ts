// `ratchain watch`: follow files and stdin, write findings as they happen (NDJSON), stop cleanly
// on SIGINT/SIGTERM.
import { parseDuration } from '../config/schema.ts';
import { describeHostNote } from '../ingest/host-hint.ts';
import type { Problem } from '../ingest/reader.ts';
import { describeOffsets } from '../model/clock-offset.ts';
import { openOutputs } from '../sinks/registry.ts';
import { sinkRequests } from '../sinks/sink-flags.ts';
import { watch } from '../stream/watch.ts';
import { LIVE_SINKS } from './commands/sink-options.ts';
import type { WatchFlags } from './commands/watch.ts';
import { EXIT } from './exit.ts';
import { resolveInputs } from './input-flags.ts';
import type { CliIO } from './io.ts';
import { statusLines } from './status-lines.ts';

/** Hosts whose clock offset the stop line names (the largest first). */
const MAX_OFFSETS_SHOWN = 12;

function duration(flag: string, v: string, io: CliIO): number | undefined {
  const ms = parseDuration(v);
  if (Number.isFinite(ms)) return ms;
  io.stderr.write(`ratchain: ${flag}: "${v}" is not a duration; write e.g. 5s, 250ms, 1m\n`);
  return undefined;
}

export async function runWatchCommand(inputs: string[], o: WatchFlags, io: CliIO): Promise<number> {
  const resolved = await resolveInputs(o, io);
  if (!resolved) return EXIT.usage;
  const { config } = resolved;
  const reorderMs = duration('--reorder', o.reorder, io);
  const idleFlushMs = duration('--idle-flush', o.idleFlush, io);
  const pollMs = duration('--poll', o.poll, io);
  if (reorderMs === undefined || idleFlushMs === undefined || pollMs === undefined) return EXIT.usage;

  const requests = sinkRequests(o, LIVE_SINKS);
  const out = openOutputs(requests.length ? requests : [{ sink: 'ndjson', path: '-' }], {
    live: true,
    stdout: io.stdout,
  });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const status = statusLines(io.stderr, !!o.quiet);
  const say = status.say;
  const onProblem = (p: Problem) =>
    status.tell(`${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`);
  say(`watching ${inputs.join(', ')} (Ctrl-C to stop)`);
  const summary = await watch({
    inputs,
    config,
    catalog: resolved.catalog,
    format: resolved.format,
    defaultHost: resolved.defaultHost,
    reorderMs,
    idleFlushMs,
    pollMs,
    fromEnd: o.fromEnd,
    signal: stop.signal,
    onProblem,
    onHost: (h) => say(`${h.input}: ${describeHostNote(h, false)}`),
    onFinding(f, kind) {
      out.write(f);
      say(
        `${kind === 'final' ? 'final' : f.revision === 0 ? 'new' : 'update'} ${f.severity} ${f.title} [${f.id} rev ${f.revision}]`,
      );
    },
  });
  out.close();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  say(
    `stopped: ${summary.eventsIn} events, ${summary.late} late, ${summary.problems} problems, ${summary.findingsEmitted} finding updates`,
  );
  for (const h of summary.hosts) say(`hosts: ${h.input}: ${describeHostNote(h)}`);
  const offsets = summary.engine.clockOffsets ?? [];
  if (offsets.length) say(`clocks: ${describeOffsets(offsets, MAX_OFFSETS_SHOWN)}`);
  status.flush();
  return EXIT.ok;
}
