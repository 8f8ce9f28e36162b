// `ratchain hunt`: wires options to the offline pipeline (src/hunt.ts) and the sinks.
import { hunt } from '../hunt.ts';
import { failsAt, SEVERITIES, type Severity } from '../model/finding.ts';
import { openOutputs } from '../sinks/registry.ts';
import { checkRequests, sinkRequests } from '../sinks/sink-flags.ts';
import { terminalWidth } from '../sinks/terminal.ts';
import { HUNT_SINKS, type HuntFlags } from './commands/hunt.ts';
import { EXIT } from './exit.ts';
import { checkOutputs, startProgress } from './hunt-exports.ts';
import { resolveInputs } from './input-flags.ts';
import { inputReport, noReadableInput } from './input-report.ts';
import type { CliIO } from './io.ts';

function rank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export async function runHuntCommand(inputs: string[], o: HuntFlags, io: CliIO): Promise<number> {
  checkRequests(sinkRequests(o, HUNT_SINKS));
  checkOutputs(sinkRequests(o, HUNT_SINKS).map((r) => r.path));
  const resolved = await resolveInputs(o, io);
  if (!resolved) return EXIT.usage;
  const { config, catalog } = resolved;

  const report = inputReport(io);
  const progress = startProgress(inputs, o, io);
  const { findings, summary } = await hunt({
    paths: inputs,
    config,
    catalog,
    format: resolved.format,
    defaultHost: resolved.defaultHost,
    onProblem: report.onProblem,
    onBytes: progress.bytes,
    onEvent: progress.event,
  }).finally(progress.stop);
  report.finish(summary);

  const min = o.minSeverity ? rank(o.minSeverity) : -1;
  const shownFindings = findings.filter((f) => rank(f.severity) >= min);
  const requests = sinkRequests(o, HUNT_SINKS);
  if (o.json) requests.push({ sink: 'ndjson', path: '-' });
  else if (!o.quiet) requests.push({ sink: 'terminal', path: '-' });
  const outputs = openOutputs(requests, {
    live: false,
    stdout: io.stdout,
    terminal: {
      color: o.color !== false && io.stdout.isTTY === true && !process.env.NO_COLOR,
      width: terminalWidth(io.stdout),
    },
  });
  for (const f of shownFindings) outputs.write(f);
  outputs.close(summary);
  const bad = noReadableInput(summary, io);
  if (bad !== undefined) return bad;
  const failOn = o.failOn;
  if (failOn && findings.some((f) => failsAt(f, failOn))) return EXIT.findings;
  return EXIT.ok;
}
