// Structured evidence: every record behind a step carries the facts the engine read from it
// (process, file, registry value, persistence entry, endpoint), so sinks map fields instead of
// parsing summaries. Told with plain events; the golden findings are checked against the schema.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { createEngine } from '../../src/engine/engine.ts';
import type { RatEvent } from '../../src/model/event.ts';
import type { Finding, StepId } from '../../src/model/finding.ts';
import { REPO_ROOT } from '../support/data.ts';
import { at, byTime, conns, fileCreate, proc, regSet, service } from '../support/events.ts';

const EXPLORER = 'C:\\Windows\\explorer.exe';
const PORTABLE = 'C:\\Users\\alice\\Downloads\\AnyDesk.exe';
const INSTALLED = 'C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe';
const CMD = 'C:\\Windows\\System32\\cmd.exe';
const RELAY = '203.0.113.50';
const SHA = `${'b'.repeat(62)}02`;

function run(events: RatEvent[]): Finding[] {
  const engine = createEngine(configSchema.parse({ MinSteps: 1 }), builtinCatalog());
  for (const ev of events) engine.push(ev);
  return engine.finish();
}

function firstEvidence(f: Finding, s: StepId) {
  const ev = f.steps.find((x) => x.step === s)?.evidence[0];
  assert.ok(ev, `the ${s} step has evidence`);
  return ev;
}

const chain = (): RatEvent[] =>
  byTime(
    proc({
      at: at(0),
      guid: '{A}',
      pid: 4242,
      image: PORTABLE,
      parentGuid: '{explorer}',
      parentImage: EXPLORER,
      user: 'CORP\\alice',
      sha256: SHA,
      commandLine: `"${PORTABLE}" --silent`,
    }),
    service({ at: at(1), name: 'AnyDesk', command: `"${INSTALLED}" --service` }),
    conns({ at: at(2), guid: '{A}', image: PORTABLE, srcPort: 51000, dstIp: RELAY, dstPort: 443, n: 5 }),
    proc({ at: at(5), guid: '{c}', pid: 77, image: CMD, parentGuid: '{A}', parentImage: PORTABLE }),
  );

describe('structured evidence', () => {
  const [f] = run(chain());

  test('S1 evidence names the process: pid, guid, image, command line, user, hashes, parent', () => {
    const p = firstEvidence(f, 'execution').process;
    assert.deepEqual(p, {
      pid: 4242,
      guid: '{A}',
      image: PORTABLE,
      commandLine: `"${PORTABLE}" --silent`,
      user: 'CORP\\alice',
      hashes: [`sha256:${SHA}`],
      parent: { image: EXPLORER },
    });
  });

  test('S2 evidence from a 7045 record names the entry and the command it registers', () => {
    assert.deepEqual(firstEvidence(f, 'persistence').entry, {
      mechanism: 'service',
      name: 'AnyDesk',
      command: `"${INSTALLED}" --service`,
    });
  });

  test('S3 evidence names the endpoint (peer, port, protocol, direction, own source port) and the process', () => {
    const ev = firstEvidence(f, 'egress');
    assert.deepEqual(ev.endpoint, {
      ip: RELAY,
      port: 443,
      protocol: 'tcp',
      direction: 'outbound',
      srcIp: '10.1.2.3',
      srcPort: 51000,
    });
    assert.equal(ev.process?.image, PORTABLE);
  });

  test('S4 evidence names the child and its parent', () => {
    const p = firstEvidence(f, 'control').process;
    assert.equal(p?.image, CMD);
    assert.equal(p?.pid, 77);
    assert.equal(p?.parent?.image, PORTABLE);
  });

  test('a Run key set names the registry value, the entry and where it lives, and the writer', () => {
    const KEY = 'HKU\\S-1-5-21-1\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater';
    const [g] = run(
      byTime(
        proc({ at: at(0), guid: '{U}', image: 'C:\\Users\\bob\\AppData\\Local\\Temp\\upd.exe' }),
        regSet({ at: at(1), guid: '{U}', key: KEY, data: 'C:\\Users\\bob\\AppData\\Local\\Temp\\upd.exe' }),
      ),
    );
    const ev = firstEvidence(g, 'persistence');
    assert.deepEqual(ev.registry, { key: KEY, data: 'C:\\Users\\bob\\AppData\\Local\\Temp\\upd.exe' });
    assert.deepEqual(ev.entry, {
      mechanism: 'run_key',
      name: 'Updater',
      command: 'C:\\Users\\bob\\AppData\\Local\\Temp\\upd.exe',
      location: KEY,
    });
    assert.equal(ev.process?.image, 'C:\\Users\\bob\\AppData\\Local\\Temp\\upd.exe');
  });

  test('a unit file written names the file and the entry it makes', () => {
    const [g] = run(
      byTime(
        proc({ at: at(0), pid: 900, image: '/tmp/.x/relayd', platform: 'linux', host: 'web01' }),
        fileCreate({
          at: at(1),
          pid: 900,
          image: '/tmp/.x/relayd',
          path: '/etc/systemd/system/relayd.service',
          platform: 'linux',
          host: 'web01',
        }),
      ),
    );
    const ev = firstEvidence(g, 'persistence');
    assert.deepEqual(ev.file, { path: '/etc/systemd/system/relayd.service', op: 'create' });
    assert.deepEqual(ev.entry, {
      mechanism: 'systemd',
      name: 'relayd.service',
      location: '/etc/systemd/system/relayd.service',
    });
  });
});

describe('golden findings validate against schema/finding.schema.json', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(
    JSON.parse(readFileSync(join(REPO_ROOT, 'schema/finding.schema.json'), 'utf8')),
  );
  const dir = join(REPO_ROOT, 'test/golden');
  for (const file of readdirSync(dir).filter((n) => n.endsWith('.findings.ndjson'))) {
    test(file, () => {
      const lines = readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean);
      assert.ok(lines.length > 0);
      for (const [i, l] of lines.entries()) {
        const ok = validate(JSON.parse(l));
        assert.ok(ok, `${file}:${i + 1}: ${ajv.errorsText(validate.errors)}`);
      }
    });
  }
});
