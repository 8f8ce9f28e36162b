// Each host's clock offset to the flow sensor, estimated from exact matches: a connection a host
// sensor saw, with its source port, and the flow the network sensor saw with the same source
// address and port and the same destination. The two records are one connection, so the
// difference of their times is the offset plus a little jitter (the sensors stamp a connection
// at slightly different moments); the median of the recent differences is the estimate.
import type { ClockOffset } from '../model/clock-offset.ts';

export type { ClockOffset };

/** Differences kept per host: enough for a stable median, few enough to follow a drifting clock. */
const SAMPLES_PER_HOST = 32;
/** Hosts with an estimate, at most (the oldest estimate is dropped first). */
const MAX_HOSTS = 100_000;

export interface ClockSkew {
  /** One exact match on `host`: host-sensor time minus flow time. */
  sample(key: string, host: string, diffMs: number): void;
  /** The estimated offset of `host` (ms), when it has any match. */
  offset(key: string): number | undefined;
  /** What to add to a flow time to put it in `host`'s clock: the offset, or 0 when it is jitter. */
  correction(key: string): number;
  /** True once enough matches agree for joins to use the tolerance around the estimate. */
  settled(key: string): boolean;
  /** Every host's estimate, largest offset first. */
  all(): ClockOffset[];
}

interface HostSkew {
  host: string;
  samples: number[];
  matches: number;
  median: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** When an estimate is trusted and when it is worth applying (rule pack egress.thresholds). */
export interface SkewRules {
  clockSettledMatches: number;
  clockMinCorrectionMs: number;
}

export function clockSkew(rules: SkewRules): ClockSkew {
  const hosts = new Map<string, HostSkew>();
  return {
    sample(key, host, diffMs) {
      let h = hosts.get(key);
      if (!h) {
        if (hosts.size >= MAX_HOSTS) hosts.delete(hosts.keys().next().value!);
        h = { host, samples: [], matches: 0, median: 0 };
        hosts.set(key, h);
      }
      h.samples.push(diffMs);
      if (h.samples.length > SAMPLES_PER_HOST) h.samples.shift();
      h.matches++;
      h.median = median(h.samples);
    },
    offset: (key) => hosts.get(key)?.median,
    correction(key) {
      const m = hosts.get(key)?.median ?? 0;
      return Math.abs(m) >= rules.clockMinCorrectionMs ? Math.round(m) : 0;
    },
    settled: (key) => (hosts.get(key)?.matches ?? 0) >= rules.clockSettledMatches,
    all() {
      return [...hosts.values()]
        .map((h) => ({ host: h.host, offsetMs: Math.round(h.median), matches: h.matches }))
        .sort((a, b) => Math.abs(b.offsetMs) - Math.abs(a.offsetMs) || a.host.localeCompare(b.host));
    },
  };
}
