// A small seeded PRNG (sfc32) so a fleet is the same bytes for the same seed on every machine.
// Each host gets its own stream derived from (seed, host index), so changing the formats or the
// number of hosts never changes what an existing host did.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
  /** Exponentially distributed with the given mean (Poisson inter-arrival times). */
  exp(mean: number): number;
  /** n lowercase hex digits. */
  hex(n: number): string;
}

/** Mixes a seed and a stream label into a 32-bit state word (string hash, FNV-1a then murmur finalizer). */
function mix(seed: number, label: string): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 16777619) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const HEX = '0123456789abcdef';

export function createRng(seed: number, stream = ''): Rng {
  let a = mix(seed, `${stream}/a`);
  let b = mix(seed, `${stream}/b`);
  let c = mix(seed, `${stream}/c`);
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    exp: (mean) => -Math.log(1 - next()) * mean,
    hex(n) {
      let s = '';
      for (let i = 0; i < n; i++) s += HEX[Math.floor(next() * 16)];
      return s;
    },
  };
}
