// Real Zeek conn logs (../shared/data/stratosphere-...; skipped visibly when absent): flows carry
// durations and bytes but no process, so alone they make host-level egress, never a chain.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { hunt } from '../../src/hunt.ts';
import { needsData, sharedData } from '../support/data.ts';

const RAT = sharedData('stratosphere-security-datasets-for-testing/003-zeek-scenario-malicious/conn.log');
const MIXED = sharedData('stratosphere-security-datasets-for-testing/010-zeek-mixed/data/conn.log.labeled');

describe('Zeek conn logs', () => {
  test(
    "the AndroidTester RAT's 2362 s session to 147.32.83.234:1337 is judged long-lived",
    needsData(RAT),
    async () => {
      const { findings, summary } = await hunt({
        paths: [RAT!],
        config: configSchema.parse({ MinSteps: 1 }),
        catalog: builtinCatalog(),
      });
      assert.equal(summary.problems, 0);
      // Sessions far apart in time are separate chains (each TimeWindow closes); one holds 2362 s.
      const rat = findings.filter((x) => x.egress.some((d) => d.ip === '147.32.83.234' && d.port === 1337));
      const f = rat.find((x) => /session of 2362 s/.test(x.steps.find((s) => s.step === 'egress')!.summary));
      assert.ok(f, rat.map((x) => x.steps.find((s) => s.step === 'egress')!.summary).join('\n'));
      const egress = f.steps.find((s) => s.step === 'egress')!;
      assert.ok(egress.seen);
      assert.match(egress.summary, /147\.32\.83\.234:1337: session of 2362 s \(>= 300 s\)/);
      assert.match(egress.summary, /flow only, no process/);
      assert.equal(f.status, 'signal', 'a flow alone is one step, never an alert');
      // and at the default threshold a flow log alone reports nothing
      const defaults = await hunt({
        paths: [RAT!],
        config: configSchema.parse({}),
        catalog: builtinCatalog(),
      });
      assert.deepEqual(defaults.findings, []);
    },
  );

  test(
    'a benign PC with 6.6 h HTTPS sessions makes no finding on its own (not even a 2-step signal)',
    needsData(MIXED),
    async () => {
      const { findings, summary } = await hunt({
        paths: [MIXED!],
        config: configSchema.parse({ MinSteps: 2 }),
        catalog: builtinCatalog(),
      });
      assert.equal(summary.problems, 0);
      assert.ok(summary.events > 5000);
      assert.deepEqual(
        findings.map((f) => f.title),
        [],
      );
    },
  );
});
