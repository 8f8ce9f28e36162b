// `ratchain explain ID`: finds one finding (by id or unique id prefix) in a findings NDJSON file
// written by `ratchain hunt -o`, or by re-running the hunt over the given inputs, and prints its
// story (src/sinks/explain.ts).

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { hunt } from '../hunt.ts';
import type { Finding } from '../model/finding.ts';
import { explainFinding } from '../sinks/explain.ts';
import { terminalSafeLines } from '../sinks/terminal-text.ts';
import type { ExplainFlags } from './commands/explain.ts';
import { loadCatalogOrReport, loadConfigOrExit } from './config.ts';
import { EXIT } from './exit.ts';
import { knownFormat } from './formats.ts';
import type { CliIO } from './io.ts';

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

export async function runExplain(id: string, inputs: string[], o: ExplainFlags, io: CliIO): Promise<number> {
  let findings: Finding[];
  if (o.findings) {
    try {
      findings = await readFindings(o.findings, (line, msg) =>
        io.stderr.write(`ratchain: ${o.findings}:${line}: ${msg}; skipped\n`),
      );
    } catch (e) {
      io.stderr.write(`ratchain: ${o.findings}: cannot read: ${(e as Error).message}\n`);
      return EXIT.usage;
    }
  } else if (inputs.length) {
    if (!knownFormat(o.format, io)) return EXIT.usage;
    const config = await loadConfigOrExit(o.config, io);
    if (!config) return EXIT.usage;
    // Signals too, so an id taken from a --min-steps 2 run can still be explained.
    const r = await hunt({
      paths: inputs,
      config: { ...config, MinSteps: Math.min(config.MinSteps, 2) },
      catalog: await loadCatalogOrReport(config, io),
      format: o.format,
    });
    findings = r.findings;
  } else {
    io.stderr.write('ratchain: explain needs --findings FILE or the input logs to hunt again\n');
    return EXIT.usage;
  }
  const f = pickFinding(findings, id);
  if (typeof f === 'string') {
    io.stderr.write(`ratchain: ${f}\n`);
    return EXIT.usage;
  }
  io.stdout.write(terminalSafeLines(explainFinding(f)));
  return EXIT.ok;
}
