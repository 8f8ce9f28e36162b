// `npm run scenarios`: scores the hand-written scenario corpus in test/scenarios/ (docs/scenarios.md).
// One line per scenario, then `scenarios_right=N/M`; exits 1 unless every scenario is right.
// `npm run scenarios -- NAME...` scores only the named scenarios; SCENARIOS_DIR scores another corpus.
import { basename, join } from 'node:path';
import { resultLine, runScenario, scenarioDirs } from './scenarios/run.ts';

const root =
  process.env.SCENARIOS_DIR ?? join(new URL('.', import.meta.url).pathname, '..', 'test', 'scenarios');
const only = process.argv.slice(2);
const dirs = scenarioDirs(root).filter((d) => only.length === 0 || only.some((n) => d.endsWith(n)));
let right = 0;
for (const dir of dirs) {
  try {
    const r = await runScenario(dir);
    if (r.right) right++;
    console.log(resultLine(r));
  } catch (e) {
    // A truth file that does not parse is a wrong scenario, not the end of the run.
    console.log(`WRONG  ${basename(dir)}  ${(e as Error).message}`);
  }
}
console.log(`scenarios_right=${right}/${dirs.length}`);
process.exitCode = dirs.length > 0 && right === dirs.length ? 0 : 1;
