// `ratchain hunt`: wires options to the offline pipeline (src/hunt.ts) and the sinks.
import { issueMessage } from '../config/explain-issue.ts';
import { configSchema } from '../config/schema.ts';
import { hunt, type RunSummary } from '../hunt.ts';
import type { Problem } from '../ingest/reader.ts';
import { SEVERITIES, type Severity } from '../model/finding.ts';
import { openOutputs } from '../sinks/registry.ts';
import { checkRequests, sinkRequests } from '../sinks/sink-flags.ts';
import { terminalWidth } from '../sinks/terminal.ts';
import { HUNT_SINKS, type HuntFlags } from './commands/hunt.ts';
import { loadCatalogOrReport, loadConfigOrExit } from './config.ts';
import { EXIT } from './exit.ts';
import { knownFormat } from './formats.ts';
import { checkOutputs, startProgress } from './hunt-exports.ts';
import type { CliIO } from './io.ts';

const MAX_PROBLEMS_SHOWN = 20;

function rank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export async function runHuntCommand(inputs: string[], o: HuntFlags, io: CliIO): Promise<number> {
  if (!knownFormat(o.format, io)) return EXIT.usage;
  checkRequests(sinkRequests(o, HUNT_SINKS));
  checkOutputs(sinkRequests(o, HUNT_SINKS).map((r) => r.path));
  const loaded = loadConfigOrExit(o.config, io);
  if (!loaded) return EXIT.usage;
  const config = { ...loaded };
  // Command-line overrides go through the same schema as the config file.
  const overrides: Array<[keyof typeof config, unknown, string]> = [];
  if (o.minSteps !== undefined) overrides.push(['MinSteps', o.minSteps, '--min-steps']);
  if (o.internal) overrides.push(['InternalNetworks', o.internal, '--internal']);
  for (const [key, value, flag] of overrides) {
    const r = configSchema.shape[key].safeParse(value, { reportInput: true });
    if (!r.success) {
      io.stderr.write(`ratchain: ${flag}: ${r.error.issues.map(issueMessage).join('; ')}\n`);
      return EXIT.usage;
    }
    Object.assign(config, { [key]: r.data });
  }
  const catalog = loadCatalogOrReport(config, io, o.catalog);

  let shown = 0;
  let hidden = 0;
  const onProblem = (p: Problem) => {
    if (shown < MAX_PROBLEMS_SHOWN) {
      shown++;
      const pos = p.line !== undefined ? `:${p.line}` : p.offset !== undefined ? ` @${p.offset}` : '';
      io.stderr.write(`ratchain: ${p.file}${pos}${p.where ? ` (${p.where})` : ''}: ${p.message}\n`);
    } else hidden++;
  };

  const progress = startProgress(inputs, o, io);
  const { findings, summary } = await hunt({
    paths: inputs,
    config,
    catalog,
    format: o.format,
    defaultHost: o.host,
    onProblem,
    onBytes: progress.bytes,
    onEvent: progress.event,
  }).finally(progress.stop);
  for (const p of summary.inputProblems) io.stderr.write(`ratchain: ${p.file}: ${p.message}\n`);
  if (hidden) io.stderr.write(`ratchain: ... and ${hidden} more problems\n`);

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
  if (summary.inputs.length === 0) return EXIT.usage;
  if (!recognisedAny(summary)) {
    io.stderr.write(
      `ratchain: no input is in a format ratchain reads (${summary.inputs.length} tried); \`ratchain formats\` lists them\n`,
    );
    return EXIT.usage;
  }
  if (o.failOn && findings.some((f) => f.status !== 'suppressed' && rank(f.severity) >= rank(o.failOn!)))
    return EXIT.findings;
  return EXIT.ok;
}

/** Some input was recognised, or none was unreadable (an empty log holds no events: no error). */
function recognisedAny(summary: RunSummary): boolean {
  return summary.inputs.some((i) => i.format !== undefined) || summary.inputs.every((i) => i.problems === 0);
}
