// LazyMap and LazySet behave as Map and Set do for what the engine uses, allocating nothing
// until the first insert.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LazyMap, LazySet } from '../../src/engine/lazy-map.ts';

test('an empty LazyMap answers as an empty Map, then keeps insertion order', () => {
  const m = new LazyMap<string, number>();
  assert.equal(m.size, 0);
  assert.equal(m.get('a'), undefined);
  assert.equal(m.has('a'), false);
  assert.equal(m.delete('a'), false);
  assert.deepEqual([...m], []);
  assert.deepEqual([...m.keys(), ...m.values()], []);
  m.set('b', 2).set('a', 1).set('b', 3);
  assert.deepEqual(
    [...m],
    [
      ['b', 3],
      ['a', 1],
    ],
  );
  for (const [k] of m) if (k === 'b') m.delete(k);
  assert.deepEqual([...m.entries()], [['a', 1]]);
  const seen: string[] = [];
  m.forEach((v, k, self) => {
    seen.push(`${k}=${v}:${self === m}`);
  });
  assert.deepEqual(seen, ['a=1:true']);
  m.clear();
  assert.equal(m.size, 0);
});

test('an empty LazySet answers as an empty Set, then keeps insertion order', () => {
  const s = new LazySet<string>();
  assert.equal(s.size, 0);
  assert.equal(s.has('x'), false);
  assert.deepEqual([...s], []);
  s.add('y').add('x').add('y');
  assert.deepEqual([...s], ['y', 'x']);
  assert.deepEqual(
    [...s.entries()],
    [
      ['y', 'y'],
      ['x', 'x'],
    ],
  );
  assert.equal(s.delete('y'), true);
  assert.deepEqual([...s.values()], ['x']);
});
