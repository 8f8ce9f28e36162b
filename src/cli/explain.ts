// `ratchain explain ID`: finds one finding (by id or unique id prefix) in a findings NDJSON file
// written by `ratchain hunt -o`, or by re-running the hunt over the given inputs, and prints its
// story (src/sinks/explain.ts).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { hunt } from '../hunt.ts';
import type { Finding } from '../model/finding.ts';
import { explainFinding } from '../sinks/explain.ts';
import { loadCatalogOrReport, loadConfigOrExit } from './config.ts';
import { EXIT } from './exit.ts';

interface ExplainFlags {
  findings?: string;
  config?: string;
  format?: string;
}

/** Findings from an NDJSON file; bad lines are reported and skipped. */
export async function readFindings(
  file: string,
  onBad: (line: number, msg: string) => void,
): Promise<Finding[]> {
  const input = file === '-' ? process.stdin : createReadStream(file);
  const out: Finding[] = [];
  let n = 0;
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    n++;
    if (!line.trim()) continue;
    try {
      const v = JSON.parse(line) as Finding;
      if (typeof v?.id === 'string' && Array.isArray(v.steps)) out.push(v);
      else onBad(n, 'not a ratchain finding');
    } catch (e) {
      onBad(n, `not JSON: ${(e as Error).message}`);
    }
  }
  return out;
}

/** The finding with this id, or the one whose id starts with it; several matches is an error. */
export function pickFinding(findings: Finding[], id: string): Finding | string {
  // The NDJSON may hold several revisions of one finding (streaming updates): keep the last.
  const exact = findings.filter((f) => f.id === id);
  if (exact.length) return exact.reduce((a, b) => (b.revision >= a.revision ? b : a));
  const ids = [...new Set(findings.filter((f) => f.id.startsWith(id)).map((f) => f.id))];
  if (ids.length === 1) return pickFinding(findings, ids[0]);
  if (ids.length > 1)
    return `"${id}" matches ${ids.length} findings (${ids.slice(0, 5).join(', ')}); give more of the id`;
  return `no finding with id "${id}" among ${findings.length}`;
}

export function explainCommand(): Command {
  return new Command('explain')
    .description('tell one finding as a story: each step, its evidence, what is missing, how it was scored')
    .argument('<id>', 'finding id (or a unique prefix of it)')
    .argument('[inputs...]', 'logs to hunt again when no --findings file is given')
    .option('--findings <file>', 'findings NDJSON written by `ratchain hunt -o FILE` (- for stdin)')
    .option('-c, --config <file>', 'YAML config for re-hunting the inputs')
    .option('-f, --format <id>', 'force the input format when re-hunting')
    .action(async (id: string, inputs: string[], o: ExplainFlags) => {
      process.exitCode = await runExplain(id, inputs, o);
    });
}

async function runExplain(id: string, inputs: string[], o: ExplainFlags): Promise<number> {
  let findings: Finding[];
  if (o.findings) {
    try {
      findings = await readFindings(o.findings, (line, msg) =>
        process.stderr.write(`ratchain: ${o.findings}:${line}: ${msg}; skipped\n`),
      );
    } catch (e) {
      process.stderr.write(`ratchain: ${o.findings}: cannot read: ${(e as Error).message}\n`);
      return EXIT.usage;
    }
  } else if (inputs.length) {
    const config = loadConfigOrExit(o.config);
    if (!config) return EXIT.usage;
    // Signals too, so an id taken from a --min-steps 2 run can still be explained.
    const r = await hunt({
      paths: inputs,
      config: { ...config, MinSteps: Math.min(config.MinSteps, 2) },
      catalog: loadCatalogOrReport(config),
      format: o.format,
    });
    findings = r.findings;
  } else {
    process.stderr.write('ratchain: explain needs --findings FILE or the input logs to hunt again\n');
    return EXIT.usage;
  }
  const f = pickFinding(findings, id);
  if (typeof f === 'string') {
    process.stderr.write(`ratchain: ${f}\n`);
    return EXIT.usage;
  }
  process.stdout.write(explainFinding(f));
  return EXIT.ok;
}
