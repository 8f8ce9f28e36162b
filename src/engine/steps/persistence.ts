// S2: what counts as making a program start again, on each platform, and whose it is. Readers
// report facts (a registry value set, a file created, a command run, a service installed); this
// module says which facts are persistence, what program they will start, and which agent the
// entry belongs to: the program it runs, or the agent that wrote it, or both, merged.
import type {
  FileEvent,
  PersistenceEvent,
  PersistenceMechanism,
  ProcessStartEvent,
  RegistryEvent,
  SourceRef,
} from '../../model/event.ts';
import { addStep, newAgentFor } from '../chain.ts';
import type { EngineContext } from '../context.ts';
import { capCommand, type EvidenceFacts, evidence, processFact, short } from '../evidence.ts';
import { attach, live, merge } from '../identity.ts';
import { procFor } from '../lineage.ts';
import { commandArgs, commandImage, fileName, pathKey } from '../paths.ts';
import { isGeneric, isInstaller, isSystemWriter, isTool } from '../roles.ts';
import type { Agent, HostState, Proc } from '../state.ts';
import { actingAgent, addExecution } from './execution.ts';

export interface PersistenceFact {
  mechanism: PersistenceMechanism;
  name: string;
  /** The command that will run, when the fact names it. */
  command?: string;
  /** Where the entry lives (registry key, file path), when the fact names it. */
  location?: string;
  /** Weaker kinds (cron) score less. */
  weak?: boolean;
  /** Notes for modifiers: hidden plist, Apple-lookalike label. */
  notes?: string[];
}

const RUN_KEY =
  /\\(software\\(wow6432node\\)?microsoft\\windows\\currentversion\\(run|runonce|runservices|runservicesonce|policies\\explorer\\run))\\([^\\]+)$/i;
const SERVICE_IMAGE = /\\(controlset\d{3}|currentcontrolset)\\services\\([^\\]+)\\imagepath$/i;
const WINLOGON = /\\software\\microsoft\\windows nt\\currentversion\\winlogon\\(userinit|shell)$/i;
const STARTUP_DIR = /\\(start menu\\programs\\startup)\\([^\\]+)$/i;

export function registryPersistence(key: string, data: string | undefined): PersistenceFact | undefined {
  let m = SERVICE_IMAGE.exec(key);
  if (m) return { mechanism: 'service', name: m[2], command: data, location: key };
  m = RUN_KEY.exec(key);
  if (m) return { mechanism: 'run_key', name: m[4], command: data, location: key };
  m = WINLOGON.exec(key);
  if (m) return { mechanism: 'run_key', name: `Winlogon ${m[1]}`, command: data, location: key };
  return undefined;
}

const SYSTEMD_DIRS =
  /^(\/etc\/systemd\/system|\/lib\/systemd\/system|\/usr\/lib\/systemd\/system|\/run\/systemd\/system|\/etc\/systemd\/user|\/usr\/lib\/systemd\/user|\/home\/[^/]+\/\.config\/systemd\/user|\/root\/\.config\/systemd\/user)\/(.+\.(service|timer|socket))$/;
const CRON =
  /^(\/etc\/crontab|\/etc\/cron\.(d|hourly|daily|weekly|monthly)\/[^/]+|\/var\/spool\/cron\/(crontabs\/)?[^/]+)$/;
const LAUNCHD =
  /^(\/library\/launch(agents|daemons)|\/system\/library\/launch(agents|daemons)|\/users\/[^/]+\/library\/launchagents|~\/library\/launchagents)\/([^/]+\.plist)$/i;

export function filePersistence(path: string): PersistenceFact | undefined {
  const lower = path.toLowerCase();
  let m = STARTUP_DIR.exec(path);
  if (m) return { mechanism: 'startup_folder', name: m[2], location: path };
  m = SYSTEMD_DIRS.exec(path);
  // A unit file, or the link `systemctl enable` makes in a .wants/ folder.
  if (m && (!m[2].includes('/') || /^[^/]+\.wants\/[^/]+$/.test(m[2]))) {
    return { mechanism: 'systemd', name: m[2].slice(m[2].lastIndexOf('/') + 1), location: path };
  }
  m = CRON.exec(path);
  if (m) return { mechanism: 'cron', name: path, location: path, weak: true };
  m = LAUNCHD.exec(lower);
  if (m) {
    const file = path.slice(path.lastIndexOf('/') + 1);
    const label = file.replace(/\.plist$/i, '');
    const notes: string[] = [];
    if (label.startsWith('.')) notes.push('hidden plist (leading dot)');
    if (/^com\.apple\./i.test(label) && !lower.startsWith('/system/'))
      notes.push(`Apple-lookalike label ${label} outside /System`);
    return { mechanism: 'launchd', name: label, location: path, notes };
  }
  return undefined;
}

/** Persistence made by running a command (systemctl enable, launchctl load, schtasks, sc, reg add). */
export function commandPersistence(
  image: string,
  commandLine: string | undefined,
): PersistenceFact | undefined {
  if (!commandLine) return undefined;
  const c = commandLine;
  let m =
    /\bsystemctl\b(?:\s+--\S+)*\s+(enable|start|restart|reenable|link)\s+(?:--now\s+)?([\w@.\-/]+)/i.exec(c);
  if (m) return { mechanism: 'systemd', name: m[2].replace(/^.*\//, '') };
  m =
    /\blaunchctl\s+(load|bootstrap|enable|submit)\b.*?([\w.\-~/ ]+\.plist|gui\/\d+\/[\w.-]+|system\/[\w.-]+|-l\s+[\w.-]+)/i.exec(
      c,
    );
  if (m)
    return {
      mechanism: 'launchd',
      name: m[2]
        .trim()
        .replace(/^.*\//, '')
        .replace(/\.plist$/i, '')
        .replace(/^-l\s+/, ''),
    };
  m = /\bschtasks(?:\.exe)?["']?\s+.*\/create\b/i.exec(c);
  if (m) {
    const tn = /\/tn\s+("([^"]+)"|(\S+))/i.exec(c);
    const tr = /\/tr\s+("((?:[^"\\]|\\.)*)"|'([^']+)'|(\S+))/i.exec(c);
    return {
      mechanism: 'scheduled_task',
      name: tn?.[2] ?? tn?.[3] ?? '?',
      command: tr?.[2] ?? tr?.[3] ?? tr?.[4],
    };
  }
  m = /\bsc(?:\.exe)?["']?\s+(?:\\\\\S+\s+)?create\s+("([^"]+)"|(\S+))/i.exec(c);
  if (m) {
    const bp = /binpath=\s*("((?:[^"\\]|\\.)*)"|(\S+))/i.exec(c);
    return { mechanism: 'service', name: m[2] ?? m[3], command: bp?.[2] ?? bp?.[3] };
  }
  m = /\breg(?:\.exe)?["']?\s+add\s+("([^"]+)"|(\S+))/i.exec(c);
  if (m) {
    const key = (m[2] ?? m[3]).replace(/^hkcu/i, 'HKCU').replace(/^hklm/i, 'HKLM');
    const v = /\/v\s+("([^"]+)"|(\S+))/i.exec(c);
    const d = /\/d\s+("((?:[^"\\]|\\.)*)"|(\S+))/i.exec(c);
    const fact = registryPersistence(`${key}\\${v?.[2] ?? v?.[3] ?? ''}`, d?.[2] ?? d?.[3]);
    if (fact) return fact;
  }
  m = /\bcrontab\b(?!\s+-l)/.exec(c);
  if (m && /(^|\/)crontab$/.test(image)) return { mechanism: 'cron', name: 'crontab', weak: true };
  return undefined;
}

/** Entries with a generic program (a shell command line) waiting for the start they registered. */
const MAX_PENDING_ENTRIES = 64;
/** Characters of the registered arguments a later start's arguments must contain. */
const PENDING_ARGS_PREFIX = 64;
/** Entries remembered per host, so one entry reported by several records is one S2. */
const MAX_ENTRIES = 1024;
/** sc run by cmd run by a script run by the agent: hops up through tools to the real writer. */
const MAX_WRITER_HOPS = 4;
/** Arguments that make a shell run a command line (cmd /c, sh -c, powershell -enc/-command). */
const SHELL_COMMAND_ARGS = /(^|\s)(\/c|-c|-enc|-e|-encodedcommand|-command)\s/i;

function mechanismText(m: PersistenceMechanism): string {
  return m.replace('_', ' ');
}

function normalArgs(command: string): string {
  return commandArgs(command).toLowerCase().replace(/\s+/g, ' ');
}

function entryEvidence(
  fact: PersistenceFact,
  actor: Proc | undefined,
  time: number,
  src: SourceRef,
  facts: Pick<EvidenceFacts, 'file' | 'registry'>,
) {
  const summary = `${mechanismText(fact.mechanism)} "${fact.name}"${fact.command ? ` runs ${short(fact.command)}` : ''}`;
  const entry: EvidenceFacts['entry'] = { mechanism: fact.mechanism, name: fact.name };
  const command = capCommand(fact.command);
  if (command !== undefined) entry.command = command;
  if (fact.location !== undefined) entry.location = fact.location;
  return evidence(time, summary, src, {
    ...(actor ? { process: processFact(actor) } : {}),
    ...facts,
    entry,
  });
}

/**
 * Whoever really wrote the entry: skip tools that only carry out the change (sc, reg,
 * systemctl...); the system's own writers (services.exe for every service) write on someone
 * else's behalf. A shell that is no agent's (an operator's console) wrote it for the program it
 * names, unless it is a package script's shell, which writes on the installer's behalf.
 */
function writersOf(actor: Proc | undefined): { writer?: Proc; shellWriter?: Proc } {
  let writer = actor;
  for (let i = 0; i < MAX_WRITER_HOPS && writer && isTool(writer.image) && !writer.agent; i++)
    writer = writer.parent;
  if (writer && !writer.agent && (isTool(writer.image) || isSystemWriter(writer.image))) writer = undefined;
  let shellWriter = writer && !writer.agent && isGeneric(writer.image) ? writer : undefined;
  if (shellWriter) writer = undefined;
  if (
    shellWriter?.parent &&
    (isInstaller(shellWriter.parent.image) || isSystemWriter(shellWriter.parent.image))
  )
    shellWriter = undefined;
  return { writer, shellWriter };
}

/** The agent of the program the entry runs, and how it was tied. */
function commandTarget(
  ctx: EngineContext,
  h: HostState,
  fact: PersistenceFact,
  writer: Proc | undefined,
  time: number,
): { target?: Agent; link: string } {
  if (!fact.command) return { link: '' };
  const img = commandImage(fact.command);
  const key = pathKey(img);
  if (isGeneric(key)) {
    const target = writer ? actingAgent(ctx, h, writer, time) : entryAgent(ctx, h, fact, key, time);
    const args = normalArgs(fact.command);
    h.pendingPersistence.push({ key, args, agent: target, time });
    if (h.pendingPersistence.length > MAX_PENDING_ENTRIES) h.pendingPersistence.shift();
    if (SHELL_COMMAND_ARGS.test(` ${args} `)) {
      target.flags.set(
        'service_shell',
        `${mechanismText(fact.mechanism)} "${fact.name}" runs a shell command line`,
      );
    }
    return { target, link: 'the entry registers this command line' };
  }
  if (!img) return { link: '' };
  const existing = h.byPath.get(key);
  const target = existing ? live(existing) : pathAgent(ctx, h, img, key, time);
  return { target, link: `the entry runs ${img}` };
}

/** The entry's owner: the writer's agent (merged with the program's), or whoever is left. */
function ownerOf(
  ctx: EngineContext,
  h: HostState,
  fact: PersistenceFact,
  target: { target?: Agent; link: string },
  writers: { writer?: Proc; shellWriter?: Proc },
  time: number,
): { owner: Agent; link: string } {
  let owner = target.target;
  let link = target.link;
  const { writer, shellWriter } = writers;
  if (writer) {
    const w = actingAgent(ctx, h, writer, time);
    if (owner && owner !== w) {
      owner = merge(
        w,
        owner,
        `${fileName(writer.image)} wrote the ${mechanismText(fact.mechanism)} entry "${fact.name}"`,
      );
    } else if (!owner) {
      owner = w;
      link = 'written by the agent process';
    }
  } else if (shellWriter && !owner) {
    owner = actingAgent(ctx, h, shellWriter, time);
    link = 'written by this shell process';
  }
  return { owner: owner ?? entryAgent(ctx, h, fact, undefined, time), link };
}

/** One entry reported by several records (7045, 4697, Sysmon 13; schtasks and 4698) is one S2. */
function sameEntry(h: HostState, fact: PersistenceFact, owner: Agent): Agent {
  const key = `${fact.mechanism}:${fact.name.toLowerCase().replace(/^\\/, '')}`;
  const earlier = h.entries.get(key);
  if (earlier && live(earlier) !== owner && h.agents.has(live(earlier).key)) {
    owner = merge(
      live(earlier),
      owner,
      `both report the ${mechanismText(fact.mechanism)} entry "${fact.name}"`,
    );
  }
  h.entries.set(key, owner);
  if (h.entries.size > MAX_ENTRIES) h.entries.delete(h.entries.keys().next().value!);
  return owner;
}

/** What the entry tells about its owner: its name, the tool it names, hidden or lookalike labels. */
function learnEntry(ctx: EngineContext, owner: Agent, fact: PersistenceFact): void {
  owner.entryNames.add(fact.name);
  if (!owner.tool) {
    const m = ctx.catalog.matchEntry(fact.name);
    if (m) owner.tool = m;
  }
  for (const n of fact.notes ?? []) {
    if (n.startsWith('hidden')) owner.flags.set('hidden_plist', n);
    else if (n.startsWith('Apple')) owner.flags.set('apple_lookalike', n);
  }
}

/** Records S2 for the agent that owns the entry `fact` describes; `actor` is who made it. */
export function recordPersistence(
  ctx: EngineContext,
  h: HostState,
  fact: PersistenceFact,
  actor: Proc | undefined,
  time: number,
  src: SourceRef,
  facts: Pick<EvidenceFacts, 'file' | 'registry'>,
): void {
  const ev = entryEvidence(fact, actor, time, src, facts);
  const writers = writersOf(actor);
  const target = commandTarget(ctx, h, fact, writers.writer, time);
  const { owner: first, link } = ownerOf(ctx, h, fact, target, writers, time);
  const owner = sameEntry(h, fact, first);
  learnEntry(ctx, owner, fact);
  addStep(ctx, owner, 'persistence', ev, link || undefined);
}

function pathAgent(ctx: EngineContext, h: HostState, image: string, key: string, time: number): Agent {
  const p: Proc = { id: h.nextProcId++, image, key, children: [], lastSeen: time };
  return newAgentFor(ctx, h, p, time);
}

/** An agent known so far only by a persistence entry nobody we know wrote. */
function entryAgent(
  ctx: EngineContext,
  h: HostState,
  fact: PersistenceFact,
  imageKey: string | undefined,
  time: number,
): Agent {
  const guid = `entry:${fact.mechanism}:${fact.name.toLowerCase().replace(/^\\/, '')}`;
  const known = h.procsByGuid.get(guid);
  if (known?.agent) return live(known.agent);
  const p: Proc = {
    id: h.nextProcId++,
    guid,
    image: imageKey ?? fact.name,
    key: imageKey ?? guid,
    children: [],
    lastSeen: time,
  };
  h.procsByGuid.set(guid, p);
  return newAgentFor(ctx, h, p, time);
}

/**
 * A persistence entry registered a generic program (a shell command line): the start that runs
 * that command line is the entry's agent. Returns true when `p` was bound so.
 */
export function bindRegisteredCommand(ctx: EngineContext, h: HostState, p: Proc): boolean {
  if (!h.pendingPersistence.length || !isGeneric(p.image)) return false;
  const args = p.commandLine ? normalArgs(p.commandLine) : '';
  const hit = h.pendingPersistence.find(
    (x) => x.key === p.key && x.args && args.includes(x.args.slice(0, PENDING_ARGS_PREFIX)),
  );
  if (!hit) return false;
  const a = live(hit.agent);
  attach(a, p, ctx.catalog);
  addExecution(ctx, a, p, 'started with the command line the persistence entry registered');
  return true;
}

/** A process start whose command line makes persistence (schtasks /create, systemctl enable...). */
export function commandMadePersistence(
  ctx: EngineContext,
  h: HostState,
  p: Proc,
  ev: ProcessStartEvent,
): void {
  const fact = commandPersistence(p.image, p.commandLine);
  if (fact) recordPersistence(ctx, h, fact, p, ev.time, ev.src, {});
}

/** A persistence entry a sensor reports as such (7045, 4698, BTM, a unit started). */
export function onPersistence(ctx: EngineContext, h: HostState, ev: PersistenceEvent): void {
  const actor = procFor(h, ev.actor, ev.time);
  recordPersistence(
    ctx,
    h,
    { mechanism: ev.mechanism, name: ev.name, command: ev.command },
    actor,
    ev.time,
    ev.src,
    {},
  );
}

export function onRegistry(ctx: EngineContext, h: HostState, ev: RegistryEvent): void {
  if (ev.op !== 'set') return;
  const fact = registryPersistence(ev.key, ev.data);
  if (!fact) return;
  const registry = ev.data !== undefined ? { key: ev.key, data: capCommand(ev.data) } : { key: ev.key };
  recordPersistence(ctx, h, fact, procFor(h, ev.proc, ev.time), ev.time, ev.src, { registry });
}

/** A file created or renamed: returns true when it is a persistence entry (and recorded it). */
export function filePersistenceAt(
  ctx: EngineContext,
  h: HostState,
  path: string,
  writer: Proc | undefined,
  ev: FileEvent,
): boolean {
  const fact = filePersistence(path);
  if (!fact) return false;
  recordPersistence(ctx, h, fact, writer, ev.time, ev.src, { file: { path, op: ev.op } });
  return true;
}
