// The severity table (docs/severity.md): F1 makes a full chain to a non-vendor destination
// critical whatever its score; the same chain to the tool's own vendor keeps the level its score
// gives; the last reason always names the level and the row it came from.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { createEngine } from '../../src/engine/engine.ts';
import type { RatEvent } from '../../src/model/event.ts';
import type { Finding } from '../../src/model/finding.ts';
import { at, byTime, conns, proc, service } from '../support/events.ts';

const TV = 'C:\\Program Files\\TeamViewer\\TeamViewer.exe';

function chain(dstName?: string): Finding {
  const events: RatEvent[] = byTime(
    proc({
      guid: 'T',
      image: TV,
      at: at(0),
      meta: { originalFileName: 'TeamViewer.exe', product: 'TeamViewer' },
    }),
    service({ name: 'TeamViewer', command: `"${TV}"`, at: at(1) }),
    conns({
      guid: 'T',
      image: TV,
      srcIp: '10.1.2.3',
      dstIp: '198.51.100.7',
      dstPort: 5938,
      dstName,
      n: 6,
      at: at(2),
    }),
    proc({
      guid: 'C',
      parentGuid: 'T',
      parentImage: TV,
      image: 'C:\\Windows\\System32\\cmd.exe',
      commandLine: 'cmd.exe /c ipconfig',
      at: at(5),
    }),
  );
  const engine = createEngine(configSchema.parse({}), builtinCatalog());
  for (const e of events) engine.push(e);
  const [f] = engine.finish();
  return f;
}

test('F1: four steps with a repeated connection to a non-vendor destination are critical', () => {
  const f = chain();
  assert.equal(f.severity, 'critical');
  const floor = f.reasons.find((r) => r.code === 'critical_chain')!;
  assert.ok(floor.delta > 0, 'the floor says how much it raised the score');
  assert.equal(f.score, 85);
  assert.match(f.reasons.at(-1)!.text, /^score 85 → critical \(critical >= 85/);
});

test("the same chain to the tool's own vendor keeps the level its score gives", () => {
  const f = chain('router1.teamviewer.com');
  assert.ok(!f.reasons.some((r) => r.code === 'critical_chain'));
  assert.equal(f.severity, 'high');
  assert.equal(f.reasons.at(-1)!.code, 'severity');
});
