// Partitioning keeps each host's events together: host names are keyed as the engine keys them,
// and network flows follow the host that owns their source address (HostAliases, then learned).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalHost, createRouter, partitionOf } from '../../../src/stream/jetstream/partition.ts';
import { conn } from '../../support/events.ts';
import { defaultConfig } from '../watch-harness.ts';

const flow = (srcIp: string, host = 'zeek-sensor') => ({
  ...conn({ at: 0, host, srcIp, dstIp: '203.0.113.9', dstPort: 443 }),
  flow: true,
  host,
});

describe('partition', () => {
  it('keys hosts like the engine: case and domain do not split a host', () => {
    assert.equal(canonicalHost('WS01.corp.example'), 'ws01');
    assert.equal(canonicalHost('ws01'), 'ws01');
    assert.equal(canonicalHost('10.1.2.3'), '10.1.2.3');
    assert.equal(partitionOf('ws01', 8), partitionOf(canonicalHost('WS01.CORP.EXAMPLE'), 8));
  });

  it('spreads many hosts over every partition, stably', () => {
    const counts = new Array(4).fill(0);
    for (let i = 0; i < 400; i++) counts[partitionOf(`ws-${i}`, 4)]++;
    assert.ok(
      counts.every((n) => n > 60),
      `uneven: ${counts}`,
    );
    assert.equal(partitionOf('ws-1', 4), partitionOf('ws-1', 4));
  });

  it('routes a flow by HostAliases, then by the address a host was seen using', () => {
    const config = { ...defaultConfig(), HostAliases: { '10.0.0.5': 'DC01.corp.example' } };
    const r = createRouter(config, 16);
    assert.equal(r.hostKey(flow('10.0.0.5')), 'dc01');
    assert.equal(r.hostKey(flow('10.9.9.9')), 'zeek-sensor', 'unknown address: the sensor host');
    r.hostKey(conn({ at: 0, host: 'WS07.corp.example', srcIp: '10.9.9.9', dstIp: '198.51.100.1' }));
    assert.equal(r.hostKey(flow('10.9.9.9')), 'ws07', "learned from the host's own connection");
    assert.equal(r.partition(flow('10.9.9.9')), partitionOf('ws07', 16));
  });

  it('routes a DHCP lease to the host it names, and later flows and lookups from that address with it', () => {
    const r = createRouter(defaultConfig(), 16);
    const src = { file: 'dhcp.log', format: 'zeek-dhcp' };
    const lease = {
      kind: 'lease' as const,
      time: 0,
      host: 'WKS-DAVE.corp.example',
      platform: 'network' as const,
      src,
      ip: '10.20.40.57',
      leaseSec: 86400,
    };
    assert.equal(r.hostKey(lease), 'wks-dave');
    assert.equal(r.hostKey(flow('10.20.40.57')), 'wks-dave');
    const dns = {
      kind: 'dns' as const,
      time: 1,
      host: '10.20.40.57',
      platform: 'network' as const,
      src,
      query: 'x.example',
      answers: ['203.0.113.9'],
      clientIp: '10.20.40.57',
    };
    assert.equal(r.hostKey(dns), 'wks-dave');
  });
});
