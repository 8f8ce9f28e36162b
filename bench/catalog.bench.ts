// Loading the public LOLRMM catalogue: `ratchain catalog check rmm_tools.json` (the CLI, whole
// process: start-up, read, validate, import every entry) against `ratchain --version` (the same
// start-up, nothing loaded). What loading the file adds must stay under LOAD_BUDGET_S.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { benchRuns, cli, mustRun, ROOT, versus } from './process.ts';
import { type Benchmark, skippedRow } from './row.ts';

const LOLRMM = join(ROOT, '..', 'shared', 'reference', 'lolrmm', 'rmm_tools.json');
/** Every command that takes --catalog pays this; a responder should not notice it. */
const LOAD_BUDGET_S = 0.2;

const bench: Benchmark = async () => {
  const name = 'catalog check LOLRMM rmm_tools.json';
  const goal = `<= ${LOAD_BUDGET_S * 1000} ms over the baseline`;
  if (!existsSync(LOLRMM)) return [skippedRow(name, goal, `${LOLRMM} absent`)];
  const c = versus(
    () => mustRun(cli('catalog', 'check', LOLRMM), {}, [0]),
    () => mustRun(cli('--version'), {}, [0]),
    benchRuns(),
  );
  const over = c.subject.wall - c.baseline.wall;
  return [
    {
      name,
      bytes: statSync(LOLRMM).size,
      seconds: c.subject.wall,
      cpuSeconds: c.subject.cpu,
      baseline: 'ratchain --version',
      baselineSeconds: c.baseline.wall,
      figure: `+${Math.round(over * 1000)} ms`,
      goal,
      met: over <= LOAD_BUDGET_S,
      peakRss: c.subject.maxRss,
    },
  ];
};

export default bench;
