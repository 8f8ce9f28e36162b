// The DET0496 engine: consumes normalized events in time order, keeps per-host state (process
// lineage, agents and their chains), and emits one finding per chain. It knows nothing about
// file formats or output formats. It never reads the wall clock: the same events in the same
// order give the same findings, which streaming workers rely on when they replay.
//
// This file is dispatch and lifecycle only: each step's attribution lives in steps/, chain
// bookkeeping in chain.ts, the flow join in flow-join.ts, shared state in context.ts.
import type { Catalog } from '../catalog/types.ts';
import type { Config } from '../config/schema.ts';
import type { FileEvent, ProcessStartEvent, RatEvent } from '../model/event.ts';
import type { Finding } from '../model/finding.ts';
import { closeChain, closeHost, emitChanges } from './chain.ts';
import {
  createContext,
  type EngineContext,
  type EngineOptions,
  type EngineStats,
  holding,
  hostFor,
} from './context.ts';
import { expireFlows, flowsWaiting, networkDns, recordLease } from './flow-join.ts';
import { live } from './identity.ts';
import { endProc, expireProcs, procFor, startProc } from './lineage.ts';
import { SEVERITY_RANK } from './severity.ts';
import type { HostState } from './state.ts';
import { MAX_DNS_NAMES, onFlow, onNetwork, rememberAnswers, resolveFlows } from './steps/egress.ts';
import { attributeStart, inheritFork, observe, rememberWriter } from './steps/execution.ts';
import {
  bindRegisteredCommand,
  commandMadePersistence,
  filePersistenceAt,
  onPersistence,
  onRegistry,
} from './steps/persistence.ts';
import { expireTunnels, noteForwards, onLogin, tunneledStart } from './steps/tunnel.ts';
import { afterStart, expireUnitTies, onService, onUnitProcess, settleUnitTies } from './steps/unit-ties.ts';
import { expireUnjoined } from './unjoined-flows.ts';

export type { EngineOptions, EngineStats } from './context.ts';

export interface Engine {
  push(ev: RatEvent): void;
  /** Moves event time forward without an event (a watermark from an idle stream): expires state. */
  advance(time: number): void;
  /** Streaming with batchChanges: sends the findings the events since the last call changed. */
  emitChanges(): void;
  /** Ends the run: closes every open chain and returns all findings, most severe first. */
  finish(): Finding[];
  stats(): EngineStats;
}

/** Upkeep runs every quarter window of event time: state expires at most a quarter window late. */
const UPKEEP_PER_WINDOW = 4;
/** The process table only needs to stay bounded, not exact: scan it every 30 minutes of event time. */
const PROC_SWEEP_INTERVAL_MS = 1_800_000;
/** Processes quiet for four expiry horizons, and at least an hour, leave the table. */
const PROC_HORIZONS = 4;
const PROC_MIN_AGE_MS = 3_600_000;

export function createEngine(cfg: Config, catalog: Catalog, opts: EngineOptions = {}): Engine {
  const ctx = createContext(cfg, catalog, opts, (c, h) => {
    closeHost(c, h);
    c.stats.hostsEvicted++;
  });
  const expiry = cfg.TimeWindow + cfg.Lateness;
  let nextSweep = Number.NEGATIVE_INFINITY;

  const afterEvent = opts.batchChanges ? () => {} : () => emitChanges(ctx);
  function advanceTo(t: number): void {
    if (t > ctx.now) ctx.now = t;
    if (ctx.now >= nextSweep) {
      sweep(ctx, expiry);
      nextSweep = ctx.now + cfg.TimeWindow / UPKEEP_PER_WINDOW;
    }
    afterEvent();
  }

  function pushAt(ev: RatEvent): void {
    if (ev.kind === 'network' && ev.flow) onFlow(ctx, ev);
    // Network sensors name addresses, not hosts: the flow join's address book places them.
    else if (ev.kind === 'lease') recordLease(ctx.flows, ev);
    else if (ev.kind === 'dns' && ev.clientIp !== undefined)
      networkDns(ctx, { ...ev, clientIp: ev.clientIp });
    else {
      if (flowsWaiting(ctx.flows) > 0) resolveFlows(ctx, ctx.now - cfg.FlowJoinTolerance);
      const h = hostFor(ctx, ev.host, ev.platform);
      h.lastTime = ev.time;
      maintain(ctx, h, expiry);
      dispatch(ctx, h, ev);
      if (h.units.managerStarts.length) settleUnitTies(ctx, h);
    }
  }

  return {
    advance: advanceTo,
    emitChanges: () => emitChanges(ctx),
    push(ev) {
      ctx.stats.events++;
      if (!(ev.time >= 0)) return;
      advanceTo(ev.time);
      pushAt(ev);
      afterEvent();
    },
    finish() {
      resolveFlows(ctx, Number.POSITIVE_INFINITY);
      for (const h of ctx.hosts.hosts.values()) settleUnitTies(ctx, h, Number.POSITIVE_INFINITY);
      for (const h of ctx.hosts.hosts.values()) closeHost(ctx, h);
      ctx.hosts.hosts.clear();
      const finished = ctx.out.finished;
      finished.sort(
        (x, y) =>
          SEVERITY_RANK[y.severity] - SEVERITY_RANK[x.severity] ||
          y.score - x.score ||
          x.firstSeen - y.firstSeen,
      );
      return finished;
    },
    stats() {
      const held = holding(ctx);
      return {
        ...ctx.stats,
        peak: { ...ctx.stats.peak },
        live: { ...held, pendingFlows: flowsWaiting(ctx.flows) },
        clockOffsets: ctx.flows.skew.all(),
      };
    },
  };
}

/** Hands an event to the step modules that read it. */
function dispatch(ctx: EngineContext, h: HostState, ev: RatEvent): void {
  switch (ev.kind) {
    case 'process':
      onProcess(ctx, h, ev);
      break;
    case 'process_end':
      endProc(h, ev.proc, ev.time);
      break;
    case 'persistence':
      onPersistence(ctx, h, ev);
      break;
    case 'registry':
      onRegistry(ctx, h, ev);
      break;
    case 'file':
      onFile(ctx, h, ev);
      break;
    case 'network':
      onNetwork(ctx, h, ev);
      break;
    case 'dns':
      rememberAnswers(h, ev);
      break;
    case 'service':
      onService(h, ev);
      break;
    case 'unit_process':
      onUnitProcess(ctx, h, ev);
      break;
    case 'login':
      onLogin(ctx, h, ev);
      break;
  }
}

/**
 * A process start: lineage first; then the entry whose command line it runs, the agent its
 * image or parent belongs to (S1, S4), and the persistence its own command line makes (S2).
 */
function onProcess(ctx: EngineContext, h: HostState, ev: ProcessStartEvent): void {
  const { proc: p, fresh } = startProc(h, ev);
  if (!fresh) return; // a second record of a start we already placed
  if (ev.forkOnly) {
    inheritFork(p);
    return;
  }
  noteForwards(ctx, h, p);
  if (!tunneledStart(ctx, h, p, ev) && !bindRegisteredCommand(ctx, h, p) && !attributeStart(ctx, h, p, ev))
    commandMadePersistence(ctx, h, p, ev);
  afterStart(ctx, h, p, ev);
}

/** A file created or renamed: a running tool seen (S1), an entry (S2), or an executable dropped. */
function onFile(ctx: EngineContext, h: HostState, ev: FileEvent): void {
  if (ev.op === 'delete' || ev.op === 'write') return;
  const path = ev.op === 'rename' && ev.target ? ev.target : ev.path;
  const writer = procFor(h, ev.proc, ev.time);
  observe(ctx, h, writer, ev.time, ev.src);
  if (!filePersistenceAt(ctx, h, path, writer, ev)) rememberWriter(ctx, h, writer, path, ev);
}

/**
 * Expiry costs what the events cost, not hosts × time: idle hosts are found from the front of
 * the hosts map (kept in order of last activity); busy hosts tidy themselves when touched.
 */
function sweep(ctx: EngineContext, expiry: number): void {
  const horizon = ctx.now - expiry;
  const held = holding(ctx);
  const peak = ctx.stats.peak;
  if (held.hosts > peak.hosts) peak.hosts = held.hosts;
  if (held.agents > peak.agents) peak.agents = held.agents;
  if (held.processes > peak.processes) peak.processes = held.processes;
  resolveFlows(ctx, ctx.now - ctx.cfg.FlowJoinTolerance);
  expireFlows(ctx);
  const hosts = ctx.hosts.hosts;
  for (const h of hosts.values()) {
    if (h.lastTime >= horizon) break;
    closeHost(ctx, h);
    hosts.delete(h.name);
  }
}

/** Per-host upkeep, at most every quarter window of event time. */
function maintain(ctx: EngineContext, h: HostState, expiry: number): void {
  const { cfg, now } = ctx;
  // The caps hold even while event time stands still (a burst stamped with one second), when
  // the time-driven upkeep below never comes round.
  if (h.procCount > cfg.Limits.ProcessesPerHost) sweepProcs(ctx, h, expiry);
  if (h.dnsNames.size > MAX_DNS_NAMES) h.dnsNames.clear();
  // Which process asked for an address: as bounded as the names (it holds processes the table let go).
  if (h.resolvedBy.size > MAX_DNS_NAMES) h.resolvedBy.clear();
  if (now - h.maintained < cfg.TimeWindow / UPKEEP_PER_WINDOW) return;
  h.maintained = now;
  const horizon = now - expiry;
  for (const a of h.agents.values()) if (a.lastTime < horizon) closeChain(ctx, a);
  expireUnjoined(h, horizon);
  if (h.pendingPersistence.length)
    h.pendingPersistence = h.pendingPersistence.filter((x) => x.time >= horizon);
  for (const [k, a] of h.entries) if (live(a).lastTime < horizon) h.entries.delete(k);
  for (const [k, v] of h.writtenBy) if (v.time < horizon) h.writtenBy.delete(k);
  expireUnitTies(h, horizon);
  expireTunnels(h, horizon);
  if (now - h.procSweep > PROC_SWEEP_INTERVAL_MS) sweepProcs(ctx, h, expiry);
}

function sweepProcs(ctx: EngineContext, h: HostState, expiry: number): void {
  const { cfg, now } = ctx;
  h.procSweep = now;
  ctx.stats.processesEvicted += expireProcs(
    h,
    now - Math.max(PROC_HORIZONS * expiry, PROC_MIN_AGE_MS),
    cfg.Limits.ProcessesPerHost,
  );
}
