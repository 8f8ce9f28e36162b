// Generic interpreters as agents (G1, docs/severity.md): PowerShell is an agent when the instance
// that beacons out is one a persistence entry re-runs (Empire's stager and its Run key), and only
// a signal when the beacon, the entry and the shells come from different instances (an admin).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { createEngine } from '../../src/engine/engine.ts';
import type { PersistenceEvent, RatEvent } from '../../src/model/event.ts';
import type { Finding } from '../../src/model/finding.ts';
import { at, byTime, conns, proc, regSet } from '../support/events.ts';

const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const codes = (f: Finding) => f.reasons.map((r) => r.code);

function hunt(events: RatEvent[]): Finding[] {
  const engine = createEngine(configSchema.parse({ MinSteps: 2 }), builtinCatalog());
  for (const e of events) engine.push(e);
  return engine.finish();
}

describe('generic interpreters as agents', () => {
  test('an encoded launcher that beacons and writes a Run key re-running PowerShell hidden is an agent', () => {
    const events = byTime(
      proc({
        guid: 'E',
        image: PS,
        commandLine: 'powershell -noP -sta -w 1 -enc SQBmACgAJABQAFMAVgBlAHIA',
        at: at(0),
      }),
      conns({
        guid: 'E',
        image: PS,
        srcIp: '10.1.2.3',
        dstIp: '203.0.113.5',
        dstPort: 80,
        n: 12,
        everySec: 5,
        at: at(0, 2),
      }),
      regSet({
        guid: 'E',
        image: PS,
        key: 'HKU\\S-1-5-21-1\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater',
        data: `"${PS}" -c "$x=$((gp HKCU:Software\\Microsoft\\Windows\\CurrentVersion Debug).Debug);powershell -Win Hidden -enc $x"`,
        at: at(2),
      }),
    );
    const f = hunt(events).find((x) => x.agent.images.includes(PS))!;
    assert.equal(f.status, 'alert');
    assert.ok(codes(f).includes('generic_interpreter_agent'));
    assert.ok(codes(f).includes('suspicious_command'));
  });

  test("an admin's PowerShell: one instance downloads modules, another registers a task, children run checks: a signal", () => {
    const task: PersistenceEvent = {
      kind: 'persistence',
      time: at(3),
      host: 'WS01.corp.example',
      platform: 'windows',
      src: { file: 'Security.xml', format: 'event-xml', line: 1, eventId: '4698' },
      mechanism: 'scheduled_task',
      name: '\\Nightly Cleanup',
      command: 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\Scripts\\cleanup.ps1',
      actor: { pid: 777 },
    };
    const events = byTime(
      proc({ guid: 'A', pid: 500, image: PS, commandLine: 'powershell.exe -NoLogo', at: at(0) }),
      conns({
        guid: 'A',
        image: PS,
        srcIp: '10.1.2.3',
        dstIp: '13.107.246.40',
        n: 10,
        everySec: 8,
        at: at(1),
      }),
      proc({
        guid: 'W',
        pid: 501,
        parentGuid: 'A',
        parentImage: PS,
        image: 'C:\\Windows\\System32\\whoami.exe',
        at: at(2),
      }),
      proc({
        guid: 'R',
        pid: 777,
        parentGuid: 'A',
        parentImage: PS,
        image: PS,
        commandLine: 'powershell.exe -NoProfile -Command Register-ScheduledTask ...',
        at: at(2, 50),
      }),
      task,
    );
    const f = hunt(events).find((x) => x.agent.images.includes(PS))!;
    assert.equal(f.status, 'signal');
    assert.equal(f.severity, 'low');
    assert.ok(codes(f).includes('generic_interpreter_unproven'));
  });
});
