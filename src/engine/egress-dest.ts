// An egress destination's counts: connections, their times, bytes and longest session, and
// when the destination qualifies as S3 (EgressHeuristics). A destination qualifies by a long
// session (flow duration), by repeated connections inside the window (beaconing, reconnects),
// or, weaker, by a connection never seen to close from a process never seen to end.
import type { Config } from '../config/schema.ts';
import type { Evidence } from '../model/finding.ts';
import type { EgressDest } from './state.ts';

/** What a connection adds to its destination's counts (the evidence is kept beside it). */
export interface CountedConnection {
  time: number;
  ip: string;
  port?: number;
  name?: string;
  durationSec?: number;
  bytesOut?: number;
  bytesIn?: number;
  open?: boolean;
  hostLevel: boolean;
  /** A session the agent accepted from outside (a listener), not one it opened. */
  inbound?: boolean;
}

export interface ConnectionFact extends CountedConnection {
  evidence: Evidence;
}

/** Connection times kept per destination: enough to count MinConnections inside any window. */
const MAX_TIMES = 64;
/** Destinations kept per agent: a scanner or crawler would otherwise hold one per address. */
export const MAX_DESTINATIONS = 64;
export function newDest(f: CountedConnection): EgressDest {
  return {
    ip: f.ip,
    port: f.port,
    name: f.name,
    times: [],
    connections: 0,
    bytesOut: 0,
    bytesIn: 0,
    firstTime: f.time,
    lastTime: f.time,
    hostLevel: f.hostLevel,
    inbound: f.inbound,
    evidence: [],
  };
}

/** Keeps `x` among `kept`: the first `max - 1` and the latest (the evidence a step quotes). */
export function keepQuoted<T>(kept: T[], x: T, max: number): void {
  if (kept.length < max) kept.push(x);
  else kept[max - 1] = x;
}

/** Adds a connection to a destination and returns whether it qualified now (first time). */
export function addConnection(d: EgressDest, f: ConnectionFact, cfg: Config, maxEvidence: number): boolean {
  keepQuoted(d.evidence, f.evidence, maxEvidence);
  return countConnection(d, f, cfg);
}

/** Counts a connection to a destination; returns whether it qualified now (first time). */
export function countConnection(d: EgressDest, f: CountedConnection, cfg: Config): boolean {
  d.connections++;
  d.lastTime = Math.max(d.lastTime, f.time);
  d.name ??= f.name;
  if (!f.hostLevel) d.hostLevel = false;
  d.times.push(f.time);
  if (d.times.length > MAX_TIMES) d.times.shift();
  if (f.durationSec !== undefined) d.maxDurationSec = Math.max(d.maxDurationSec ?? 0, f.durationSec);
  d.bytesOut += f.bytesOut ?? 0;
  d.bytesIn += f.bytesIn ?? 0;
  if (d.qualified && !d.qualified.weak) return false;
  // Accepted sessions only ever count weakly: servers accept sessions all day.
  if (d.inbound) {
    if (!d.qualified)
      d.qualified = { time: f.time, why: 'accepted a session from outside (a listener)', weak: true };
    return d.qualified.time === f.time;
  }
  return qualify(d, f, cfg);
}

/** Whether the destination qualifies with this connection, recording why. */
function qualify(d: EgressDest, f: CountedConnection, cfg: Config): boolean {
  const h = cfg.EgressHeuristics;
  const minDur = h.MinSessionDuration / 1000;
  if (f.durationSec !== undefined && f.durationSec >= minDur) {
    d.qualified = {
      time: f.time,
      why: `session of ${Math.round(f.durationSec)} s (>= ${minDur} s)`,
      weak: false,
    };
    return true;
  }
  // Repeated connections to the same destination inside the window.
  const since = f.time - cfg.TimeWindow;
  let n = 0;
  for (const t of d.times) if (t >= since && t <= f.time) n++;
  if (n >= h.MinConnections) {
    d.qualified = {
      time: f.time,
      why: `${n} connections within ${Math.round(cfg.TimeWindow / 60000)} min (>= ${h.MinConnections})`,
      weak: false,
    };
    return true;
  }
  if (f.open && (!d.qualified || d.qualified.weak)) {
    d.qualified = { time: f.time, why: 'session still open when recorded', weak: false };
    return true;
  }
  // A host sensor connection with no duration: the session is never seen to close.
  if (f.durationSec === undefined && !f.hostLevel && !d.qualified) {
    d.qualified = { time: f.time, why: 'connection never seen to close (duration unknown)', weak: true };
    return true;
  }
  return false;
}

/** Client-heavy: much more sent than received (screen upload), above a minimum sent. */
export function clientHeavy(d: EgressDest, ratio: number, minBytes: number): boolean {
  return d.bytesOut > minBytes && d.bytesOut >= ratio * Math.max(1, d.bytesIn);
}
