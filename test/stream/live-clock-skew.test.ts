// Clock skew in the live modes (watch, serve, the JetStream worker): events arrive in wall-clock
// order, so a host 7 minutes ahead of the flow sensor sends its record of a connection minutes
// "after" the flow by event time, and a flow sensor that logs a connection when it ends (Zeek
// conn.log) sends a long session long after its start. The live engine measures lateness on each
// sensor's own clock and the engine joins across them, so the scenario corpus's skewed laptop
// ends with the finding hunt makes of the same files: same id, severity, steps and offset.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { logFiles, runScenario, scenarioConfig } from '../../bench/scenarios/run.ts';
import { loadCatalog } from '../../src/catalog/index.ts';
import type { Config } from '../../src/config/schema.ts';
import { runPipeline } from '../../src/ingest/pipeline.ts';
import type { RatEvent } from '../../src/model/event.ts';
import type { Finding } from '../../src/model/finding.ts';
import { createRouter } from '../../src/stream/jetstream/partition.ts';
import { createLiveEngine } from '../../src/stream/live-engine.ts';
import { REPO_ROOT } from '../support/data.ts';
import { at, proc } from '../support/events.ts';

const DIR = join(REPO_ROOT, 'test/scenarios/xsensor-clock-skew');
const HOST = 'ENG-LT07.corp.example';

/** The scenario's events as its readers decode them (time order). */
async function scenarioEvents(config: Config): Promise<RatEvent[]> {
  const out: RatEvent[] = [];
  await runPipeline(
    { paths: logFiles(DIR), lateness: config.Lateness, onDisorder: 'sort', onProblem() {} },
    () => (batch) => {
      out.push(...batch);
    },
  );
  return out;
}

/**
 * When each event reaches ratchain by the wall clock: a host event when it happened (its time
 * minus its host's offset), a flow when its sensor writes it (at its start, or at its end).
 */
function arrivalOrder(events: RatEvent[], offsetMs: number, flowsAtEnd: boolean): RatEvent[] {
  const arrival = (ev: RatEvent) => {
    if (ev.platform !== 'network') return ev.time - (ev.host === HOST ? offsetMs : 0);
    const dur = ev.kind === 'network' && flowsAtEnd ? (ev.durationSec ?? 0) * 1000 : 0;
    return ev.time + dur;
  };
  return events
    .map((ev, i) => ({ ev: structuredClone(ev), at: arrival(ev), i }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((x) => x.ev);
}

function live(config: Config, events: RatEvent[]) {
  const latest = new Map<string, Finding>();
  const router = createRouter(config, 1);
  const engine = createLiveEngine({
    config,
    catalog: loadCatalog(config.Catalogs).catalog,
    reorderMs: 5_000,
    capacity: 200_000,
    laneOf: router.hostKey,
    onFinding(f) {
      if ((latest.get(f.id)?.revision ?? -1) <= f.revision) latest.set(f.id, f);
    },
  });
  for (const ev of events) engine.push(ev);
  engine.finish();
  return { findings: [...latest.values()], stats: engine.stats() };
}

const verdict = (f: Finding) => ({
  id: f.id,
  status: f.status,
  severity: f.severity,
  score: f.score,
  steps: f.steps.filter((s) => s.seen).map((s) => s.step),
  egress: f.egress.map((d) => [d.ip, d.port, d.durationSec, d.hostLevel]),
  reasons: f.reasons.map((r) => r.code),
});

describe('a host minutes off the flow sensor, live', () => {
  for (const [label, flowsAtEnd, lateness] of [
    ['flows logged as they start, default Lateness', false, undefined],
    ['flows logged when they end (Zeek conn.log), Lateness past the longest session', true, '40m'],
  ] as const) {
    test(label, async () => {
      const hunted = await runScenario(DIR);
      const offset = hunted.summary.engine.clockOffsets?.find((o) => o.host === HOST);
      assert.ok(offset && offset.offsetMs > 400_000, 'hunt estimates the laptop 7 minutes ahead');
      const config = { ...scenarioConfig(DIR), ...(lateness ? { Lateness: 40 * 60_000 } : {}) };
      const { findings, stats } = live(
        config,
        arrivalOrder(await scenarioEvents(config), offset.offsetMs, flowsAtEnd),
      );
      assert.equal(stats.late, 0, 'no flow is late on its own clock');
      const want = hunted.findings.find((f) => f.host === HOST)!;
      assert.equal(want.severity, 'critical');
      const got = findings.find((f) => f.id === want.id);
      assert.ok(got, findings.map((f) => f.title).join('\n'));
      assert.deepEqual(verdict(got), verdict(want));
      const est = stats.engine.clockOffsets?.find((o) => o.host === HOST);
      assert.ok(
        est && Math.abs(est.offsetMs - offset.offsetMs) < 1000,
        JSON.stringify(stats.engine.clockOffsets),
      );
    });
  }
});

test('in a worker partition, a host ahead does not make the other hosts late', () => {
  const config = scenarioConfig(DIR);
  const engine = createLiveEngine({
    config,
    catalog: loadCatalog(config.Catalogs).catalog,
    reorderMs: 5_000,
    capacity: 1000,
    onFinding() {},
  });
  const ev = (host: string, minutes: number) =>
    proc({ host, guid: `${host}-${minutes}`, image: 'C:\\Windows\\System32\\whoami.exe', at: at(minutes) });
  assert.equal(engine.push(ev('AHEAD', 20)), 'held');
  assert.notEqual(engine.push(ev('IN-STEP', 0)), 'late', 'another host, 20 minutes behind it, is on time');
  assert.equal(
    engine.push(ev('AHEAD', 10)),
    'late',
    'the host itself, 10 minutes behind its own newest, is late',
  );
});
