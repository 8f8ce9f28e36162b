// The run summary names each host's estimated clock offset to the flow sensor: the scenario
// corpus's laptop is 7 minutes 12 seconds ahead, estimated from the connections both sensors saw.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/cli.ts';
import { REPO_ROOT } from '../support/data.ts';

test('ratchain hunt prints the estimated clock offset of a host minutes off the flow sensor', async () => {
  const dir = join(REPO_ROOT, 'test/scenarios/xsensor-clock-skew');
  const r = await runCli('hunt', dir, '--no-color');
  assert.equal(r.code, 0, r.stderr);
  const flat = r.stdout.replace(/\n\s+/g, ' ');
  assert.match(
    flat,
    /clocks\s+offset to the flow sensor: ENG-LT07\.corp\.example \+432\.0 s \(\d+ matches\)/,
  );
});
