// What a responder removes or blocks for one finding, read off its evidence and nothing else: the
// agent's processes, its persistence entries (service, run key, task, unit, plist, cron, startup
// item) and where each lives, its binaries with their hashes, the destinations and domains it
// talked to, download sources in its shells' command lines, and accounts those shells created.
// Each action names the records it came from; a command is offered only when the artefact's name
// can be quoted safely for the host's shell (the responder reviews it before running it).
import type { PersistenceMechanism } from './event.ts';
import type { Evidence, Finding, FindingStep } from './finding.ts';

export type RemediationKind = 'process' | 'persistence' | 'binary' | 'destination' | 'download' | 'account';

export interface RemediationAction {
  kind: RemediationKind;
  /** One line for people: what to do with what. */
  text: string;
  /** The artefact: an image path, an entry's name, an address, a URL, an account name. */
  target: string;
  /** Where the artefact lives: a registry key, a unit file, a plist, a crontab. */
  location?: string;
  mechanism?: PersistenceMechanism;
  pids?: number[];
  hashes?: string[];
  /** Port and name of a destination. */
  port?: number;
  domain?: string;
  /** A command that does it on the host, for the responder to review. */
  command?: string;
  /** The records it was read from ("file:line", "file@offset"). */
  evidence: string[];
}

const ORDER: RemediationKind[] = ['process', 'persistence', 'binary', 'destination', 'download', 'account'];

function ref(e: Evidence): string {
  const s = e.src;
  return `${s.file}${s.line !== undefined ? `:${s.line}` : s.offset !== undefined ? `@${s.offset}` : ''}`;
}

/** A cmd.exe argument in double quotes, or undefined when the text could break out of them. */
function winQuote(s: string): string | undefined {
  return /^[^"%^&|<>\r\n]*$/.test(s) ? `"${s}"` : undefined;
}

/** A POSIX shell argument in single quotes (always safe). */
function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A file name without its folder. */
function leaf(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1) || path;
}

function seen(f: Finding, step: FindingStep['step']): Evidence[] {
  for (const s of f.steps) if (s.step === step && s.seen) return s.evidence;
  return [];
}

function allRecords(f: Finding): Evidence[] {
  const out: Evidence[] = [];
  for (const s of f.steps) if (s.seen) for (const e of s.evidence) out.push(e);
  return out;
}

/**
 * Collects actions by key so repeated records merge into one action with all their sources, in
 * the order the kinds are listed and, within a kind, the order first seen. Built for a finding
 * revision each time its evidence changes (live modes), so it makes no closures per record.
 */
class Actions {
  private readonly byKey = new Map<string, RemediationAction>();
  private readonly byKind = new Map<RemediationKind, RemediationAction[]>(ORDER.map((k) => [k, []]));
  get(key: string): RemediationAction | undefined {
    return this.byKey.get(key);
  }
  /** Adds `a` (its `evidence` empty) under `key`. */
  open(key: string, a: RemediationAction): RemediationAction {
    this.byKey.set(key, a);
    this.byKind.get(a.kind)!.push(a);
    return a;
  }
  of(kind: RemediationKind): RemediationAction[] {
    return this.byKind.get(kind)!;
  }
  all(): RemediationAction[] {
    return ORDER.flatMap((k) => this.byKind.get(k)!);
  }
}

/** Names the record `e` among the sources of `a` (once). */
function cite(a: RemediationAction, e: Evidence): void {
  const r = ref(e);
  if (!a.evidence.includes(r)) a.evidence.push(r);
}

function processActions(f: Finding, records: Evidence[], out: Actions): void {
  const images = new Set(f.agent.images.map((i) => i.toLowerCase()));
  const windows = f.platform === 'windows';
  for (const e of records) {
    const p = e.process;
    if (!p || p.pid === undefined) continue;
    const image = p.image.toLowerCase();
    if (!images.has(image)) continue;
    const key = `process\n${image}`;
    const a =
      out.get(key) ?? out.open(key, { kind: 'process', text: '', target: p.image, pids: [], evidence: [] });
    if (!a.pids!.includes(p.pid)) a.pids!.push(p.pid);
    cite(a, e);
  }
  for (const a of out.of('process')) {
    a.pids!.sort((x, y) => x - y);
    a.text = `End the agent's process${a.pids!.length > 1 ? 'es' : ''} ${a.pids!.join(', ')} (${a.target})`;
    a.command = windows
      ? a.pids!.map((p) => `taskkill /PID ${p} /F`).join(' & ')
      : `kill -9 ${a.pids!.join(' ')}`;
  }
}

/** The registry key that holds a value ("...\Run\AnyDesk" → "...\Run"). */
function parentKey(key: string): string {
  return key.slice(0, key.lastIndexOf('\\'));
}

function persistenceText(
  m: PersistenceMechanism,
  name: string,
  location: string | undefined,
): { text: string; command?: string } {
  const where = location ? ` (${location})` : '';
  switch (m) {
    case 'service': {
      const q = winQuote(name);
      return {
        text: `Stop and delete the service ${name}${where}`,
        command: q ? `sc.exe stop ${q} & sc.exe delete ${q}` : undefined,
      };
    }
    case 'run_key': {
      const key = location ? parentKey(location) : undefined;
      const q = winQuote(leaf(location ?? name));
      const k = key ? winQuote(key) : undefined;
      return {
        text: `Delete the autostart value ${name}${where}`,
        command: q && k ? `reg delete ${k} /v ${q} /f` : undefined,
      };
    }
    case 'scheduled_task': {
      const q = winQuote(name);
      return {
        text: `Delete the scheduled task ${name}`,
        command: q ? `schtasks /delete /tn ${q} /f` : undefined,
      };
    }
    case 'startup_folder': {
      const q = location ? winQuote(location) : undefined;
      return { text: `Delete the startup item ${name}${where}`, command: q ? `del /f ${q}` : undefined };
    }
    case 'systemd':
      return {
        text: `Disable and remove the systemd unit ${name}${where}`,
        command: `systemctl disable --now ${shQuote(name)}${location ? ` && rm -f ${shQuote(location)}` : ''} && systemctl daemon-reload`,
      };
    case 'launchd':
      return {
        text: `Unload and remove the launchd item ${name}${where}`,
        command: location
          ? `launchctl unload -w ${shQuote(location)} && rm -f ${shQuote(location)}`
          : `launchctl remove ${shQuote(name)}`,
      };
    case 'cron':
      return { text: `Remove the agent's line from the crontab ${location ?? name}` };
  }
}

function persistenceActions(f: Finding, out: Actions): void {
  for (const e of seen(f, 'persistence')) {
    const entry = e.entry;
    if (!entry) continue;
    const location = entry.location ?? e.file?.path ?? e.registry?.key;
    // Task Scheduler names a task "\\Name" in some records and "Name" in others.
    const key = entry.mechanism === 'scheduled_task' ? entry.name.replace(/^\\/, '') : entry.name;
    const k = `persistence\n${entry.mechanism}\n${key.toLowerCase()}`;
    const a =
      out.get(k) ??
      out.open(k, {
        kind: 'persistence',
        text: '',
        target: entry.name,
        mechanism: entry.mechanism,
        evidence: [],
      });
    if (!a.location && location) a.location = location;
    cite(a, e);
  }
  for (const a of out.of('persistence')) {
    const { text, command } = persistenceText(a.mechanism!, a.target, a.location);
    a.text = text;
    if (command !== undefined) a.command = command;
  }
}

/** Folders the OS or a package manager owns: a binary there is not deleted by hand. */
const SYSTEM_PATH =
  /^(\/(usr\/(s?bin|lib|libexec)|s?bin|lib|System|opt\/homebrew\/bin)\/|[a-z]:\\windows\\)/i;

/** What to do with one of the agent's binaries; `hashes` are those its records reported. */
function binaryAction(image: string, hashes: string[], windows: boolean): RemediationAction {
  if (SYSTEM_PATH.test(image))
    return {
      kind: 'binary',
      text: `Do not delete ${image} (an OS or package-managed path): find what made it act as an agent, and remove its package if that is not approved`,
      target: image,
      ...(hashes.length ? { hashes } : {}),
      evidence: [],
    };
  return {
    kind: 'binary',
    text: `Delete ${image}${hashes.length ? ` and block its hashes (${hashes.join(', ')})` : ''}`,
    target: image,
    ...(hashes.length ? { hashes } : {}),
    ...(windows
      ? winQuote(image)
        ? { command: `del /f ${winQuote(image)}` }
        : {}
      : { command: `rm -f ${shQuote(image)}` }),
    evidence: [],
  };
}

function binaryActions(f: Finding, records: Evidence[], out: Actions): void {
  const windows = f.platform === 'windows';
  for (const image of f.agent.images) {
    // An image is a path: an entry's label standing in for an unseen binary is not a file.
    if (!/[\\/]/.test(image)) continue;
    const lower = image.toLowerCase();
    const mine = records.filter((e) => e.process?.image.toLowerCase() === lower);
    if (!mine.length) continue;
    const hashes = new Set<string>();
    for (const e of mine) for (const h of e.process?.hashes ?? []) hashes.add(h);
    const key = `binary\n${lower}`;
    const a = out.get(key) ?? out.open(key, binaryAction(image, [...hashes], windows));
    for (const e of mine) cite(a, e);
  }
}

function destinationActions(f: Finding, out: Actions): void {
  const names = new Map(f.egress.filter((d) => d.name).map((d) => [d.ip, d.name!]));
  for (const e of seen(f, 'egress')) {
    const ep = e.endpoint;
    if (!ep?.ip) continue;
    // A name counts only when the record carries it (as a field or in its own line).
    const key = `destination\n${ep.ip}\n${ep.port ?? ''}`;
    let a = out.get(key);
    if (!a) {
      const known = names.get(ep.ip);
      const domain = ep.name ?? (known && e.summary.includes(known) ? known : undefined);
      a = out.open(key, {
        kind: 'destination',
        text: `Block ${ep.ip}${ep.port !== undefined ? ` port ${ep.port}` : ''}${domain ? ` and the domain ${domain}` : ''} at the egress firewall and proxy`,
        target: ep.ip,
        ...(ep.port !== undefined ? { port: ep.port } : {}),
        ...(domain ? { domain } : {}),
        evidence: [],
      });
    }
    cite(a, e);
  }
}

/** URLs in a command line (download cradles: curl, wget, Invoke-WebRequest, certutil). */
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'|;&<>()]{1,2048}/gi;

/** Accounts made by a shell: net user X /add, dscl . -create /Users/X, sysadminctl -addUser X. */
const ACCOUNT_CREATED: RegExp[] = [
  /\bnet1?(?:\.exe)?\s+user\s+"?([^\s"/]{1,64})"?\s[^\r\n]{0,200}\/add\b/i,
  /\bdscl\s+\S{1,64}\s+-create\s+\/Users\/([^\s/]{1,64})/i,
  /\bsysadminctl\s+-addUser\s+"?([^\s"]{1,64})/i,
];
const UNIX_ACCOUNT = /^[a-z_][a-z0-9_.-]{0,31}$/i;

/** useradd / adduser: the account is the last word of the command (options come before it). */
function unixAccountsCreated(cmd: string): string[] {
  const out: string[] = [];
  for (const segment of cmd.split(/[;&|\n]/)) {
    const words = segment.trim().split(/\s+/);
    const at = words.findIndex((w) => /(^|\/)(useradd|adduser)$/.test(w));
    const last = words[words.length - 1];
    if (at >= 0 && at < words.length - 1 && !last.startsWith('-') && UNIX_ACCOUNT.test(last)) out.push(last);
  }
  return out;
}

function accountsCreated(cmd: string): string[] {
  const named = ACCOUNT_CREATED.map((re) => re.exec(cmd)?.[1]).filter((n): n is string => !!n);
  return [...named, ...unixAccountsCreated(cmd)];
}

function shellActions(f: Finding, out: Actions): void {
  const windows = f.platform === 'windows';
  for (const e of seen(f, 'control')) {
    const cmd = e.process?.commandLine;
    if (!cmd) continue;
    for (const m of cmd.matchAll(URL_IN_TEXT)) {
      const url = m[0];
      const key = `download\n${url}`;
      const a =
        out.get(key) ??
        out.open(key, {
          kind: 'download',
          text: `Block the download source ${url} and look for what it delivered`,
          target: url,
          evidence: [],
        });
      cite(a, e);
    }
    for (const name of accountsCreated(cmd)) {
      const key = `account\n${name.toLowerCase()}`;
      let a = out.get(key);
      if (!a) {
        a = out.open(key, {
          kind: 'account',
          text: `Remove the account ${name} that the agent's shell created`,
          target: name,
          ...(windows
            ? winQuote(name)
              ? { command: `net user ${winQuote(name)} /delete` }
              : {}
            : {
                command:
                  f.platform === 'macos'
                    ? `sysadminctl -deleteUser ${shQuote(name)}`
                    : `userdel -r ${shQuote(name)}`,
              }),
          evidence: [],
        });
      }
      cite(a, e);
    }
  }
}

export function remediationFor(f: Finding): RemediationAction[] {
  // An approved tool that behaved as approved has nothing to remove.
  if (f.status === 'suppressed') return [];
  const out = new Actions();
  const records = allRecords(f);
  processActions(f, records, out);
  persistenceActions(f, out);
  binaryActions(f, records, out);
  destinationActions(f, out);
  shellActions(f, out);
  return out.all();
}
