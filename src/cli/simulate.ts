// `ratchain simulate`: writes a synthetic fleet's telemetry, its ground truth and a matching
// config. Wiring only; the generator is src/simulate/.
import { simulate } from '../simulate/simulate.ts';
import type { SimulateFlags } from './commands/simulate.ts';
import { EXIT } from './exit.ts';
import type { CliIO } from './io.ts';

export function runSimulateCommand(o: SimulateFlags, io: CliIO): number {
  const r = simulate({
    hosts: o.hosts,
    days: o.days,
    seed: o.seed,
    out: o.out,
    rate: o.rate,
    scenarios: o.scenarios,
    formats: o.formats,
    window: o.window,
  });
  const say = (s: string) => io.stderr.write(`${s}\n`);
  const mb = r.bytes / 1e6;
  say(
    `simulated ${r.hosts.length} hosts x ${o.days} days: ${r.events} events, ${mb.toFixed(1)} MB in ${r.seconds.toFixed(1)} s ` +
      `(${Math.round((r.events / r.seconds) * 60).toLocaleString('en')} events/min), ${r.truth.length} scenarios`,
  );
  const manyFiles = r.files.length > 12;
  for (const f of manyFiles ? r.files.filter((f) => f.format !== 'eslogger') : r.files)
    say(`  ${f.path}  ${f.lines} lines`);
  if (manyFiles)
    say(`  ${r.files.filter((f) => f.format === 'eslogger').length} eslogger files (one per host)`);
  say(`hunt it: ratchain hunt -c ${o.out}/ratchain.yaml ${r.logDir}`);
  return EXIT.ok;
}
