// What every part of the engine shares, as one explicit object: the configuration, the
// catalogue, the compiled rules, the host table, the flow-join state, the counters and where
// findings go. Step modules take it as their first argument instead of closing over the engine.
import type { Catalog } from '../catalog/types.ts';
import { DEFAULT_INTERNAL_NETWORKS } from '../config/internal-networks.ts';
import { anyOfChecked, memoized, type Pattern } from '../config/pattern.ts';
import type { Config } from '../config/schema.ts';
import type { Finding } from '../model/finding.ts';
import { fileName } from '../model/paths.ts';
import { type CompiledRules, compileRules, type EntryRule } from '../rules/compile.ts';
import { rulesFor } from '../rules/rule-set.ts';
import type { ClockOffset } from './clock-skew.ts';
import { type FlowState, newFlowState } from './flow-join.ts';
import { type HostTable, hostTable } from './hosts.ts';
import { type Destinations, destinations } from './network.ts';
import type { Agent, HostState } from './state.ts';
import type { ControlRules } from './steps/control.ts';
import { adoptHostless } from './unjoined-flows.ts';

export interface EngineStats {
  events: number;
  hosts: number;
  agents: number;
  agentsEvicted: number;
  processesEvicted: number;
  hostsEvicted: number;
  allowlistedConnections: number;
  internalConnections: number;
  flowsJoined: number;
  flowsHostLevel: number;
  findings: number;
  /** What the engine holds right now (memory follows these, not the input size). */
  live?: { hosts: number; agents: number; processes: number; pendingFlows: number };
  /** The most it held at once, sampled at each expiry sweep. */
  peak: { hosts: number; agents: number; processes: number };
  /** Each host's estimated clock offset to the flow sensor (from connections both saw). */
  clockOffsets?: ClockOffset[];
}

export interface EngineOptions {
  /** Streaming: called when a chain first reaches alert level and on every later change. */
  onFinding?: (f: Finding) => void;
  /** Called with the final state of every chain that closes at or above MinSteps. */
  onClose?: (f: Finding) => void;
  /** Keep closed findings for finish() (hunt). Streaming sets false so memory stays bounded. */
  collect?: boolean;
  /**
   * Streaming: changed findings go out when the caller calls emitChanges() (after a batch of
   * events), not after every event. Off for replays, which must cut batches the same way each time.
   */
  batchChanges?: boolean;
}

/**
 * The rule packs compiled, with the config's own overrides of them applied (ShellSpawnRegex,
 * SuspiciousChildProcesses, InstallPathRegex replace the packs' lists; acceptable pairs add).
 */
export interface EngineRules extends Omit<CompiledRules, 'control'> {
  control: ControlRules;
  /** User-writable and temporary locations, one pattern each (allowlist anomalies name them). */
  installPaths: Pattern[];
  /** The same locations as one alternation: one pass over an image path instead of one per pattern. */
  installPath: Pattern;
  supportHosts: Pattern[];
  adminUsers: Pattern[];
}

export interface EngineContext {
  readonly cfg: Config;
  readonly catalog: Catalog;
  readonly rules: EngineRules;
  readonly dest: Destinations;
  readonly stats: EngineStats;
  readonly hosts: HostTable;
  readonly flows: FlowState;
  readonly out: EngineOptions & { finished: Finding[] };
  /** The latest event time seen: the engine's clock (it never reads the wall clock). */
  now: number;
  /** Streaming: agents whose evidence changed since findings were last sent (chain.ts). */
  readonly changed: Set<Agent>;
}

/** Names a replacement memo remembers: a host's working set of programs. */
const REPLACED_ENTRIES = 4096;
/** Longer texts are not remembered (file names are short). */
const REPLACED_MAX_CHARS = 1024;

/**
 * `p` with replaceFirst's results remembered per text: the image suffix is stripped from every
 * start's file name and OriginalFileName, and RE2's capturing replace cost the Winlogbeat hunt a
 * tenth of its time though a log names the same few hundred programs. Cleared when full.
 */
function rememberedReplace(p: Pattern): Pattern {
  const byReplacement = new Map<string, Map<string, string>>();
  return {
    source: p.source,
    caseSensitive: p.caseSensitive,
    test: (text) => p.test(text),
    exec: (text) => p.exec(text),
    matchAll: (text) => p.matchAll(text),
    replaceFirst(text, replacement) {
      if (text.length > REPLACED_MAX_CHARS) return p.replaceFirst(text, replacement);
      let seen = byReplacement.get(replacement);
      if (!seen) {
        seen = new Map();
        byReplacement.set(replacement, seen);
      }
      let r = seen.get(text);
      if (r === undefined) {
        r = p.replaceFirst(text, replacement);
        if (seen.size >= REPLACED_ENTRIES) seen.clear();
        seen.set(text, r);
      }
      return r;
    },
  };
}

function engineRules(cfg: Config): EngineRules {
  const packs = compileRules(rulesFor(cfg.Rules), fileName);
  const installPaths = cfg.InstallPathRegex ?? packs.paths.userWritable;
  // Registry keys, file paths and a host's own addresses recur all through a log (the OTRF file:
  // 292 keys in 1,857 registry writes), and most match no rule: each is matched once.
  const remembered = (rules: EntryRule[]) => rules.map((r) => ({ ...r, re: memoized(r.re) }));
  return {
    ...packs,
    persistence: {
      ...packs.persistence,
      registry: remembered(packs.persistence.registry),
      files: remembered(packs.persistence.files),
    },
    egress: { ...packs.egress, localSource: memoized(packs.egress.localSource) },
    identity: { ...packs.identity, imageSuffix: rememberedReplace(packs.identity.imageSuffix) },
    control: {
      // Matched on every start's image and its parent's: remembered per image.
      shells: memoized(cfg.ShellSpawnRegex.shells ?? packs.control.children),
      acceptable: [...packs.control.acceptable, ...cfg.ShellSpawnRegex.acceptable].map((a) => ({
        parent: memoized(a.parent),
        child: memoized(a.child),
      })),
      suspicious: cfg.SuspiciousChildProcesses ?? packs.control.suspicious,
    },
    installPaths,
    installPath: memoized(anyOfChecked(installPaths.map((r) => r.source))),
    supportHosts: cfg.UserContext.SupportHosts,
    adminUsers: cfg.UserContext.AdminUsers,
  };
}

function newStats(): EngineStats {
  return {
    events: 0,
    hosts: 0,
    agents: 0,
    agentsEvicted: 0,
    processesEvicted: 0,
    hostsEvicted: 0,
    allowlistedConnections: 0,
    internalConnections: 0,
    flowsJoined: 0,
    flowsHostLevel: 0,
    findings: 0,
    peak: { hosts: 0, agents: 0, processes: 0 },
  };
}

/**
 * A fresh context. `evictHost` is called with a host the table drops when full (the engine closes
 * its chains); it receives the context so it needs no closure over the engine.
 */
/** What engines of one config and catalogue share: read-only, and costly to build (CIDR sets). */
interface Shared {
  rules: EngineRules;
  dest: Destinations;
}

/**
 * Live modes run one engine per host (hundreds or thousands): they share the compiled rules and
 * address sets of their config instead of building them again for every host.
 */
const shared = new WeakMap<Config, WeakMap<Catalog, Shared>>();

function sharedFor(cfg: Config, catalog: Catalog): Shared {
  let byCatalog = shared.get(cfg);
  if (!byCatalog) {
    byCatalog = new WeakMap();
    shared.set(cfg, byCatalog);
  }
  let s = byCatalog.get(catalog);
  if (!s) {
    const presetDomains = cfg.ExternalIPAllowlist.presets.flatMap((id) => catalog.byId(id)?.domains ?? []);
    s = {
      rules: engineRules(cfg),
      dest: destinations(cfg.InternalNetworks ?? DEFAULT_INTERNAL_NETWORKS, cfg.ExternalIPAllowlist.cidrs, [
        ...cfg.ExternalIPAllowlist.domains,
        ...presetDomains,
      ]),
    };
    byCatalog.set(catalog, s);
  }
  return s;
}

export function createContext(
  cfg: Config,
  catalog: Catalog,
  opts: EngineOptions,
  evictHost: (ctx: EngineContext, h: HostState) => void,
): EngineContext {
  const stats = newStats();
  const { rules, dest } = sharedFor(cfg, catalog);
  const ctx: EngineContext = {
    cfg,
    catalog,
    rules,
    dest,
    stats,
    hosts: hostTable(
      cfg.Limits.Hosts,
      (h) => evictHost(ctx, h),
      (h) => {
        stats.hosts++;
        adoptHostless(ctx, h);
      },
    ),
    flows: newFlowState(cfg, rules.egress),
    out: { ...opts, finished: [] },
    now: Number.NEGATIVE_INFINITY,
    changed: new Set(),
  };
  return ctx;
}

/** The host an event names, created on first sight. */
export function hostFor(ctx: EngineContext, name: string, platform: HostState['platform']): HostState {
  return ctx.hosts.get(name, platform, ctx.now);
}

/** What the engine holds right now: hosts, agents and processes. */
export function holding(ctx: EngineContext): { hosts: number; agents: number; processes: number } {
  let agents = 0;
  let processes = 0;
  for (const h of ctx.hosts.hosts.values()) {
    agents += h.agents.size;
    processes += h.procCount;
  }
  return { hosts: ctx.hosts.hosts.size, agents, processes };
}
