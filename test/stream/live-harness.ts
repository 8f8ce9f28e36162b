// Live engines for tests, with one lane per host as serve and the workers build them, and the
// events they are fed, decoded from fleet event XML as the live intake decodes a request body.
import assert from 'node:assert/strict';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { createLiveIntake } from '../../src/ingest/pipeline.ts';
import type { RatEvent } from '../../src/model/event.ts';
import { createRouter } from '../../src/stream/jetstream/partition.ts';
import { createLiveEngine, type LiveEngineOptions } from '../../src/stream/live-engine.ts';
import { defaultConfig } from './watch-harness.ts';

/** Fleet event XML lines as events, in their order; any problem fails the test. */
export function decodeFleet(lines: string[]): RatEvent[] {
  const out: RatEvent[] = [];
  const intake = createLiveIntake({
    onEvent: (ev) => out.push(ev),
    onProblem: (p) => assert.fail(p.message),
  });
  const feed = intake.open('fleet.xml');
  feed.write(Buffer.from(`${lines.join('\n')}\n`));
  feed.end(true);
  intake.settle();
  return out;
}

/** A live engine with the default config, one lane per host and a 5 s reorder window. */
export function liveLanes(extra: Partial<LiveEngineOptions> & Pick<LiveEngineOptions, 'onFinding'>) {
  const config = defaultConfig();
  return createLiveEngine({
    config,
    catalog: builtinCatalog(),
    reorderMs: 5_000,
    capacity: 10_000,
    laneOf: createRouter(config, 1).hostKey,
    ...extra,
  });
}
