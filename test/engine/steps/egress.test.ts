// S3 on its own: host-sensor connections go to the process that made them; a destination
// qualifies by a long session, by repeated connections, or weakly by a session never seen to
// close; flows join the host's record of the same connection or stand at host level.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EngineContext } from '../../../src/engine/context.ts';
import { startProc } from '../../../src/engine/lineage.ts';
import type { HostState } from '../../../src/engine/state.ts';
import { onFlow, onNetwork, rememberAnswers, resolveFlows } from '../../../src/engine/steps/egress.ts';
import type { NetworkEvent, RatEvent } from '../../../src/model/event.ts';
import { at, conn, conns, dns, proc } from '../../support/events.ts';
import { agents, agentWith, feed, stepContext } from './harness.ts';

const AGENT = 'C:\\Users\\alice\\Downloads\\agent.exe';
const RELAY = '203.0.113.50';

function step(ctx: EngineContext, h: HostState, ev: RatEvent): void {
  if (ev.kind === 'process') startProc(h, ev);
  else if (ev.kind === 'dns') rememberAnswers(h, ev);
  else if (ev.kind === 'network' && ev.flow) onFlow(ctx, ev);
  else if (ev.kind === 'network') onNetwork(ctx, h, ev);
}

function flow(o: {
  at: number;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  durationSec: number;
}): NetworkEvent {
  return {
    kind: 'network',
    time: o.at,
    host: '',
    platform: 'network',
    src: { file: 'conn.log', format: 'zeek-conn', line: 1 },
    direction: 'outbound',
    protocol: 'tcp',
    srcIp: o.srcIp,
    srcPort: o.srcPort,
    dstIp: o.dstIp,
    dstPort: 443,
    durationSec: o.durationSec,
    bytesOut: 900_000,
    bytesIn: 40_000,
    flow: true,
  };
}

describe('egress step', () => {
  test('five connections to one relay inside the window qualify the destination as repeated', () => {
    const ctx = stepContext();
    feed(
      ctx,
      [
        proc({ at: at(0), guid: '{A}', image: AGENT }),
        ...conns({ at: at(1), guid: '{A}', image: AGENT, dstIp: RELAY, n: 5 }),
      ],
      step,
    );
    const d = agentWith(ctx, AGENT).egress.get(`${RELAY}|443`);
    assert.equal(d?.connections, 5);
    assert.match(d?.qualified?.why ?? '', /^5 connections within 15 min/);
    assert.equal(d?.qualified?.weak, false);
  });

  test('a single connection with no duration qualifies only weakly', () => {
    const ctx = stepContext();
    feed(
      ctx,
      [
        proc({ at: at(0), guid: '{A}', image: AGENT }),
        conn({ at: at(1), guid: '{A}', image: AGENT, dstIp: RELAY }),
      ],
      step,
    );
    const d = agentWith(ctx, AGENT).egress.get(`${RELAY}|443`);
    assert.equal(d?.qualified?.weak, true);
  });

  test('internal and allowlisted destinations never reach an agent; DNS names the destination', () => {
    const ctx = stepContext({ ExternalIPAllowlist: { domains: ['*.vendor.example'] } });
    feed(
      ctx,
      [
        proc({ at: at(0), guid: '{A}', image: AGENT }),
        conn({ at: at(1), guid: '{A}', image: AGENT, dstIp: '10.9.9.9' }),
        dns({ at: at(2), query: 'relay.vendor.example', answers: ['198.51.100.7'] }),
        conn({ at: at(3), guid: '{A}', image: AGENT, dstIp: '198.51.100.7' }),
      ],
      step,
    );
    assert.equal(agents(ctx).length, 0);
    assert.equal(ctx.stats.internalConnections, 1);
    assert.equal(ctx.stats.allowlistedConnections, 1);
  });

  test('a Zeek flow of the same connection joins the process and brings its duration', () => {
    const ctx = stepContext();
    feed(
      ctx,
      [
        proc({ at: at(0), guid: '{A}', image: AGENT }),
        conn({ at: at(1), guid: '{A}', image: AGENT, srcIp: '10.1.2.3', srcPort: 51000, dstIp: RELAY }),
        flow({ at: at(1), srcIp: '10.1.2.3', srcPort: 51000, dstIp: RELAY, durationSec: 1800 }),
      ],
      step,
    );
    resolveFlows(ctx, Number.POSITIVE_INFINITY);
    assert.equal(ctx.stats.flowsJoined, 1);
    const d = agentWith(ctx, AGENT).egress.get(`${RELAY}|443`);
    assert.equal(d?.connections, 1, 'the host record and the flow are one connection');
    assert.equal(d?.maxDurationSec, 1800);
    assert.match(d?.qualified?.why ?? '', /session of 1800 s/);
  });

  test('a flow no process claims stands at host level', () => {
    const ctx = stepContext({ HostAliases: { '10.1.2.3': 'ws01' } });
    feed(
      ctx,
      [flow({ at: at(1), srcIp: '10.1.2.3', srcPort: 51000, dstIp: RELAY, durationSec: 1800 })],
      step,
    );
    resolveFlows(ctx, Number.POSITIVE_INFINITY);
    assert.equal(ctx.stats.flowsHostLevel, 1);
    // Until a step needs it, it is a record under its host's key, not an agent.
    assert.deepEqual(agents(ctx), []);
    const r = ctx.flows.hostless.get('ws01')?.unjoined.get(`flow:${RELAY}:443`);
    assert.equal(r?.dest.hostLevel, true);
    assert.match(r?.dest.qualified?.why ?? '', /session of 1800 s/);
  });
});
