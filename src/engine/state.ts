// The engine's live state, as plain data: per host, its processes (lineage) and its agents
// (chains in progress). Everything here expires with event time; nothing grows with the input.
import type { CatalogMatch } from '../catalog/types.ts';
import type { FileHashes, ImageMeta, NetworkEvent, Platform, SourceRef } from '../model/event.ts';
import type { AgentOrigin, Evidence, StepId } from '../model/finding.ts';
import type { FlagCode } from '../rules/schema.ts';

export type { FlagCode } from '../rules/schema.ts';

export interface Proc {
  /** Engine-local serial, unique per host. */
  id: number;
  guid?: string;
  pid?: number;
  image: string;
  /** pathKey(image). */
  key: string;
  commandLine?: string;
  user?: string;
  integrity?: string;
  /** Start time; undefined when the start was never seen (a process found already running). */
  start?: number;
  end?: number;
  parent?: Proc;
  children: Proc[];
  hashes?: FileHashes;
  meta?: ImageMeta;
  /** What the catalogue names this binary (null: nothing; undefined: not asked yet). */
  match?: CatalogMatch | null;
  /** Evidence of the start event, when seen. */
  startSrc?: SourceRef;
  /** The agent whose process tree this process belongs to. */
  agent?: Agent;
  /** A fork still running its parent's image (no exec seen yet). */
  forked?: boolean;
  /** True when this process runs the agent's own image (not a child the agent spawned). */
  agentImage?: boolean;
  /** Its login session (audit session, logon id), when the sensor names it. */
  session?: string;
  /** Reverse forwards its command line sets up (steps/tunnel.ts). */
  forwards?: Array<{ spec: string; host: string; port: number }>;
  /** It opened a connection outside the internal networks. */
  external?: boolean;
  lastSeen: number;
  /** Neighbours in the host's table, kept in order of lastSeen (lineage.ts); set while in it. */
  older?: Proc;
  newer?: Proc;
  /** In the host's process table (lineage.ts): findable, counted, and subject to expiry. */
  inTable?: boolean;
}

export interface StepLog {
  /** Evidence kept (capped): the first ones and the latest. */
  evidence: Evidence[];
  count: number;
  times: number[];
  link?: string;
}

export interface EgressDest {
  ip: string;
  port?: number;
  name?: string;
  /** Connection start times inside the window (capped). */
  times: number[];
  connections: number;
  maxDurationSec?: number;
  bytesOut: number;
  bytesIn: number;
  /** The process that made the last connection (for open-connection ageing). */
  proc?: Proc;
  firstTime: number;
  lastTime: number;
  hostLevel: boolean;
  /** Sessions the agent accepted (listener) rather than opened. */
  inbound?: boolean;
  evidence: Evidence[];
  /** Set when the destination qualified as S3, with the reason. */
  qualified?: { time: number; why: string; weak: boolean };
  /** Flows only a network sensor saw, tied to this agent by named evidence (steps/flow-attribution.ts). */
  attributed?: string;
}

export interface Agent {
  key: string;
  host: HostState;
  /** Set when this agent was merged into another. */
  mergedInto?: Agent;
  images: Set<string>;
  keys: Set<string>;
  hashes: Set<string>;
  meta: ImageMeta;
  tool?: CatalogMatch;
  links: string[];
  steps: Record<StepId, StepLog>;
  egress: Map<string, EgressDest>;
  /** Names of the persistence entries (service, task, unit, launchd label) this agent owns. */
  entryNames: Set<string>;
  /** Modifier flags with their one-line reason. */
  flags: Map<FlagCode, string>;
  users: Set<string>;
  integrity?: string;
  instance: boolean;
  /** Command lines of its processes and the commands its entries register (capped): destinations named there tie flows. */
  commandLines: string[];
  /** Start times of its own processes (capped), for flows that begin right after one. */
  starts: number[];
  /** What downloaded, wrote or started it (a stager, installer, browser, document), nearest first. */
  origin: AgentOrigin[];
  /**
   * Processes a persistence entry starts or re-runs (process id → how, and whether the entry is a
   * launcher: a shell told to run a hidden, encoded or download command line): a generic
   * interpreter's proof of being an agent (generic-agents.ts).
   */
  pointedAt: Map<number, { why: string; launcher: boolean }>;
  firstTime: number;
  lastTime: number;
  /** Finding id once the chain reached alert level (stable across updates). */
  findingId?: string;
  revision: number;
  /** Signature of the last emitted finding, to emit updates only on change. */
  emitted?: string;
}

/** A flow its evidence will quote, as it came: formatted only if an agent takes it. */
export interface QuotedFlow {
  ev: NetworkEvent;
  /** The destination's name when the flow was placed (flow sensor or the host's DNS answers). */
  name?: string;
  /** The host's clock offset to the flow sensor when the flow was placed. */
  offset: number;
}

/**
 * Flows to one destination that no process on the host claimed, before any step needs them as
 * an agent (unjoined-flows.ts): what the host-level agent's destination would count, and the
 * flows its evidence would quote.
 */
export interface UnjoinedFlows {
  /** `flow:IP:PORT`, the guid of the host-level agent's process once it is made. */
  key: string;
  /** The counts; its evidence list stays empty until the agent is made. */
  dest: EgressDest;
  /**
   * The flows its evidence quotes. A flow named as its sensor named it and placed with the
   * record's clock offset (nearly all) is kept as the event itself: one object less per flow.
   */
  quoted: Array<QuotedFlow | NetworkEvent>;
  /** The host's clock offset when the first flow was placed. */
  offset: number;
  /** Flow sensor time of the first flow (the agent's creation time). */
  created: number;
  firstTime: number;
  lastTime: number;
  /** The agent made from these flows, once a step needed it. */
  agent?: Agent;
}

/** The unjoined flows of a host with no state of its own (seen only by a network sensor so far). */
export interface HostFlows {
  /** The host key (HostState.name it will have). */
  key: string;
  unjoined: Map<string, UnjoinedFlows>;
  flowsByProcess: Map<string, Agent | UnjoinedFlows>;
  /** Host clock time of the latest flow. */
  lastTime: number;
  /**
   * No record's latest flow is before this (a lower bound, exact after each expiry): expiry
   * passes the host by while its horizon is below it.
   */
  oldest: number;
}

/** What ties systemd units to the programs they run (steps/unit-ties.ts). */
export interface UnitTies {
  /** Units the manager was seen starting ("Starting"/"Started", SERVICE_START). */
  starts: Array<{ unit: string; time: number; src: SourceRef }>;
  /** Programs the manager (PID 1, systemd --user) started, waiting for their unit's start. */
  managerStarts: Array<{ proc: Proc; time: number; manager: string }>;
  /** Programs each login session put in place (install, cp, curl -o...), in order. */
  installs: Map<string, Array<{ path: string; time: number; final: boolean }>>;
  /** A unit's program known before its unit file was seen (journald `_SYSTEMD_UNIT`). */
  programs: Map<string, { agent: Agent; how: string }>;
}

/** Tunnel-shaped processes and the loopback logins they carried (steps/tunnel.ts). */
export interface Tunnels {
  /** Processes with reverse forwards or connections to a local login port. */
  procs: Map<Proc, Array<{ time: number; port: number; srcPort?: number }>>;
  /** Logins that came through an agent's tunnel, waiting for their shells. */
  logins: Array<{ time: number; session?: string; pid?: number; user?: string; agent: Agent; link: string }>;
}

/** An agent in the host's queue: its lastTime when queued (a lower bound: it only grows) and its place in `agents`. */
export interface AgentSlot {
  t: number;
  seq: number;
  a: Agent;
}

export interface AgentQueue {
  heap: AgentSlot[];
  next: number;
}

export interface HostState {
  name: string;
  displayName: string;
  platform: Platform;
  procsByGuid: Map<string, Proc>;
  procsByPid: Map<number, Proc[]>;
  procCount: number;
  /** Event time of the last per-host upkeep. */
  maintained: number;
  /** Event time of the last process-table sweep. */
  procSweep: number;
  /** The process table in order of lastSeen: least recently seen first (lineage.ts). */
  procOldest?: Proc;
  procNewest?: Proc;
  /**
   * The table's front run of processes in agents' trees ends here: the cap's eviction of other
   * processes starts after it (lineage.ts). Undefined: not known, start from the oldest.
   */
  procAgentsUpTo?: Proc;
  /** Processes that ended or lost an index entry: checked at the next sweep (lineage.ts). */
  procWatch: Proc[];
  /** The last few starts, to recognise one start reported by two sensors. */
  recentStarts: Proc[];
  nextProcId: number;
  agents: Map<string, Agent>;
  /** The agents as a heap, oldest on top: built once the host reaches its agent limit (identity.ts). */
  agentQueue?: AgentQueue;
  /** Agent identity indexes: path key, hash, metadata → agent. */
  byPath: Map<string, Agent>;
  byHash: Map<string, Agent>;
  byMeta: Map<string, Agent>;
  /** Catalogue tool id → agent (path-keyed agents only). */
  byTool: Map<string, Agent>;
  /** Executables and their writers: path key → the process that wrote it (its agent, once it has one). */
  writtenBy: Map<string, { writer: Proc; time: number; src: SourceRef }>;
  /** Persistence entries whose program is a generic shell: bound to the first matching start. */
  pendingPersistence: Array<{
    key: string;
    args: string;
    agent: Agent;
    time: number;
    entry: string;
    launcher: boolean;
  }>;
  /** Executables written by programs that never link identity (shells, browsers, installers): their origin. */
  droppedBy: Map<string, { writer: Proc; time: number; src: SourceRef }>;
  /** Address → the process whose own DNS query answered it (host sensors that log lookups with their process). */
  resolvedBy: Map<string, Proc>;
  /** Persistence entries by mechanism and name → the agent that owns them. */
  entries: Map<string, Agent>;
  /** Host-level flows by the process name their sensor gave (VMConnection ProcessName). */
  flowsByProcess: Map<string, Agent | UnjoinedFlows>;
  /** Unjoined flows by destination (`flow:IP:PORT`), oldest first, until a step needs them. */
  unjoined: Map<string, UnjoinedFlows>;
  /** IP → DNS name learned from answers on this host. */
  dnsNames: Map<string, string>;
  /** Addresses this host was seen using (for flow joins). */
  addresses: Set<string>;
  units: UnitTies;
  tunnels: Tunnels;
  lastTime: number;
}
