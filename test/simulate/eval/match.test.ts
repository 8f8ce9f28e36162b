import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../../src/model/finding.ts';
import { alertScore, confusion, matchFindings } from '../../../src/simulate/eval/match.ts';
import type { TruthLabel } from '../../../src/simulate/truth.ts';

const MIN = 60_000;

function label(id: string, host: string, expect: TruthLabel['expect'], images: string[]): TruthLabel {
  return {
    id,
    kind: 'rmm-full',
    tool: 'anydesk',
    host,
    platform: 'windows',
    images,
    destinations: ['195.181.174.9'],
    steps: [],
    expect,
    severity: 'high',
    modifiers: [],
    start: 100 * MIN,
    end: 110 * MIN,
    why: '',
  };
}

function finding(host: string, status: Finding['status'], images: string[], at = 101 * MIN): Finding {
  return {
    host,
    status,
    severity: 'high',
    firstSeen: at,
    lastSeen: at + MIN,
    agent: { images },
    egress: [],
  } as unknown as Finding;
}

describe('matchFindings', () => {
  const labels = [
    label('S1', 'WS-0001', 'alert', ['C:\\Users\\a\\Downloads\\AnyDesk.exe']),
    label('S2', 'WS-0002', 'suppressed', ['C:\\Program Files\\TeamViewer\\TeamViewer.exe']),
  ];

  it('ties a finding to the scenario on its host, time and image, whatever the domain suffix', () => {
    const m = matchFindings(
      [finding('ws-0001.corp.example', 'alert', ['c:\\users\\a\\downloads\\anydesk.exe'])],
      labels,
      15 * MIN,
    );
    assert.equal(m.outcomes.find((o) => o.label.id === 'S1')?.predicted, 'alert');
    assert.equal(m.unmatched.length, 0);
  });

  it('leaves a finding of another agent, or long after the scenario, to the background', () => {
    const m = matchFindings(
      [
        finding('WS-0001', 'alert', ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe']),
        finding('WS-0001', 'alert', ['C:\\Users\\a\\Downloads\\AnyDesk.exe'], 300 * MIN),
      ],
      labels,
      15 * MIN,
    );
    assert.equal(m.unmatched.length, 2);
    assert.equal(m.outcomes.find((o) => o.label.id === 'S1')?.predicted, 'none');
  });

  it('scores a missed alert as a false negative and an alerted suppression as a false positive', () => {
    const m = matchFindings(
      [finding('WS-0002', 'alert', ['C:\\Program Files\\TeamViewer\\TeamViewer.exe'])],
      labels,
      15 * MIN,
    );
    const s = alertScore(m.outcomes, 1);
    assert.deepEqual([s.tp, s.fp, s.fn], [0, 2, 1]);
    assert.equal(s.recall, 0);
    const c = confusion(m.outcomes, [finding('WS-0009', 'signal', ['x'])]);
    assert.equal(c.alert.none, 1);
    assert.equal(c.suppressed.alert, 1);
    assert.equal(c.background.signal, 1);
  });
});
