// The normalized event: what every reader produces and the only thing the engine consumes.
// Readers state facts ("a process started", "a file was created"); deciding what a fact means
// for the chain (is this file a persistence entry?) is the engine's job.

export type Platform = 'windows' | 'linux' | 'macos' | 'network';

/** Where an event came from, so a finding can point at its evidence. */
export interface SourceRef {
  /** Input name as given (a path, or "-" for stdin). */
  file: string;
  /** Format id of the reader that produced the event (e.g. "sysmon-json", "evtx"). */
  format: string;
  /** 1-based line number for line-oriented inputs. */
  line?: number;
  /** Byte offset for binary inputs. */
  offset?: number;
  /** The sensor's own record id (EVTX EventRecordID, auditd serial, ...). */
  record?: string;
  /** The sensor's native event id or type (Sysmon "1", Security "4688", auditd "EXECVE"). */
  eventId?: string;
}

/**
 * A reference to a process as a sensor names it. Lineage resolves it to one process instance:
 * `guid` (Windows ProcessGuid, eslogger audit token with pidversion) is exact; `pid` alone is
 * resolved by time against the process table, because PIDs are reused.
 */
export interface ProcRef {
  guid?: string;
  pid?: number;
  image?: string;
  commandLine?: string;
  /** Process start time (ms since epoch) when the sensor gives it. */
  start?: number;
  user?: string;
  /**
   * The login session the process belongs to: the audit session (auditd `ses=`, journald
   * `_AUDIT_SESSION`, which systemd-logind uses as its session id), or a Windows logon id.
   */
  session?: string;
}

export interface FileHashes {
  sha256?: string;
  sha1?: string;
  md5?: string;
  imphash?: string;
}

/** Version-resource / code-signing metadata: what the binary says it is. */
export interface ImageMeta {
  originalFileName?: string;
  product?: string;
  company?: string;
  description?: string;
  signer?: string;
  signed?: boolean;
  /** macOS team id / signing id, Linux package, ... */
  signingId?: string;
  teamId?: string;
  platformBinary?: boolean;
}

interface Base {
  /** Event time from the record, ms since epoch (UTC). */
  time: number;
  /** Host name as the sensor reports it (the engine canonicalizes case and domain). */
  host: string;
  platform: Platform;
  src: SourceRef;
}

export interface ProcessStartEvent extends Base {
  kind: 'process';
  proc: ProcRef & { image: string };
  parent?: ProcRef;
  commandLine?: string;
  user?: string;
  /** Windows integrity level, or "root"/"user" elsewhere. */
  integrity?: string;
  cwd?: string;
  hashes?: FileHashes;
  meta?: ImageMeta;
  /** True when the process is a fork that kept its parent's image (no exec). */
  forkOnly?: boolean;
}

export interface ProcessEndEvent extends Base {
  kind: 'process_end';
  proc: ProcRef;
}

export type PersistenceMechanism =
  | 'service'
  | 'run_key'
  | 'scheduled_task'
  | 'startup_folder'
  | 'systemd'
  | 'launchd'
  | 'cron';

/** A persistence entry a sensor reports as such (service installed, task registered, BTM item). */
export interface PersistenceEvent extends Base {
  kind: 'persistence';
  mechanism: PersistenceMechanism;
  /** Service name, task name, unit name, launchd label, value name. */
  name: string;
  /** What will run: the raw command as registered (quotes, arguments and %VARS% included). */
  command?: string;
  /** The process that created the entry, when known. */
  actor?: ProcRef;
  /** Start type ("auto", "demand", ...), run level, or similar. */
  startType?: string;
  /** User account the entry runs as. */
  account?: string;
}

export type Direction = 'outbound' | 'inbound' | 'unknown';

/** A connection seen by a host sensor (process known) or a flow seen on the wire (no process). */
export interface NetworkEvent extends Base {
  kind: 'network';
  proc?: ProcRef;
  direction: Direction;
  protocol?: string;
  srcIp: string;
  srcPort?: number;
  dstIp: string;
  dstPort?: number;
  /** Destination name (Sysmon DestinationHostname, TLS SNI, ...). */
  dstName?: string;
  /** Flow records only: seconds, bytes sent by the originator / by the responder, state. */
  durationSec?: number;
  bytesOut?: number;
  bytesIn?: number;
  state?: string;
  /** True for sensor flows (Zeek, VMConnection) that carry no process. */
  flow?: boolean;
  /** True when the flow was still open when it was recorded. */
  open?: boolean;
}

export interface DnsEvent extends Base {
  kind: 'dns';
  proc?: ProcRef;
  query: string;
  /** Resolved addresses (names from CNAME chains dropped). */
  answers: string[];
  /** Network sensors (Zeek dns.log): the address that asked; its host is found by address. */
  clientIp?: string;
}

/**
 * A network sensor saw an address bound to a host name (a DHCP lease, Zeek dhcp.log). `host`
 * is the name the client gave; flows from `ip` belong to that host while the lease holds.
 */
export interface LeaseEvent extends Base {
  kind: 'lease';
  ip: string;
  mac?: string;
  /** Lease length in seconds (0: the client released it); absent when the server gave none. */
  leaseSec?: number;
}

export type FileOp = 'create' | 'write' | 'rename' | 'delete';

export interface FileEvent extends Base {
  kind: 'file';
  proc?: ProcRef;
  op: FileOp;
  path: string;
  /** For renames: the new path. */
  target?: string;
}

export type RegistryOp = 'set' | 'create' | 'delete' | 'rename';

export interface RegistryEvent extends Base {
  kind: 'registry';
  proc?: ProcRef;
  op: RegistryOp;
  /** Full key path including the value name, as Sysmon's TargetObject. */
  key: string;
  data?: string;
}

export type ServiceAction = 'starting' | 'started' | 'reloading' | 'stopped' | 'failed';

/**
 * A service manager changed a unit's state: systemd's "Starting X..." / "Started X." (journald,
 * syslog), auditd SERVICE_START/SERVICE_STOP. A manager reload (`systemctl daemon-reload`) has
 * action "reloading" and no name.
 */
export interface ServiceEvent extends Base {
  kind: 'service';
  action: ServiceAction;
  /** Unit name as the manager names it ("kthelper.service"); absent for a manager reload. */
  name?: string;
  /** The system manager (PID 1) or a user's manager (`systemd --user`). */
  scope: 'system' | 'user';
  /** The manager process, and for a reload the client that asked for it when logged. */
  manager?: ProcRef;
  requestedBy?: ProcRef;
}

/** A process seen running inside a unit (journald `_SYSTEMD_UNIT` / `_SYSTEMD_USER_UNIT`). */
export interface UnitProcessEvent extends Base {
  kind: 'unit_process';
  unit: string;
  scope: 'system' | 'user';
  proc: ProcRef & { image: string };
}

/**
 * A login accepted by a remote-login service: sshd "Accepted publickey for alice from ADDR port
 * N" (journald, syslog), auditd USER_LOGIN, Windows 4624. `proc` is the service process that
 * accepted it (the sshd that logged the line); `session` its login session when known.
 */
export interface LoginEvent extends Base {
  kind: 'login';
  user?: string;
  srcIp: string;
  srcPort?: number;
  /** "publickey", "password", "keyboard-interactive/pam", Windows logon type ("10"), ... */
  method?: string;
  /** The service that accepted it: "sshd", "rdp", ... */
  service: string;
  proc?: ProcRef;
  session?: string;
}

export type RatEvent =
  | ProcessStartEvent
  | ProcessEndEvent
  | PersistenceEvent
  | NetworkEvent
  | DnsEvent
  | LeaseEvent
  | FileEvent
  | RegistryEvent
  | ServiceEvent
  | UnitProcessEvent
  | LoginEvent;

export type EventKind = RatEvent['kind'];
