// Egress on a host whose sensor logs no connections: a flow from its address is tied to an agent
// only with named evidence (its destination in the command line, the agent's own DNS lookup, the
// catalogue's domain or port, or a start seconds before with no other program starting), and the
// finding says which. Without evidence the flow stays at host level.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { builtinCatalog } from '../../../src/catalog/index.ts';
import { configSchema } from '../../../src/config/schema.ts';
import { createEngine } from '../../../src/engine/engine.ts';
import type { DnsEvent, NetworkEvent, RatEvent } from '../../../src/model/event.ts';
import type { Finding } from '../../../src/model/finding.ts';
import { at, byTime, dns, HOST, proc, service } from '../../support/events.ts';

const IP = '10.1.2.3';
const C2 = '203.0.113.88';

function flow(t: number, dstIp: string, dstPort: number, i = 0): NetworkEvent {
  return {
    kind: 'network',
    time: t,
    host: 'zeek',
    platform: 'network',
    src: { file: 'conn.log', format: 'zeek-conn', line: i + 1, eventId: 'conn' },
    flow: true,
    direction: 'outbound',
    protocol: 'tcp',
    srcIp: IP,
    srcPort: 51000 + i,
    dstIp,
    dstPort,
    durationSec: 0.4,
    bytesOut: 600,
    bytesIn: 1200,
    state: 'SF',
  };
}

/** A beacon every 30 s for six minutes. */
const beacon = (from: number, dstIp: string, dstPort: number) =>
  Array.from({ length: 12 }, (_, i) => flow(from + i * 30_000, dstIp, dstPort, i));

function run(events: RatEvent[], cfg: Record<string, unknown> = {}) {
  const engine = createEngine(configSchema.parse({ HostAliases: { [IP]: HOST }, ...cfg }), builtinCatalog());
  for (const e of events) engine.push(e);
  const findings = engine.finish();
  return { findings, stats: engine.stats() };
}

const hunt = (events: RatEvent[]): Finding[] => run(events).findings;

const agentFinding = (fs: Finding[], image: string) => fs.find((f) => f.agent.images.includes(image));
const egress = (f: Finding) => f.steps.find((s) => s.step === 'egress')!;

describe('flows tied to an agent only by named evidence', () => {
  const AGENT = 'C:\\PerfLogs\\svcmon.exe';
  const started = (cmd: string) => proc({ guid: 'A', image: AGENT, commandLine: cmd, at: at(0) });
  const persist = service({ name: 'SvcMon', command: `"${AGENT}" --service`, at: at(1) });

  test("the destination in the agent's command line", () => {
    const f = agentFinding(
      hunt(byTime(started(`${AGENT} -h ${C2} -p 8443`), persist, beacon(at(0, 20), C2, 8443))),
      AGENT,
    );
    assert.ok(f && egress(f).seen, 'S3 counted');
    assert.match(egress(f).link!, /destination 203\.0\.113\.88 is in the agent's command line/);
    const r = f.reasons.find((x) => x.code === 'egress_by_evidence');
    assert.equal(r?.delta, -5);
    assert.ok(
      f.egress.every((d) => d.hostLevel),
      'still marked as seen only by the flow sensor',
    );
  });

  test('a destination with no evidence stays at host level, not the agent', () => {
    const fs = hunt(byTime(started(`${AGENT} --quiet`), persist, beacon(at(3), C2, 8443)));
    const f = agentFinding(fs, AGENT);
    assert.ok(!f || !egress(f).seen);
  });

  test('the flow began seconds after the agent started and nothing else started meanwhile', () => {
    const f = agentFinding(
      hunt(byTime(started(`${AGENT} --quiet`), persist, beacon(at(0, 3), C2, 8443))),
      AGENT,
    );
    assert.ok(f && egress(f).seen);
    assert.match(egress(f).link!, /began 3\.0 s after the agent started/);
  });

  test('another program starting in between leaves the flow untied', () => {
    const other = proc({ guid: 'B', image: 'C:\\Program Files\\Mozilla Firefox\\firefox.exe', at: at(0, 1) });
    const fs = hunt(byTime(started(`${AGENT} --quiet`), other, persist, beacon(at(0, 3), C2, 8443)));
    const f = agentFinding(fs, AGENT);
    assert.ok(!f || !egress(f).seen);
  });

  test('the agent resolved the name itself (its DNS query, no connection record)', () => {
    const q: DnsEvent = dns({
      guid: 'A',
      image: AGENT,
      query: 'relay.evil.example',
      answers: [C2],
      at: at(0, 40),
    });
    const f = agentFinding(
      hunt(byTime(started(`${AGENT} --quiet`), persist, q, beacon(at(1), C2, 8443))),
      AGENT,
    );
    assert.ok(f && egress(f).seen);
    assert.match(egress(f).link!, /the agent resolved relay\.evil\.example itself/);
  });

  test("the catalogue names the destination's domain (from a network DNS log) for the agent's tool", () => {
    const ANYDESK = 'C:\\Users\\bob\\Downloads\\AnyDesk.exe';
    const start = proc({
      guid: 'D',
      image: ANYDESK,
      at: at(0),
      meta: { originalFileName: 'AnyDesk.exe', product: 'AnyDesk' },
    });
    const lookup: DnsEvent = {
      kind: 'dns',
      time: at(0, 50),
      host: IP,
      platform: 'network',
      src: { file: 'dns.log', format: 'zeek-dns', line: 1, eventId: 'dns' },
      query: 'relay-1.net.anydesk.com',
      answers: ['198.51.100.211'],
      clientIp: IP,
    };
    const svc = service({ name: 'AnyDesk', command: `"${ANYDESK}" --service`, at: at(0, 30) });
    const f = agentFinding(hunt(byTime(start, svc, lookup, beacon(at(1), '198.51.100.211', 443))), ANYDESK);
    assert.ok(f && egress(f).seen);
    assert.match(egress(f).link!, /the catalogue names \*\.(net\.)?anydesk\.com as AnyDesk's/);
  });

  test('flows that come before the agent are tied when it starts naming their destination', () => {
    const late = proc({ guid: 'A', image: AGENT, commandLine: `${AGENT} -h ${C2}`, at: at(7) });
    const f = agentFinding(hunt(byTime(beacon(at(0), C2, 8443), late, persist)), AGENT);
    assert.ok(f && egress(f).seen, 'S3 counted');
    assert.equal(f.egress[0]?.connections, 12);
    assert.match(egress(f).link!, /destination 203\.0\.113\.88 is in the agent's command line/);
  });
});

describe('flows no step needs', () => {
  test('open no agent: each destination stays a record on its host', () => {
    const { findings, stats } = run([...beacon(at(0), C2, 8443), ...beacon(at(0), '198.51.100.7', 443)]);
    assert.equal(findings.length, 0);
    assert.equal(stats.flowsHostLevel, 24);
    assert.equal(stats.agents, 0);
  });

  test('at MinSteps 1 a flow alone is a chain, so it is an agent from its first flow', () => {
    const { findings, stats } = run(beacon(at(0), C2, 8443), { MinSteps: 1 });
    assert.equal(stats.agents, 1);
    assert.deepEqual(
      findings.map((f) => f.agent.images),
      [[`flow to ${C2}:8443`]],
    );
  });
});
