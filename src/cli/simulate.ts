// `ratchain simulate`: writes a synthetic fleet's telemetry, its ground truth and a matching
// config. Parsing and wiring only; the generator is src/simulate/.
import { Command, Option } from 'commander';
import { SIM_FORMATS, type SimFormat, simulate } from '../simulate/simulate.ts';
import { EXIT } from './exit.ts';

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${v}"`);
    return n;
  };
}

export function simulateCommand(): Command {
  return new Command('simulate')
    .description(
      'generate a synthetic fleet: benign background plus injected remote-access chains, in real log formats, with ground truth',
    )
    .requiredOption('--out <dir>', 'output directory (logs/, truth.ndjson, fleet.json, ratchain.yaml)')
    .option('--hosts <n>', 'number of hosts (60% Windows, 20% Linux, 20% macOS)', positiveInt('--hosts'), 50)
    .option('--days <n>', 'days of telemetry', positiveInt('--days'), 1)
    .option('--seed <n>', 'random seed: the same seed writes the same bytes', positiveInt('--seed'), 1)
    .option('--rate <n>', 'background records per host-day (roughly)', positiveInt('--rate'), 400)
    .option(
      '--scenarios <n>',
      'injected scenarios (default: a quarter of the hosts, at least 10)',
      positiveInt('--scenarios'),
    )
    .addOption(new Option('--formats <formats...>', 'output formats').choices([...SIM_FORMATS]))
    .action(
      (o: {
        out: string;
        hosts: number;
        days: number;
        seed: number;
        rate: number;
        scenarios?: number;
        formats?: SimFormat[];
      }) => {
        if (o.hosts < 1 || o.days < 1) {
          process.stderr.write('ratchain simulate: --hosts and --days must be at least 1\n');
          process.exitCode = EXIT.usage;
          return;
        }
        const r = simulate({
          hosts: o.hosts,
          days: o.days,
          seed: o.seed,
          out: o.out,
          rate: o.rate,
          scenarios: o.scenarios,
          formats: o.formats,
        });
        const mb = r.bytes / 1e6;
        process.stderr.write(
          `simulated ${r.hosts.length} hosts x ${o.days} days: ${r.events} events, ${mb.toFixed(1)} MB in ${r.seconds.toFixed(1)} s ` +
            `(${Math.round((r.events / r.seconds) * 60).toLocaleString('en')} events/min), ${r.truth.length} scenarios\n`,
        );
        for (const f of r.files.length > 12 ? r.files.filter((f) => f.format !== 'eslogger') : r.files)
          process.stderr.write(`  ${f.path}  ${f.lines} lines\n`);
        if (r.files.length > 12)
          process.stderr.write(
            `  ${r.files.filter((f) => f.format === 'eslogger').length} eslogger files (one per host)\n`,
          );
        process.stderr.write(`hunt it: ratchain hunt -c ${o.out}/ratchain.yaml ${r.logDir}\n`);
        process.exitCode = EXIT.ok;
      },
    );
}
