// The process table of one host: what a sweep keeps, and which processes the cap evicts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { closeHost } from '../../src/engine/chain.ts';
import { createContext, hostFor } from '../../src/engine/context.ts';
import { expireProcs, findProc, procFor, startProc } from '../../src/engine/lineage.ts';
import type { Agent, HostState } from '../../src/engine/state.ts';
import { at, HOST, proc } from '../support/events.ts';

function host(): HostState {
  const ctx = createContext(configSchema.parse({}), builtinCatalog(), {}, closeHost);
  return hostFor(ctx, HOST, 'windows');
}

const CMD = 'C:\\Windows\\System32\\cmd.exe';

/** Starts process `guid` at minute `m`. */
function start(h: HostState, guid: string, m: number, parentGuid?: string) {
  return startProc(h, proc({ guid, pid: 1000 + m, image: CMD, at: at(m), parentGuid, parentImage: CMD }))
    .proc;
}

describe('process table sweep', () => {
  test('drops processes quiet since the horizon and unlinks them from their parent', () => {
    const h = host();
    const parent = start(h, 'P', 0);
    start(h, 'OLD', 1, 'P');
    const young = start(h, 'YOUNG', 30, 'P');
    procFor(h, { guid: 'P', image: CMD }, at(30));
    assert.equal(expireProcs(h, at(10), 100), 0);
    assert.equal(findProc(h, { guid: 'OLD' }, at(30)), undefined);
    assert.equal(findProc(h, { guid: 'YOUNG' }, at(30)), young);
    assert.deepEqual(parent.children, [young]);
    assert.equal(h.procCount, 2);
  });

  test('over the cap, the least recently seen go first, processes of an agent last', () => {
    const h = host();
    for (let m = 0; m < 10; m++) start(h, `G${m}`, m);
    // G0 belongs to an agent; G1 was seen again late; G4, G5 and G6 were last seen at minute 4.
    const agentProc = findProc(h, { guid: 'G0' }, at(0))!;
    agentProc.agent = {} as Agent;
    procFor(h, { guid: 'G1', image: CMD }, at(20));
    procFor(h, { guid: 'G5', image: CMD }, at(4));
    procFor(h, { guid: 'G6', image: CMD }, at(4));
    // Cap 8: the table goes down to 6 (three quarters), so four go: G2, G3, then two of the three
    // seen at minute 4, in the order they were seen.
    assert.equal(expireProcs(h, at(0), 8), 4);
    const left = ['G0', 'G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7', 'G8', 'G9'].filter(
      (g) => findProc(h, { guid: g }, at(20)) !== undefined,
    );
    assert.deepEqual(left, ['G0', 'G1', 'G6', 'G7', 'G8', 'G9']);
    assert.equal(h.procCount, 6);
  });

  test("a second sweep at the cap passes the agents' processes at the front and still finds every other one", () => {
    const h = host();
    for (let m = 0; m < 4; m++) start(h, `A${m}`, m).agent = {} as Agent;
    for (let m = 4; m < 12; m++) start(h, `G${m}`, m);
    // Cap 10, down to 7: G4..G8 go, the agents' four stay in front.
    assert.equal(expireProcs(h, at(0), 10), 5);
    for (let m = 12; m < 16; m++) start(h, `G${m}`, m);
    // A start stamped before everything else lands among the agents' processes at the front.
    start(h, 'LATE', -1);
    // 12 held, down to 7: LATE first (the oldest), then G9..G12.
    assert.equal(expireProcs(h, at(-10), 10), 5);
    const left = ['A0', 'A1', 'A2', 'A3', 'LATE', 'G9', 'G12', 'G13', 'G14', 'G15'].filter(
      (g) => findProc(h, { guid: g }, at(20)) !== undefined,
    );
    assert.deepEqual(left, ['A0', 'A1', 'A2', 'A3', 'G13', 'G14', 'G15']);
  });

  test('processes of agents are evicted once nothing else is left', () => {
    const h = host();
    for (let m = 0; m < 4; m++) start(h, `A${m}`, m).agent = {} as Agent;
    assert.equal(expireProcs(h, at(0), 2), 3);
    assert.ok(findProc(h, { guid: 'A3' }, at(3)));
    assert.equal(h.procCount, 1);
  });
});
