// Clock skew between a host and the flow sensor: the offset is estimated from connections both
// saw (same source port, same destination) and applied, so a host minutes off still joins its
// flows, and the flows' times land in the host's clock beside its other steps.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { clockSkew } from '../../src/engine/clock-skew.ts';
import { createEngine } from '../../src/engine/engine.ts';
import type { NetworkEvent, RatEvent } from '../../src/model/event.ts';
import { fileName } from '../../src/model/paths.ts';
import { compileRules } from '../../src/rules/compile.ts';
import { builtinRules } from '../../src/rules/load.ts';
import { at, byTime, conn, proc, service } from '../support/events.ts';

const AGENT = 'C:\\ProgramData\\Relay\\relayd.exe';
const IP = '10.1.2.3';

/** The flow sensor's record of a host connection, `offsetMs` earlier by its clock. */
function flowOf(c: NetworkEvent, offsetMs: number, durationSec: number): NetworkEvent {
  return {
    kind: 'network',
    time: c.time - offsetMs - 300,
    host: 'zeek',
    platform: 'network',
    src: { file: 'conn.log', format: 'zeek-conn', line: 1, eventId: 'conn' },
    flow: true,
    direction: 'outbound',
    protocol: 'tcp',
    srcIp: c.srcIp,
    srcPort: c.srcPort,
    dstIp: c.dstIp,
    dstPort: c.dstPort,
    durationSec,
    bytesOut: 9_000_000,
    bytesIn: 400_000,
    state: 'SF',
  };
}

/** A host whose clock is `offsetMs` off: background, then an agent with one long session. */
function story(offsetMs: number): RatEvent[] {
  const t = (m: number, s = 0) => at(m, s) + offsetMs;
  const host: RatEvent[] = [
    proc({ guid: 'B', image: 'C:\\Program Files\\Mozilla Firefox\\firefox.exe', at: t(0) }),
    ...[0, 1, 2, 3].map((i) =>
      conn({ guid: 'B', srcIp: IP, srcPort: 50100 + i, dstIp: '198.51.100.9', at: t(1 + i) }),
    ),
    proc({ guid: 'A', image: AGENT, at: t(12) }),
    service({ name: 'Relay', command: `"${AGENT}" --service`, at: t(12, 5) }),
    conn({ guid: 'A', srcIp: IP, srcPort: 50200, dstIp: '203.0.113.7', at: t(12, 10) }),
    proc({
      guid: 'C',
      parentGuid: 'A',
      parentImage: AGENT,
      image: 'C:\\Windows\\System32\\cmd.exe',
      at: t(14),
    }),
  ];
  const flows = host
    .filter((e): e is NetworkEvent => e.kind === 'network')
    .map((c) => flowOf(c, offsetMs, c.dstIp === '203.0.113.7' ? 2400 : 30));
  return byTime(host, flows);
}

function run(events: RatEvent[], config: unknown = {}) {
  const engine = createEngine(configSchema.parse(config), builtinCatalog());
  for (const e of events) engine.push(e);
  const findings = engine.finish();
  return { findings, stats: engine.stats() };
}

describe('clock skew between a host and the flow sensor', () => {
  for (const [label, offset] of [
    ['6 minutes ahead', 360_000],
    ['6 minutes behind', -360_000],
    ['in step', 0],
  ] as const) {
    test(`a host ${label} joins its flows and the offset is estimated`, () => {
      const { findings, stats } = run(story(offset));
      const f = findings.find((x) => x.agent.images.includes(AGENT));
      assert.ok(f, findings.map((x) => x.title).join('\n'));
      const d = f.egress.find((x) => x.ip === '203.0.113.7')!;
      assert.equal(d.durationSec, 2400, 'the flow joined the process');
      assert.equal(d.hostLevel, undefined);
      assert.ok(f.reasons.some((r) => r.code === 'client_heavy'));
      const est = stats.clockOffsets?.find((o) => o.host === 'WS01.corp.example');
      assert.ok(est, JSON.stringify(stats.clockOffsets));
      assert.ok(Math.abs(est.offsetMs - offset) < 1000, `${est.offsetMs} vs ${offset}`);
      // The flow's evidence is in the host's clock, beside the host's own record of the session.
      const ev = f.steps.find((s) => s.step === 'egress')!.evidence;
      const times = ev.map((e) => e.time);
      assert.ok(Math.max(...times) - Math.min(...times) < 5000, JSON.stringify(times));
      if (offset !== 0) assert.ok(ev.some((e) => /to the host's clock/.test(e.summary)));
    });
  }
});

test("when an offset is a clock is the rule pack's: a larger egress.thresholds.clock_min_correction_ms leaves 6 minutes as recorded", () => {
  const override = {
    Rules: { Override: { 'egress.thresholds.clock_min_correction_ms': { value: 600_000 } } },
  };
  const { findings, stats } = run(story(360_000), override);
  const est = stats.clockOffsets?.find((o) => o.host === 'WS01.corp.example');
  assert.ok(est && Math.abs(est.offsetMs - 360_000) < 1000, 'still estimated and reported');
  const f = findings.find((x) => x.agent.images.includes(AGENT));
  assert.ok(f);
  const evidence = f.steps.flatMap((s) => s.evidence) ?? [];
  assert.ok(!evidence.some((e) => /to the host's clock/.test(e.summary)), 'but never applied');
});

test('the estimate is the median of the matches: one odd match moves nothing', () => {
  const s = clockSkew(compileRules(builtinRules(), fileName).egress);
  for (const d of [300_100, 299_800, 300_400, 5, 300_000]) s.sample('h', 'H', d);
  assert.equal(s.offset('h'), 300_000);
  assert.equal(s.correction('h'), 300_000);
  assert.ok(s.settled('h'));
  s.sample('j', 'J', 800);
  assert.equal(s.correction('j'), 0, 'sub-second jitter is no offset');
  assert.deepEqual(
    s.all().map((o) => [o.host, o.offsetMs, o.matches]),
    [
      ['H', 300000, 5],
      ['J', 800, 1],
    ],
  );
});

test('a flow logged when its session ends, Lateness after its start, still joins the host record of that start', () => {
  // Live modes accept events up to Lateness behind their clock's newest; a flow sensor that writes
  // a connection when it closes sends a 25-minute session 25 minutes after it began, while the
  // host goes on logging. The engine keeps the host's record of the start that long.
  const config = configSchema.parse({ Lateness: '30m' });
  const engine = createEngine(config, builtinCatalog());
  const start = conn({ guid: 'A', srcIp: IP, srcPort: 50200, dstIp: '203.0.113.7', at: at(12, 10) });
  const events: RatEvent[] = [
    proc({ guid: 'A', image: AGENT, at: at(12) }),
    service({ name: 'Relay', command: `"${AGENT}" --service`, at: at(12, 5) }),
    start,
    proc({
      guid: 'C',
      parentGuid: 'A',
      parentImage: AGENT,
      image: 'C:\\Windows\\System32\\cmd.exe',
      at: at(14),
    }),
    // The host keeps working while the session is open.
    ...[16, 20, 24, 28, 32, 36].map((m) =>
      proc({ guid: `B${m}`, image: 'C:\\Windows\\System32\\svchost.exe', at: at(m) }),
    ),
    flowOf(start, 0, 1500),
  ];
  for (const e of events) engine.push(e);
  const f = engine.finish().find((x) => x.agent.images.includes(AGENT));
  assert.ok(f);
  const d = f.egress.find((x) => x.ip === '203.0.113.7')!;
  assert.equal(d.durationSec, 1500, 'the flow joined the process');
  assert.equal(d.hostLevel, undefined);
});
