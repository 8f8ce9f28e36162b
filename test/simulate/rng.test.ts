import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../src/simulate/rng.ts';

describe('createRng', () => {
  it('repeats the same sequence for the same seed and stream', () => {
    const a = createRng(42, 'host/7');
    const b = createRng(42, 'host/7');
    const xs = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(
      xs,
      Array.from({ length: 5 }, () => b.next()),
    );
  });

  it('gives different hosts different sequences', () => {
    assert.notEqual(createRng(42, 'host/1').next(), createRng(42, 'host/2').next());
    assert.notEqual(createRng(1, 'host/1').next(), createRng(2, 'host/1').next());
  });

  it('keeps int() inside its bounds and reaches both ends', () => {
    const r = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(1, 6);
      assert.ok(v >= 1 && v <= 6);
      seen.add(v);
    }
    assert.deepEqual([...seen].sort(), [1, 2, 3, 4, 5, 6]);
  });

  it('draws exponential gaps around the requested mean', () => {
    const r = createRng(9);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += r.exp(60);
    assert.ok(Math.abs(sum / 20_000 - 60) < 3, `mean ${sum / 20_000}`);
  });
});
