// What one audit event says, whatever wrote it: a raw auditd record group (SYSCALL + EXECVE +
// CWD + PATH... + SOCKADDR + PROCTITLE sharing a serial) or one AUOMS record (auoms merges the
// group into a single line). Both become AuditFacts; audit-events.ts turns facts into events.
import { type AuditRecord, decodeValue, parseArray, parseFields } from './audit-record.ts';
import { syscallName } from './audit-syscalls.ts';

export interface AuditPath {
  name?: string;
  nametype?: string;
}

export interface AuditFacts {
  serial: string;
  time: number;
  /** 1-based line of the first record of the group. */
  line: number;
  /** Record type for evidence (EXECVE, SOCKADDR, PATH, SYSCALL, AUOMS_EXECVE). */
  eventId: string;
  node?: string;
  syscall?: string;
  success?: boolean;
  exit?: number;
  /** First syscall argument, hex as auditd writes it (clone flags). */
  a0?: string;
  pid?: number;
  ppid?: number;
  exe?: string;
  /** Login (audit) user and real/effective user: names when the log has them, else numbers. */
  auid?: string;
  uid?: string;
  euid?: string;
  argv?: string[];
  /** A ready command line (AUOMS cmdline) when argv is not given. */
  cmdline?: string;
  proctitle?: string;
  cwd?: string;
  paths: AuditPath[];
  saddr?: string;
  /** Audit session (`ses=`); absent when unset. */
  session?: string;
  /** A user-space record standing alone: a unit started or stopped, a login. */
  service?: { action: 'started' | 'stopped'; unit: string };
  login?: { user?: string; addr: string; terminal?: string; exe?: string };
}

/** The records of one raw auditd event, as collected by the assembler. */
export interface RecordGroup {
  serial: string;
  time: number;
  line: number;
  node?: string;
  syscall?: Map<string, string>;
  syscallType?: string;
  /** EXECVE fields, merged when auditd split a long argv across several EXECVE records. */
  execve?: Map<string, string>;
  cwd?: string;
  paths: Map<string, string>[];
  saddr?: string;
  proctitle?: string;
  /** Record types in the group other than the ones above (USER_*, SERVICE_START, AVC, ...). */
  otherType?: string;
  /** Fields of a user-space record the readers use (SERVICE_START/STOP, USER_LOGIN). */
  user?: Map<string, string>;
  records: number;
  /** `ausearch -i` records: plain text, never hex. */
  interpreted?: boolean;
}

export type FactsResult = AuditFacts | { bad: string } | undefined;

// Field names are compared, not hashed: they are fresh slices of the line, and a switch on a
// short string is cheaper than hashing it into a Set.
function syscallField(k: string): boolean {
  switch (k) {
    case 'arch':
    case 'syscall':
    case 'success':
    case 'exit':
    case 'a0':
    case 'items':
    case 'ppid':
    case 'pid':
    case 'auid':
    case 'uid':
    case 'euid':
    case 'exe':
    case 'ses':
    case 'SYSCALL':
    case 'AUID':
    case 'UID':
    case 'EUID':
      return true;
    default:
      return false;
  }
}
// Older auditd (RHEL 7) writes objtype= where newer writes nametype=.
const pathField = (k: string) => k === 'name' || k === 'nametype' || k === 'objtype' || k === 'item';
const cwdField = (k: string) => k === 'cwd';
const saddrField = (k: string) => k === 'saddr';
const proctitleField = (k: string) => k === 'proctitle';
// User-space records: the outer fields and msg='...', whose inner fields are parsed when used.
const userRecordField = (k: string) =>
  k === 'pid' || k === 'auid' || k === 'ses' || k === 'msg' || k === 'AUID' || k === 'ID';
/** User-space record types read on their own (no SYSCALL): unit lifecycle and logins. */
const USER_RECORDS = new Set(['SERVICE_START', 'SERVICE_STOP', 'USER_LOGIN']);

/**
 * A record that is a whole event by itself: the kernel gives each user-space message its own
 * serial and writes no EOE after it, so nothing more of its event can come.
 */
export function standaloneRecord(type: string): boolean {
  return USER_RECORDS.has(type);
}
/**
 * Every record type whose fields `fieldPlan` keeps, plus EOE (it closes its event); AUOMS_* as
 * well. A raw record of any other type is skipped on its bytes, before it is decoded.
 */
export const RECORD_TYPES_READ = [
  'SYSCALL',
  'EXECVE',
  'PATH',
  'CWD',
  'SOCKADDR',
  'PROCTITLE',
  'EOE',
  ...USER_RECORDS,
];

/** The fields the readers use, by record type: other record types are not scanned at all. */
export function fieldPlan(type: string): ((key: string) => boolean) | null | undefined {
  switch (type) {
    case 'SYSCALL':
      return syscallField;
    case 'EXECVE':
      return undefined; // every aN, aN_len, aN[i]
    case 'PATH':
      return pathField;
    case 'CWD':
      return cwdField;
    case 'SOCKADDR':
      return saddrField;
    case 'PROCTITLE':
      return proctitleField;
    default:
      if (USER_RECORDS.has(type)) return userRecordField;
      return type.startsWith('AUOMS_') ? undefined : null;
  }
}

const UNSET = '4294967295';

function num(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw.charCodeAt(0) === 34 ? raw.slice(1, -1) : raw);
  return Number.isFinite(n) ? n : undefined;
}

/** Enriched logs write `AUID="alice"`; raw ones only `auid=1000` (unset is 4294967295). */
function userField(f: Map<string, string>, lower: string, upper: string): string | undefined {
  const name = f.get(upper);
  if (name !== undefined) {
    const v = decodeValue(name, false);
    if (typeof v === 'string' && v !== 'unset') return v;
  }
  const id = f.get(lower);
  return id === undefined || id === UNSET || id === '-1' || id === 'unset' ? undefined : id;
}

function add(g: RecordGroup, rec: AuditRecord): void {
  // Merge EXECVE records: auditd splits a very long argv into several records of one event.
  const into = g.execve ?? new Map<string, string>();
  for (const [k, v] of rec.fields) if (!into.has(k)) into.set(k, v);
  g.execve = into;
}

export function newGroup(rec: AuditRecord, line: number): RecordGroup {
  return { serial: rec.serial, time: rec.time, line, node: rec.node, paths: [], records: 0 };
}

/** Files one record into its group. */
export function addRecord(g: RecordGroup, rec: AuditRecord): void {
  g.records++;
  switch (rec.type) {
    case 'SYSCALL':
      g.syscall ??= rec.fields;
      g.syscallType = rec.type;
      break;
    case 'EXECVE':
      add(g, rec);
      break;
    case 'CWD':
      g.cwd ??= rec.fields.get('cwd');
      break;
    case 'PATH':
      g.paths.push(rec.fields);
      break;
    case 'SOCKADDR':
      g.saddr ??= rec.fields.get('saddr');
      break;
    case 'PROCTITLE':
      g.proctitle ??= rec.fields.get('proctitle');
      break;
    case 'EOE':
      break;
    default:
      g.otherType ??= rec.type;
      if (USER_RECORDS.has(rec.type)) g.user ??= rec.fields;
  }
  g.node ??= rec.node;
  if (rec.interpreted) g.interpreted = true;
}

/** Decodes a string field, recording the first undecodable one in `bad`. */
class Strings {
  bad: string | undefined;
  constructor(private readonly hex: boolean) {}
  get(raw: string | undefined, what: string): string | undefined {
    const v = decodeValue(raw, this.hex);
    if (v === undefined || typeof v === 'string') return v;
    this.bad ??= `${what}: ${v.bad}`;
    return undefined;
  }
}

function argvOf(e: Map<string, string>, s: Strings): string[] | string {
  const argc = num(e.get('argc'));
  if (argc === undefined || argc < 0 || argc > 1_000_000) return 'EXECVE record without a usable argc';
  const argv: string[] = [];
  for (let i = 0; i < argc; i++) {
    const whole = e.get(`a${i}`);
    if (whole !== undefined) {
      argv.push(s.get(whole, `EXECVE a${i}`) ?? '');
      continue;
    }
    // A long argument is split: a1_len=N a1[0]=... a1[1]=... (each part hex or quoted).
    const len = num(e.get(`a${i}_len`));
    if (len === undefined) return `EXECVE argc=${argc} but a${i} is missing (record cut?)`;
    let arg = '';
    for (let p = 0; ; p++) {
      const part = e.get(`a${i}[${p}]`);
      if (part === undefined) break;
      arg += s.get(part, `EXECVE a${i}[${p}]`) ?? '';
    }
    if (Buffer.byteLength(arg) !== len)
      return `EXECVE a${i}_len=${len} but its parts hold ${Buffer.byteLength(arg)} bytes (record split or cut)`;
    argv.push(arg);
  }
  return argv;
}

/** A raw auditd group -> facts; undefined for groups with nothing the readers use. */
export function rawFacts(g: RecordGroup): FactsResult {
  const sys = g.syscall;
  if (!sys && g.user && g.otherType) return userRecordFacts(g, g.otherType, g.user);
  if (!sys) {
    if (
      g.execve ||
      g.paths.length ||
      g.cwd !== undefined ||
      g.saddr !== undefined ||
      g.proctitle !== undefined
    )
      return {
        bad: `audit event ${g.serial} has EXECVE/PATH/CWD/SOCKADDR records but no SYSCALL record (split across files or cut)`,
      };
    return undefined;
  }
  const items = num(sys.get('items')) ?? 0;
  if (g.paths.length < items)
    return {
      bad: `audit event ${g.serial}: SYSCALL says items=${items} but ${g.paths.length} PATH record(s) arrived (group cut)`,
    };
  const s = new Strings(!g.interpreted);
  // Enriched logs name the syscall (SYSCALL=execve); raw ones give the number for the arch.
  const enriched = decodeValue(sys.get('SYSCALL'), false);
  const syscall = typeof enriched === 'string' ? enriched : syscallName(sys.get('syscall'), sys.get('arch'));
  let argv: string[] | undefined;
  if (g.execve) {
    const a = argvOf(g.execve, s);
    if (typeof a === 'string') return { bad: `audit event ${g.serial}: ${a}` };
    argv = a;
  }
  const paths: AuditPath[] = [];
  // PATH records carry item=N; order by it (records normally arrive in order already).
  let ordered = true;
  for (let i = 0; i < g.paths.length && ordered; i++) ordered = g.paths[i].get('item') === String(i);
  const sorted = ordered
    ? g.paths
    : [...g.paths].sort((a, b) => (num(a.get('item')) ?? 0) - (num(b.get('item')) ?? 0));
  for (const p of sorted)
    paths.push({ name: s.get(p.get('name'), 'PATH name'), nametype: p.get('nametype') ?? p.get('objtype') });
  // ausearch -i names errors: exit=EINPROGRESS(Operation now in progress)
  const exitRaw = sys.get('exit');
  const exit = num(exitRaw) ?? (exitRaw?.startsWith('EINPROGRESS') ? -115 : undefined);
  const facts: AuditFacts = {
    serial: g.serial,
    time: g.time,
    line: g.line,
    eventId: g.execve ? 'EXECVE' : g.saddr !== undefined ? 'SOCKADDR' : g.paths.length ? 'PATH' : 'SYSCALL',
    node: g.node,
    syscall,
    success: sys.get('success') === undefined ? undefined : sys.get('success') === 'yes',
    exit,
    a0: sys.get('a0'),
    pid: num(sys.get('pid')),
    ppid: num(sys.get('ppid')),
    exe: s.get(sys.get('exe'), 'SYSCALL exe'),
    auid: userField(sys, 'auid', 'AUID'),
    uid: userField(sys, 'uid', 'UID'),
    euid: userField(sys, 'euid', 'EUID'),
    argv,
    // PROCTITLE only stands in for a missing EXECVE record; decode it only then.
    proctitle:
      g.proctitle === undefined || argv ? undefined : s.get(g.proctitle, 'PROCTITLE')?.replace(/\0/g, ' '),
    cwd: s.get(g.cwd, 'CWD cwd'),
    paths,
    saddr: g.saddr,
    session: sessionOf(sys.get('ses')),
  };
  if (s.bad) return { bad: `audit event ${g.serial}: ${s.bad}` };
  return facts;
}

function sessionOf(raw: string | undefined): string | undefined {
  return raw === undefined || raw === UNSET || raw === '-1' || raw === 'unset' ? undefined : raw;
}

/**
 * A SERVICE_START/SERVICE_STOP (systemd reports a unit's state) or USER_LOGIN (sshd, login)
 * record: `pid=1 uid=0 auid=... ses=... msg='unit=nginx comm="systemd" ... res=success'`.
 * Failed ones and logins without an address are not facts the chain uses.
 */
function userRecordFacts(g: RecordGroup, type: string, f: Map<string, string>): FactsResult {
  const inner = new Map<string, string>();
  const msg = decodeValue(f.get('msg'), false);
  if (typeof msg !== 'string') return undefined;
  parseFields(msg, 0, inner);
  if (inner.get('res') !== 'success') return undefined;
  const facts: AuditFacts = {
    serial: g.serial,
    time: g.time,
    line: g.line,
    eventId: type,
    node: g.node,
    pid: num(f.get('pid')),
    auid: userField(f, 'auid', 'AUID'),
    paths: [],
    session: sessionOf(f.get('ses')),
  };
  // Inside msg='...' values are plain (addr=198.51.100.23, unit=nginx) or "quoted", never hex.
  const text = (k: string) => {
    const v = decodeValue(inner.get(k), false);
    return typeof v === 'string' && v !== '?' ? v : undefined;
  };
  if (type === 'USER_LOGIN') {
    const addr = text('addr');
    if (!addr) return undefined;
    const id = decodeValue(f.get('ID'), false);
    facts.login = {
      user: typeof id === 'string' ? id : text('id'),
      addr,
      terminal: text('terminal'),
      exe: text('exe'),
    };
  } else {
    const unit = text('unit');
    if (!unit) return undefined;
    facts.service = { action: type === 'SERVICE_START' ? 'started' : 'stopped', unit };
  }
  return facts;
}

/**
 * One AUOMS record (`type=AUOMS_EXECVE audit(...): ... syscall=execve ... cmdline="..."`) -> facts.
 * AUOMS writes names for users and syscalls and plain (not hex) text.
 */
export function auomsFacts(rec: AuditRecord, line: number): FactsResult {
  const f = rec.fields;
  const s = new Strings(false);
  const names = parseArray(f.get('path_name'));
  const types = parseArray(f.get('path_nametype'));
  const paths: AuditPath[] = [];
  if (names.length)
    for (let i = 0; i < names.length; i++) paths.push({ name: names[i] || undefined, nametype: types[i] });
  else if (f.has('name')) paths.push({ name: s.get(f.get('name'), 'name'), nametype: f.get('nametype') });
  const named = (user: string, id: string) => {
    const n = s.get(f.get(user), user);
    if (n && n !== 'unset') return n;
    const v = f.get(id);
    return v === undefined || v === UNSET || v === '-1' ? undefined : v;
  };
  const facts: AuditFacts = {
    serial: rec.serial,
    time: rec.time,
    line,
    eventId: rec.type,
    node: s.get(f.get('node'), 'node') ?? rec.node,
    syscall: syscallName(f.get('syscall'), f.get('arch')),
    success: f.get('success') === undefined ? undefined : f.get('success') === 'yes',
    exit: num(f.get('exit')),
    a0: f.get('a0'),
    pid: num(f.get('pid')),
    ppid: num(f.get('ppid')),
    exe: s.get(f.get('exe'), 'exe'),
    auid: named('audit_user', 'auid'),
    uid: named('user', 'uid'),
    euid: named('effective_user', 'euid'),
    cmdline: s.get(f.get('cmdline'), 'cmdline'),
    proctitle: s.get(f.get('proctitle'), 'proctitle'),
    cwd: s.get(f.get('cwd'), 'cwd'),
    paths,
    // raw hex as auditd wrote it, or the interpreted {...} form
    saddr: f.get('saddr') ?? f.get('SADDR'),
  };
  if (s.bad) return { bad: `AUOMS record ${rec.serial}: ${s.bad}` };
  return facts;
}
