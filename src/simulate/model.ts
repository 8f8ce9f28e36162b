// What the generator produces before any format exists: hosts and sensor-neutral activity
// records. Background and scenarios speak only this language; each writer renders the records
// of its platform in its own real format, so one fleet can be written in any mix of formats.

export type SimPlatform = 'windows' | 'linux' | 'macos';

export interface SimHost {
  index: number;
  /** Short name as the sensor reports it (Windows: NetBIOS-style upper case). */
  name: string;
  /** Fully qualified name (Windows event <Computer>, osquery hostIdentifier). */
  fqdn: string;
  platform: SimPlatform;
  ip: string;
  /** The person who uses it ("alice"); Windows adds the domain. */
  user: string;
  domain: string;
  /** Help-desk host where the approved remote tool is normal. */
  support: boolean;
  /** Which Windows sensor export this host's events go to. */
  windowsFormat: 'sysmon-xml' | 'winlogbeat-json' | 'evtx';
  /**
   * Which macOS sensor records processes and files: eslogger (with osquery for sockets), or
   * osquery alone, whose file_events name no process.
   */
  macSensor: 'eslogger' | 'osquery';
  /** Boot time of the simulated span (pids count up from here). */
  bootTime: number;
}

/** Version-resource / signing facts of an image, as Sysmon and eslogger report them. */
export interface SimImageMeta {
  originalFileName?: string;
  product?: string;
  company?: string;
  description?: string;
  fileVersion?: string;
  /** macOS signing id / team id. */
  signingId?: string;
  teamId?: string;
  platformBinary?: boolean;
}

/** One process instance. */
export interface SimProc {
  pid: number;
  /** Windows ProcessGuid (with braces), unique per process. */
  guid: string;
  image: string;
  commandLine: string;
  /** Account as Windows renders it ("CORP\\alice", "NT AUTHORITY\\SYSTEM") or the Unix name. */
  user: string;
  uid: number;
  start: number;
  integrity: 'Low' | 'Medium' | 'High' | 'System';
  cwd: string;
  meta?: SimImageMeta;
  /** sha256 of the image, stable per binary. */
  sha256: string;
  parent?: SimProc;
}

interface Rec {
  t: number;
}

export interface ProcStartRec extends Rec {
  k: 'proc';
  proc: SimProc;
}
export interface ProcEndRec extends Rec {
  k: 'end';
  proc: SimProc;
}
/** An outbound TCP connection: the host sensor sees its start, Zeek sees the whole flow. */
export interface ConnRec extends Rec {
  k: 'conn';
  proc: SimProc;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  dstName?: string;
  durationSec: number;
  bytesOut: number;
  bytesIn: number;
  /** Flow only (no host sensor record): traffic the host sensor does not see. */
  flowOnly?: boolean;
  /** Host record only (no flow): traffic that never crosses the Zeek sensor. */
  hostOnly?: boolean;
}
export interface DnsRec extends Rec {
  k: 'dns';
  proc: SimProc;
  query: string;
  answers: string[];
}
/** A file created (or renamed into place when `from` is set). */
export interface FileRec extends Rec {
  k: 'file';
  proc: SimProc;
  path: string;
  from?: string;
}
/** A Windows service installed: System 7045, Security 4697 and Sysmon 13 on ImagePath. */
export interface ServiceRec extends Rec {
  k: 'service';
  /** The process that asked the SCM to install it (sc.exe, an installer, the agent). */
  actor: SimProc;
  services: SimProc;
  name: string;
  imagePath: string;
  startType: 'auto start' | 'demand start';
  account: string;
}
/** A registry value set (Run keys): Sysmon 13. */
export interface RegRec extends Rec {
  k: 'reg';
  proc: SimProc;
  key: string;
  data: string;
}
/** A scheduled task registered: Security 4698. */
export interface TaskRec extends Rec {
  k: 'task';
  actor: SimProc;
  name: string;
  command: string;
  args: string;
}
/** macOS Background Task Management item added (eslogger btm_launch_item_add). */
export interface BtmRec extends Rec {
  k: 'btm';
  actor: SimProc;
  plist: string;
  program: string;
  label: string;
  daemon: boolean;
}
/** systemd started a unit (auditd SERVICE_START). */
export interface UnitStartRec extends Rec {
  k: 'unit';
  unit: string;
}

export type SimRecord =
  | ProcStartRec
  | ProcEndRec
  | ConnRec
  | DnsRec
  | FileRec
  | ServiceRec
  | RegRec
  | TaskRec
  | BtmRec
  | UnitStartRec;
