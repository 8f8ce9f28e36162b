// A loaded rule set made ready for the engine: name sets, one linear-time pattern per list of
// patterns (config/pattern.ts, the one compile path for patterns on log text), and plain numbers. Compiled once per rule set (memoised), so every engine created
// from the same rules shares it.
import { anyOfChecked, checkedPattern, memoized, NOTHING, type Pattern } from '../config/pattern.ts';
import type { PersistenceMechanism } from '../model/event.ts';
import type { Severity } from '../model/finding.ts';
import type { RuleRecord, RuleSet } from './rule-set.ts';
import type { CommandField, ConfidenceTerm, FlagCode, GroupEntry, GroupPath, WeightCode } from './schema.ts';

export interface ProgramRoles {
  /** A command shell (every cmd.exe or bash is a different process, never one agent by path). */
  isShell(image: string): boolean;
  /** Shells, interpreters and shared hosts: identities are per process, never per path. */
  isGeneric(image: string): boolean;
  /** Carries out a persistence change for whoever ran it (sc, systemctl, cp under sudo). */
  isTool(image: string): boolean;
  /** The system itself or a package installer: writes persistence on someone else's behalf. */
  isSystemWriter(image: string): boolean;
  isInstaller(image: string): boolean;
  /** Writes executables on a user's behalf (browsers, mail): never an agent's writer. */
  isDownloader(image: string): boolean;
  /** Starts shells by design (a shell, the logon chain, an installer, a terminal, a document's macro): its shells make no agent. */
  spawnsShellsByDesign(image: string): boolean;
  /** Downloads, writes, installs or starts programs for someone: an agent's origin, never the agent. */
  isOriginRole(image: string): boolean;
  /** Where tracing an agent's origin stops: the user's shell and the system's launchers. */
  isOriginRoot(image: string): boolean;
  /** Script hosts and LOLBins: starting or fetching a program is a stager's work. */
  isScriptHost(image: string): boolean;
  /** Script hosts, LOLBins and interpreters: one that wrote or fetched a program is a stager. */
  isStagerHost(image: string): boolean;
  /** Office and document readers: one that started a program ran a macro or an attachment. */
  isDocumentHost(image: string): boolean;
}

export interface CompiledField {
  re?: Pattern;
  groups: number[];
  default?: string;
  trim: boolean;
  replace: Array<{ re: Pattern; with: string }>;
  unescapeQuotes: boolean;
}

export interface CommandRule {
  id: string;
  match: Pattern;
  image?: Pattern;
  unless?: Pattern;
  mechanism?: PersistenceMechanism;
  name?: CompiledField;
  command?: CompiledField;
  registry?: { key: CompiledField; value: CompiledField; data: CompiledField };
}

export interface EntryRule {
  id: string;
  mechanism: PersistenceMechanism;
  re: Pattern;
  /** "$2": the capture group that names the entry. */
  name: string;
}

export interface LabelRule {
  mechanism: PersistenceMechanism;
  re: Pattern;
  unlessLocation?: Pattern;
  flag: FlagCode;
  text: string;
}

export interface CompiledRules {
  roles: ProgramRoles;
  control: {
    /** Children that are interactive control, as one pattern over the image path. */
    children: Pattern;
    acceptable: Array<{ parent: Pattern; child: Pattern }>;
    suspicious: Pattern[];
  };
  paths: { userWritable: Pattern[]; dropped: Pattern };
  persistence: {
    registry: EntryRule[];
    files: EntryRule[];
    commands: CommandRule[];
    shellCommandArgs: Pattern;
    labels: LabelRule[];
  };
  identity: {
    osProduct: Pattern;
    imageSuffix: Pattern;
    standardIntegrity: Pattern;
    /** Command lines that fetch from the network: a writer running one downloaded what it wrote. */
    fetch: Pattern;
  };
  /** What ties a unit or a loopback login to an agent without a process tree (steps/unit-ties, steps/tunnel). */
  ties: {
    forwards: Array<{ id: string; re: Pattern; image?: Pattern; defaultHost?: string }>;
    /** Login service ("sshd", "rdp") → the local port a tunnel must reach to carry its logins. */
    loginPorts: Record<string, number>;
    /** Programs whose child is a login's first process (sshd), by path. */
    loginAcceptor: Pattern;
    /** Service managers: the pids and paths that start units' programs. */
    managerPids: number[];
    managerImage: Pattern;
    /** Where install, cp, curl -o and the like put a program (group `path`). */
    installs: Array<{ id: string; image: Pattern; re: Pattern; final: boolean }>;
    unitStartMs: number;
    loopbackConnectMs: number;
    loginShellMs: number;
    sshdChildPidSpan: number;
  };
  egress: {
    localSource: Pattern;
    clientHeavyMinBytes: number;
    /** "Within seconds of the agent starting": a flow this soon after a start may be its (flow-attribution). */
    flowAfterStartMs: number;
    /** Exact 5-tuple matches before a host's clock offset is trusted to narrow its joins. */
    clockSettledMatches: number;
    /** Offsets below this are two sensors stamping one connection a moment apart, not a wrong clock. */
    clockMinCorrectionMs: number;
    /** How long before the DHCP record that closes the exchange a lease already covers flows. */
    leaseLeadMs: number;
    /** Ports so common that a catalogue listing them says nothing about a flow. */
    sharedPorts: Set<number>;
  };
  score: {
    byStepCount: number[];
    weights: Record<WeightCode, number>;
    confidence: Record<ConfidenceTerm, number>;
  };
  severity: {
    /** Each level's lowest score, most severe first. */
    levels: Array<[Severity, number]>;
    alertSteps: number;
    signalMaxSteps: number;
    signalCeiling: Severity;
    /** F1: a full chain to a non-vendor destination is at least this level. */
    fullChain: { steps: number; level: Severity };
  };
}

function entries<G extends GroupPath>(set: RuleSet, group: G): Array<GroupEntry<G> & { id: string }> {
  return set.groups[group].map((r: RuleRecord) => ({ ...(r.entry as GroupEntry<G>), id: r.id }));
}

function flags(caseSensitive: boolean | undefined): { caseSensitive: boolean } {
  return { caseSensitive: caseSensitive === true };
}

function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A role's file names and patterns, checked against an image's lower-case file name. */
function roleOf(set: RuleSet, ...groups: GroupPath[]): (name: string) => boolean {
  const names = new Set<string>();
  const patterns: string[] = [];
  for (const g of groups)
    for (const e of entries(set, g as 'roles.shell')) {
      for (const n of e.names) names.add(n);
      patterns.push(...e.patterns);
    }
  const re = patterns.length ? memoized(anyOfChecked(patterns)) : undefined;
  return re ? (n) => names.has(n) || re.test(n) : (n) => names.has(n);
}

function roles(set: RuleSet, fileName: (path: string) => string): ProgramRoles {
  const shell = roleOf(set, 'roles.shell');
  const generic = roleOf(set, 'roles.shell', 'roles.interpreter', 'roles.generic');
  const tool = roleOf(set, 'roles.carrier');
  const writer = roleOf(set, 'roles.system_writer', 'roles.installer');
  const installer = roleOf(set, 'roles.installer');
  const downloader = roleOf(set, 'roles.downloader');
  const byDesign = roleOf(
    set,
    'roles.shell',
    'roles.session_parent',
    'roles.installer',
    'roles.terminal',
    'roles.document_host',
  );
  const origin = roleOf(
    set,
    'roles.shell',
    'roles.interpreter',
    'roles.generic',
    'roles.installer',
    'roles.downloader',
    'roles.terminal',
    'roles.document_host',
    'roles.stager_host',
  );
  const root = roleOf(set, 'roles.origin_root');
  const script = roleOf(set, 'roles.stager_host');
  const stager = roleOf(set, 'roles.stager_host', 'roles.shell', 'roles.interpreter');
  const document = roleOf(set, 'roles.document_host');
  return {
    isShell: (i) => shell(fileName(i)),
    isGeneric: (i) => generic(fileName(i)),
    isTool: (i) => tool(fileName(i)),
    isSystemWriter: (i) => writer(fileName(i)),
    isInstaller: (i) => installer(fileName(i)),
    isDownloader: (i) => downloader(fileName(i)),
    spawnsShellsByDesign: (i) => byDesign(fileName(i)),
    isOriginRole: (i) => origin(fileName(i)),
    isOriginRoot: (i) => root(fileName(i)),
    isScriptHost: (i) => script(fileName(i)),
    isStagerHost: (i) => stager(fileName(i)),
    isDocumentHost: (i) => document(fileName(i)),
  };
}

/** Control children by file name (".exe" optional), anywhere in a path. */
function controlChildren(set: RuleSet): Pattern {
  const alts: string[] = [];
  for (const e of entries(set, 'control.children')) alts.push(...e.names.map(literal), ...e.patterns);
  return alts.length ? checkedPattern(`(^|[\\\\/])(${alts.join('|')})(\\.exe)?$`) : NOTHING;
}

function field(f: CommandField, caseSensitive: boolean): CompiledField {
  const fl = flags(caseSensitive);
  return {
    re: f.pattern === undefined ? undefined : checkedPattern(f.pattern, fl),
    groups: f.groups,
    default: f.default,
    trim: f.trim,
    replace: f.replace.map((r) => ({ re: checkedPattern(r.pattern, fl), with: r.with })),
    unescapeQuotes: f.unescapeQuotes,
  };
}

function commands(set: RuleSet): CommandRule[] {
  return entries(set, 'persistence.commands').map((e) => {
    const fl = flags(e.caseSensitive);
    return {
      id: e.id,
      match: checkedPattern(e.match, fl),
      image: e.image === undefined ? undefined : checkedPattern(e.image, fl),
      unless: e.unless === undefined ? undefined : checkedPattern(e.unless, fl),
      mechanism: e.mechanism,
      name: e.name && field(e.name, e.caseSensitive),
      command: e.command && field(e.command, e.caseSensitive),
      registry: e.registry && {
        key: field(e.registry.key, e.caseSensitive),
        value: field(e.registry.value, e.caseSensitive),
        data: field(e.registry.data, e.caseSensitive),
      },
    };
  });
}

function patterns(set: RuleSet, group: GroupPath): string[] {
  return entries(set, group as 'paths.dropped').map((e) => e.pattern);
}

function byId<T>(set: RuleSet, group: GroupPath, pick: (e: never) => T): Record<string, T> {
  return Object.fromEntries(set.groups[group].map((r) => [r.id, pick(r.entry as never)]));
}

function one<T>(set: RuleSet, group: GroupPath, id: string): T {
  const r = set.groups[group].find((x) => x.id === id);
  if (!r) throw new Error(`rules: ${group}.${id} is missing`);
  return r.entry as T;
}

function severity(set: RuleSet): CompiledRules['severity'] {
  const levels = entries(set, 'severity.levels')
    .map((e) => [e.id as Severity, e.minScore] as [Severity, number])
    .sort((a, b) => b[1] - a[1]);
  const signal = one<GroupEntry<'severity.signal'>>(set, 'severity.signal', 'ceiling');
  return {
    levels,
    alertSteps: one<GroupEntry<'severity.alert'>>(set, 'severity.alert', 'steps').steps,
    signalMaxSteps: signal.maxSteps,
    signalCeiling: signal.ceiling,
    fullChain: one<GroupEntry<'severity.floors'>>(set, 'severity.floors', 'full_chain'),
  };
}

function ties(set: RuleSet): CompiledRules['ties'] {
  const t = (id: string) => one<GroupEntry<'ties.thresholds'>>(set, 'ties.thresholds', id).value;
  return {
    forwards: entries(set, 'ties.forwards').map((e) => ({
      id: e.id,
      re: checkedPattern(e.pattern),
      image: e.image === undefined ? undefined : memoized(checkedPattern(e.image)),
      defaultHost: e.defaultHost,
    })),
    loginPorts: Object.fromEntries(entries(set, 'ties.login_ports').map((e) => [e.service, e.port])),
    loginAcceptor: anyOfChecked(
      entries(set, 'ties.login_ports').flatMap((e) => (e.acceptor ? [e.acceptor] : [])),
    ),
    managerPids: entries(set, 'ties.managers').flatMap((e) => (e.pid === undefined ? [] : [e.pid])),
    managerImage: memoized(
      anyOfChecked(entries(set, 'ties.managers').flatMap((e) => (e.image ? [e.image] : []))),
    ),
    installs: entries(set, 'ties.installs').map((e) => ({
      id: e.id,
      image: memoized(checkedPattern(e.image)),
      re: checkedPattern(e.pattern, flags(e.caseSensitive)),
      final: e.final,
    })),
    unitStartMs: t('unit_start_seconds') * 1000,
    loopbackConnectMs: t('loopback_connect_seconds') * 1000,
    loginShellMs: t('login_shell_seconds') * 1000,
    sshdChildPidSpan: t('sshd_child_pid_span'),
  };
}

function egress(set: RuleSet): CompiledRules['egress'] {
  const t = (id: string) => one<GroupEntry<'egress.thresholds'>>(set, 'egress.thresholds', id).value;
  return {
    localSource: anyOfChecked(patterns(set, 'egress.local_sources')),
    clientHeavyMinBytes: t('client_heavy_min_bytes'),
    flowAfterStartMs: t('flow_after_start_ms'),
    clockSettledMatches: t('clock_settled_matches'),
    clockMinCorrectionMs: t('clock_min_correction_ms'),
    leaseLeadMs: t('lease_lead_ms'),
    sharedPorts: new Set(entries(set, 'egress.shared_ports').flatMap((e) => e.ports)),
  };
}

function compile(set: RuleSet, fileName: (path: string) => string): CompiledRules {
  const entryRule = (e: GroupEntry<'persistence.files'> & { id: string }, cs?: boolean): EntryRule => ({
    id: e.id,
    mechanism: e.mechanism,
    re: checkedPattern(e.pattern, flags(cs)),
    name: e.name,
  });
  return {
    roles: roles(set, fileName),
    control: {
      children: controlChildren(set),
      acceptable: entries(set, 'control.acceptable').map((e) => ({
        parent: checkedPattern(e.parent),
        child: checkedPattern(e.child),
      })),
      suspicious: entries(set, 'control.suspicious').map((e) =>
        checkedPattern(e.pattern, flags(e.caseSensitive)),
      ),
    },
    paths: {
      userWritable: entries(set, 'paths.user_writable').map((e) =>
        checkedPattern(e.pattern, flags(e.caseSensitive)),
      ),
      dropped: anyOfChecked(patterns(set, 'paths.dropped')),
    },
    persistence: {
      registry: entries(set, 'persistence.registry').map((e) => entryRule({ ...e, caseSensitive: false })),
      files: entries(set, 'persistence.files').map((e) => entryRule(e, e.caseSensitive)),
      commands: commands(set),
      shellCommandArgs: anyOfChecked(patterns(set, 'persistence.shell_command_args')),
      labels: entries(set, 'persistence.labels').map((e) => ({
        mechanism: e.mechanism,
        re: checkedPattern(e.pattern),
        unlessLocation: e.unlessLocation === undefined ? undefined : checkedPattern(e.unlessLocation),
        flag: e.flag,
        text: e.text,
      })),
    },
    ties: ties(set),
    identity: {
      osProduct: anyOfChecked(patterns(set, 'identity.os_products')),
      imageSuffix: anyOfChecked(patterns(set, 'identity.image_suffixes')),
      standardIntegrity: anyOfChecked(patterns(set, 'identity.standard_integrity')),
      fetch: anyOfChecked(patterns(set, 'identity.fetch_commands')),
    },
    egress: egress(set),
    score: {
      byStepCount: one<GroupEntry<'score.steps'>>(set, 'score.steps', 'by_count').deltas,
      weights: byId(set, 'score.weights', (e: GroupEntry<'score.weights'>) => e.delta) as Record<
        WeightCode,
        number
      >,
      confidence: byId(set, 'score.confidence', (e: GroupEntry<'score.confidence'>) => e.value) as Record<
        ConfidenceTerm,
        number
      >,
    },
    severity: severity(set),
  };
}

const compiled = new WeakMap<RuleSet, CompiledRules>();

/** The rule set compiled (once per set); `fileName` is how images are reduced to file names. */
export function compileRules(set: RuleSet, fileName: (path: string) => string): CompiledRules {
  let c = compiled.get(set);
  if (!c) {
    c = compile(set, fileName);
    compiled.set(set, c);
  }
  return c;
}
