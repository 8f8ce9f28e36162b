// `ratchain simulate`: its options; the generator is src/simulate/, loaded when the command runs.
import { Command, InvalidArgumentError, Option } from 'commander';
import { SIM_FORMATS, type SimFormat } from '../../simulate/formats.ts';
import type { CliContext } from '../io.ts';
import { count } from './values.ts';

export interface SimulateFlags {
  out: string;
  hosts: number;
  days: number;
  seed: number;
  rate: number;
  scenarios?: number;
  formats?: SimFormat[];
  window?: { from: number; to: number };
}

const CLOCK_WINDOW = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

/** "09:00-10:00" as ms after midnight. */
function clockWindow(v: string): { from: number; to: number } {
  const m = CLOCK_WINDOW.exec(v);
  const ms = (h: string, min: string) => (Number(h) * 60 + Number(min)) * 60_000;
  const w = m ? { from: ms(m[1], m[2]), to: ms(m[3], m[4]) } : undefined;
  if (!w || w.to <= w.from || w.to > 86_400_000)
    throw new InvalidArgumentError(`--window must be HH:MM-HH:MM within one day, got "${v}"`);
  return w;
}

export function simulateCommand(ctx: CliContext): Command {
  return new Command('simulate')
    .description(
      'generate a synthetic fleet: benign background plus injected remote-access chains, in real log formats, with ground truth',
    )
    .requiredOption('--out <dir>', 'output directory (logs/, truth.ndjson, fleet.json, ratchain.yaml)')
    .option('--hosts <n>', 'number of hosts (60% Windows, 20% Linux, 20% macOS)', count('--hosts', 1), 50)
    .option('--days <n>', 'days of telemetry', count('--days', 1), 1)
    .option('--seed <n>', 'random seed: the same seed writes the same bytes', count('--seed'), 1)
    .option('--rate <n>', 'background records per host-day (roughly)', count('--rate'), 400)
    .option(
      '--scenarios <n>',
      'injected scenarios (default: a quarter of the hosts, at least 10)',
      count('--scenarios'),
    )
    .addOption(new Option('--formats <formats...>', 'output formats').choices([...SIM_FORMATS]))
    .option(
      '--window <HH:MM-HH:MM>',
      'write only the events between these UTC times of the first day (a short window of a large fleet)',
      clockWindow,
    )
    .action(async (o: SimulateFlags) => {
      const { runSimulateCommand } = await import('../simulate.ts');
      ctx.exitCode = runSimulateCommand(o, ctx);
    });
}
