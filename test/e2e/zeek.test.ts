// Real Zeek conn logs (../shared/data/stratosphere-...; skipped visibly when absent): flows carry
// durations and bytes but no process, so alone they make host-level egress, never a chain.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { hunt } from '../../src/hunt.ts';
import { needsData, REPO_ROOT, sharedData } from '../support/data.ts';

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

describe('Zeek dhcp.log and dns.log beside conn.log', () => {
  test('a flow belongs to the host its address was leased to, and dns.log names its destination', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchain-zeek-dhcp-'));
    try {
      const conn = join(dir, 'conn.log');
      const dns = join(dir, 'dns.log');
      // 10.20.40.57 is WKS-DAVE's by the lease at 1770710402 (office.dhcp.log); a 40-minute session.
      writeFileSync(
        conn,
        '{"ts":1770711000.25,"uid":"CdaveLong","id.orig_h":"10.20.40.57","id.orig_p":51022,"id.resp_h":"198.51.100.23","id.resp_p":443,"proto":"tcp","duration":2400.5,"orig_bytes":9100000,"resp_bytes":220000,"conn_state":"SF","local_orig":true,"history":"ShADadFf"}\n',
      );
      writeFileSync(
        dns,
        '{"ts":1770710999.9,"uid":"CdaveDns","id.orig_h":"10.20.40.57","id.orig_p":60111,"id.resp_h":"10.20.40.2","id.resp_p":53,"proto":"udp","query":"relay.remote-help.example","qtype":1,"qtype_name":"A","rcode":0,"rcode_name":"NOERROR","answers":["198.51.100.23"],"TTLs":[60.0]}\n',
      );
      const { findings, summary } = await hunt({
        paths: [join(REPO_ROOT, 'test/fixtures/network/office.dhcp.log'), dns, conn],
        config: configSchema.parse({ MinSteps: 1 }),
        catalog: builtinCatalog(),
      });
      assert.equal(summary.problems, 0);
      assert.equal(findings.length, 1);
      const [f] = findings;
      assert.equal(f.host, 'WKS-DAVE.corp.example');
      assert.deepEqual(
        f.egress.map((d) => [d.ip, d.port, d.name, d.hostLevel]),
        [['198.51.100.23', 443, 'relay.remote-help.example', true]],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
