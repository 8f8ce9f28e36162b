// A finding: one chain of one agent on one host, with every number explained by a reason and
// every step backed by evidence. Documented for users in schema/finding.schema.json; sinks
// (NDJSON, OCSF, ECS, terminal, HTML) render this type and nothing else.
import type { PersistenceMechanism, Platform, SourceRef } from './event.ts';
import type { RemediationAction } from './remediation.ts';

export const FINDING_SCHEMA = 'ratchain.finding/1';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** The four steps of the DET0496 chain. */
export type StepId = 'execution' | 'persistence' | 'egress' | 'control';
export const STEPS: readonly StepId[] = ['execution', 'persistence', 'egress', 'control'];
export const STEP_LABEL: Record<StepId, string> = {
  execution: 'S1 execution',
  persistence: 'S2 persistence',
  egress: 'S3 egress',
  control: 'S4 interactive control',
};

/** A Unix uid or a Windows SID: what sensors give when they do not resolve an account's name. */
export function isAccountId(user: string): boolean {
  return /^(\d+|S-1-\d+(-\d+)+)$/.test(user);
}

/** The process a record shows acting (the one started, the writer, the one connecting). */
export interface EvidenceProcess {
  pid?: number;
  guid?: string;
  image: string;
  commandLine?: string;
  user?: string;
  /** "sha256:<hex>", "sha1:<hex>", "md5:<hex>", "imphash:<hex>", as the sensor reported them. */
  hashes?: string[];
  parent?: { pid?: number; image?: string; commandLine?: string };
}

/** A file the record shows created or renamed (a unit file, a plist, a startup shortcut). */
export interface EvidenceFile {
  path: string;
  op?: string;
}

/** A registry value the record shows set. */
export interface EvidenceRegistry {
  key: string;
  data?: string;
}

/** A persistence entry: what will start again, and where the entry lives. */
export interface EvidenceEntry {
  mechanism: PersistenceMechanism;
  /** Service name, task name, unit name, launchd label, value name. */
  name: string;
  /** The command the entry runs, as registered. */
  command?: string;
  /** Where the entry lives: the registry key or the file path, when the record names one. */
  location?: string;
}

/** The far end of a connection, and the host's own side of it. */
export interface EvidenceEndpoint {
  /** The external peer (the destination of an outbound connection, the client of an accepted one). */
  ip: string;
  port?: number;
  /** Its name (Sysmon DestinationHostname, TLS SNI, a DNS answer on the same host). */
  name?: string;
  protocol?: string;
  direction?: 'outbound' | 'inbound' | 'unknown';
  /** The host's own address and port of this connection. */
  srcIp?: string;
  srcPort?: number;
}

/**
 * One record behind a step: when, one line saying what it shows, where it came from, and the
 * structured facts the engine read from it (every fact optional: readers know different things).
 */
export interface Evidence {
  time: number;
  /** One line saying what the record shows. */
  summary: string;
  src: SourceRef;
  process?: EvidenceProcess;
  file?: EvidenceFile;
  registry?: EvidenceRegistry;
  entry?: EvidenceEntry;
  endpoint?: EvidenceEndpoint;
}

export interface FindingStep {
  step: StepId;
  seen: boolean;
  /** Times of the first and last evidence inside the chain's window. */
  first?: number;
  last?: number;
  /** How many records supported the step (evidence below is capped). */
  count: number;
  /** One line: what happened at this step, or why it is missing. */
  summary: string;
  /** How the evidence was tied to this agent (same process, hash, writer lineage, ...). */
  link?: string;
  evidence: Evidence[];
}

export interface Reason {
  /** Stable machine code (e.g. "temp_path", "allowlisted", "renamed"). */
  code: string;
  text: string;
  /** Score change this reason made (0 for information only). */
  delta: number;
}

export interface ToolMatch {
  id: string;
  name: string;
  category?: string;
  /** Which catalogue named it ("builtin", "lolrmm", a file). */
  catalog: string;
  /** What matched: "original_file_name", "product", "executable", "service", ... */
  by: string;
  /** Other tools the same evidence could name. */
  ambiguous?: string[];
}

export interface AgentOrigin {
  image: string;
  pid?: number;
  commandLine?: string;
  /** What it did for the agent. */
  how: 'started' | 'wrote' | 'downloaded';
  time?: number;
  src?: SourceRef;
}

export interface AgentInfo {
  /** Stable key of the agent identity on its host. */
  key: string;
  /** Every image path seen for this agent (portable copy, installed copy, ...). */
  images: string[];
  names: string[];
  hashes: string[];
  originalFileName?: string;
  product?: string;
  company?: string;
  signer?: string;
  /** Code signing as the sensor reported it: signed or not, the macOS signing and team ids. */
  signed?: boolean;
  signingId?: string;
  teamId?: string;
  tool?: ToolMatch;
  /** How separate images were linked into one agent. */
  links: string[];
  /** Set when an allowlist entry approves this agent. */
  approvedBy?: string;
  /**
   * The programs that downloaded, wrote or started the agent (a stager, installer, script host,
   * browser or document), nearest first. Never among the images: they are how it got there.
   */
  origin?: AgentOrigin[];
}

export interface EgressDestination {
  ip: string;
  port?: number;
  name?: string;
  connections: number;
  durationSec?: number;
  bytesOut?: number;
  bytesIn?: number;
  /** True when only a network flow (no process evidence) supports it. */
  hostLevel?: boolean;
}

export type FindingStatus = 'alert' | 'signal' | 'suppressed';

/** What `--fail-on` fails on: a finding not suppressed, at or above the severity. */
export function failsAt(f: { status: FindingStatus; severity: Severity }, failOn: Severity): boolean {
  return f.status !== 'suppressed' && SEVERITIES.indexOf(f.severity) >= SEVERITIES.indexOf(failOn);
}

export interface Finding {
  schema: typeof FINDING_SCHEMA;
  /** Stable: the same chain gets the same id across runs and updates. */
  id: string;
  /** Increments when a streaming update changes the finding. */
  revision: number;
  title: string;
  strategy: 'DET0496';
  analytic: 'AN1366' | 'AN1367' | 'AN1368';
  technique: { id: 'T1219'; name: 'Remote Access Tools'; tactic: 'TA0011' };
  status: FindingStatus;
  severity: Severity;
  /** 0..100, the sum of the reasons' deltas, clamped. */
  score: number;
  /** 0..1: how sure the steps belong to one agent and one chain. */
  confidence: number;
  host: string;
  /** The engine's key for the host (lower-case, the full name when one was seen): stable per host. */
  hostId?: string;
  platform: Platform;
  /** The account the agent ran as, as the sensor gave it: a name, or a numeric id when it gave only that. */
  user?: string;
  /** The account's numeric id (Unix uid, Windows SID) when `user` is one, so sinks never call it a name. */
  userId?: string;
  agent: AgentInfo;
  firstSeen: number;
  lastSeen: number;
  /** Number of steps seen (1..4). */
  stepCount: number;
  inOrder: boolean;
  steps: FindingStep[];
  missing: StepId[];
  egress: EgressDestination[];
  reasons: Reason[];
  summary: string;
  /** What to remove or block, each action read off the evidence (src/model/remediation.ts). */
  remediation?: RemediationAction[];
}
