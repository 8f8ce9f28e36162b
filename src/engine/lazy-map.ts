// Maps and sets that allocate their table on the first insert. An empty Map costs about 200
// bytes; a host state holds fourteen and an agent seven, most of which a network-only or idle
// host never fills, so at 100,000 hosts the empty tables alone were hundreds of megabytes.
// They behave as Map and Set do (insertion order, deletion while iterating), for the methods
// the engine uses.

const NOTHING: never[] = [];

export class LazyMap<K, V> implements Map<K, V> {
  private m: Map<K, V> | undefined;

  get size(): number {
    return this.m ? this.m.size : 0;
  }
  get(key: K): V | undefined {
    return this.m?.get(key);
  }
  has(key: K): boolean {
    return this.m ? this.m.has(key) : false;
  }
  set(key: K, value: V): this {
    if (!this.m) this.m = new Map();
    this.m.set(key, value);
    return this;
  }
  delete(key: K): boolean {
    return this.m ? this.m.delete(key) : false;
  }
  clear(): void {
    this.m?.clear();
  }
  forEach(fn: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    if (this.m) for (const [k, v] of this.m) fn.call(thisArg, v, k, this);
  }
  entries(): MapIterator<[K, V]> {
    return this.m ? this.m.entries() : (NOTHING as [K, V][])[Symbol.iterator]();
  }
  keys(): MapIterator<K> {
    return this.m ? this.m.keys() : (NOTHING as K[])[Symbol.iterator]();
  }
  values(): MapIterator<V> {
    return this.m ? this.m.values() : (NOTHING as V[])[Symbol.iterator]();
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
  get [Symbol.toStringTag](): string {
    return 'Map';
  }
}

export class LazySet<T> implements Set<T> {
  private s: Set<T> | undefined;

  get size(): number {
    return this.s ? this.s.size : 0;
  }
  has(value: T): boolean {
    return this.s ? this.s.has(value) : false;
  }
  add(value: T): this {
    if (!this.s) this.s = new Set();
    this.s.add(value);
    return this;
  }
  delete(value: T): boolean {
    return this.s ? this.s.delete(value) : false;
  }
  clear(): void {
    this.s?.clear();
  }
  forEach(fn: (value: T, value2: T, set: Set<T>) => void, thisArg?: unknown): void {
    if (this.s) for (const v of this.s) fn.call(thisArg, v, v, this);
  }
  entries(): SetIterator<[T, T]> {
    return this.s ? this.s.entries() : (NOTHING as [T, T][])[Symbol.iterator]();
  }
  keys(): SetIterator<T> {
    return this.values();
  }
  values(): SetIterator<T> {
    return this.s ? this.s.values() : (NOTHING as T[])[Symbol.iterator]();
  }
  [Symbol.iterator](): SetIterator<T> {
    return this.values();
  }
  get [Symbol.toStringTag](): string {
    return 'Set';
  }
}
