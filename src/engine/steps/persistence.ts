// S2: what counts as making a program start again, on each platform, and whose it is. Readers
// report facts (a registry value set, a file created, a command run, a service installed); this
// module says which facts are persistence, what program they will start, and which agent the
// entry belongs to: the program it runs, or the agent that wrote it, or both, merged.

import { anyMatches } from '../../config/pattern.ts';
import type {
  FileEvent,
  PersistenceEvent,
  PersistenceMechanism,
  ProcessStartEvent,
  RegistryEvent,
  SourceRef,
} from '../../model/event.ts';
import { commandArgs, commandImage, fileName, pathKey } from '../../model/paths.ts';
import type { CommandRule, CompiledField, ProgramRoles } from '../../rules/compile.ts';
import type { FlagCode } from '../../rules/schema.ts';
import { addStep, newAgentFor } from '../chain.ts';
import type { EngineContext, EngineRules } from '../context.ts';
import { capCommand, type EvidenceFacts, evidence, processFact, short } from '../evidence.ts';
import { attach, live, merge, rememberCommand } from '../identity.ts';
import { addProc, newProc, procFor } from '../lineage.ts';
import type { Agent, HostState, Proc } from '../state.ts';
import { suspiciousCommand } from './control.ts';
import { actingAgent, addExecution } from './execution.ts';
import { claimFlowsFor } from './flow-attribution.ts';
import { noteEntryWriter } from './origin.ts';
import { knownUnitProgram, sessionProgram } from './unit-ties.ts';

export interface PersistenceFact {
  mechanism: PersistenceMechanism;
  name: string;
  /** The command that will run, when the fact names it. */
  command?: string;
  /** Where the entry lives (registry key, file path), when the fact names it. */
  location?: string;
  /** Flags the entry earns its owner (a hidden or Apple-lookalike launchd label), with their text. */
  flags?: Array<[FlagCode, string]>;
}

/** "$2" → the second capture group of `m`. */
function fill(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(\d)/g, (_, d: string) => m[Number(d)] ?? '');
}

/** A field of a command line: the first capture group that matched, trimmed and rewritten. */
function extract(f: CompiledField, commandLine: string, match: RegExpExecArray): string | undefined {
  const m = f.re ? f.re.exec(commandLine) : match;
  let v: string | undefined;
  if (m) for (const g of f.groups) if (m[g] !== undefined && v === undefined) v = m[g];
  v ??= f.default;
  if (v === undefined) return undefined;
  if (f.unescapeQuotes) v = v.replaceAll('\\"', '"');
  if (f.trim) v = v.trim();
  for (const r of f.replace) v = r.re.replaceFirst(v, r.with);
  return v;
}

/** A registry value that makes persistence (service ImagePath, Run keys, Winlogon), per the rules. */
export function registryPersistence(
  rules: EngineRules,
  key: string,
  data: string | undefined,
): PersistenceFact | undefined {
  for (const r of rules.persistence.registry) {
    // test first: the rules' patterns remember their answers per key (engineRules), exec does not.
    const m = r.re.test(key) ? r.re.exec(key) : null;
    if (m) return { mechanism: r.mechanism, name: fill(r.name, m), command: data, location: key };
  }
  return undefined;
}

/** A file that makes persistence (a unit, a cron table, a plist, a Startup entry), per the rules. */
export function filePersistence(rules: EngineRules, path: string): PersistenceFact | undefined {
  for (const r of rules.persistence.files) {
    const m = r.re.test(path) ? r.re.exec(path) : null;
    if (!m) continue;
    const name = fill(r.name, m);
    const flags: Array<[FlagCode, string]> = [];
    for (const l of rules.persistence.labels) {
      if (l.mechanism !== r.mechanism || !l.re.test(name) || l.unlessLocation?.test(path)) continue;
      flags.push([l.flag, l.text.replace('{name}', name)]);
    }
    return { mechanism: r.mechanism, name, location: path, ...(flags.length ? { flags } : {}) };
  }
  return undefined;
}

/** Persistence made by running a command (systemctl enable, launchctl load, schtasks, sc, reg add). */
const commandMatch = (r: CommandRule) => r.match;

export function commandPersistence(
  rules: EngineRules,
  image: string,
  commandLine: string | undefined,
): PersistenceFact | undefined {
  if (!commandLine || !anyMatches(rules.persistence.commands, commandMatch, commandLine)) return undefined;
  for (const r of rules.persistence.commands) {
    const m = r.match.exec(commandLine);
    if (!m || r.unless?.test(commandLine) || (r.image && !r.image.test(image))) continue;
    if (r.registry) {
      const key = extract(r.registry.key, commandLine, m) ?? '';
      const value = extract(r.registry.value, commandLine, m) ?? '';
      const fact = registryPersistence(rules, `${key}\\${value}`, extract(r.registry.data, commandLine, m));
      if (fact) return fact;
      continue;
    }
    const name = r.name && extract(r.name, commandLine, m);
    if (!r.mechanism || name === undefined) continue;
    const command = r.command && extract(r.command, commandLine, m);
    return command === undefined
      ? { mechanism: r.mechanism, name }
      : { mechanism: r.mechanism, name, command };
  }
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
 * systemctl...); the system's own writers (the service manager for every service) write on someone
 * else's behalf. A shell that is no agent's (an operator's console) wrote it for the program it
 * names, unless it is a package script's shell, which writes on the installer's behalf.
 */
function writersOf(roles: ProgramRoles, actor: Proc | undefined): { writer?: Proc; shellWriter?: Proc } {
  const { isTool, isSystemWriter, isGeneric, isInstaller } = roles;
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
  if (ctx.rules.roles.isGeneric(key)) {
    const target = writer ? actingAgent(ctx, h, writer, time) : entryAgent(ctx, h, fact, key, time);
    const args = normalArgs(fact.command);
    const entry = `${mechanismText(fact.mechanism)} "${fact.name}"`;
    const shellCommand = ctx.rules.persistence.shellCommandArgs.test(` ${args} `);
    const launcher = shellCommand || suspiciousCommand(ctx.rules.control, fact.command) !== undefined;
    h.pendingPersistence.push({ key, args, agent: target, time, entry, launcher });
    if (h.pendingPersistence.length > MAX_PENDING_ENTRIES) h.pendingPersistence.shift();
    if (shellCommand) target.flags.set('service_shell', `${entry} runs a shell command line`);
    if (writer) pointsAtWriter(target, writer, fact, entry, launcher);
    return { target, link: 'the entry registers this command line' };
  }
  if (!img) return { link: '' };
  const existing = h.byPath.get(key);
  const target = existing ? live(existing) : pathAgent(ctx, h, img, key, time);
  return { target, link: `the entry runs ${img}` };
}

/** The session a writer ran in: its own, or the nearest ancestor's that names one. */
function sessionOf(p: Proc | undefined): string | undefined {
  for (let i = 0; p && i <= MAX_WRITER_HOPS; i++, p = p.parent) if (p.session !== undefined) return p.session;
  return undefined;
}

/**
 * A unit entry names no program: when no agent wrote it, its program is the one journald already
 * placed in it, or the one the writer's login session installed (tee or cp under sudo, in the
 * session that put the agent's binary in place).
 */
function unitTarget(
  ctx: EngineContext,
  h: HostState,
  fact: PersistenceFact,
  actor: Proc | undefined,
  time: number,
): { target?: Agent; link: string } {
  if (fact.mechanism !== 'systemd') return { link: '' };
  const known = knownUnitProgram(h, fact.name);
  if (known) return { target: known.agent, link: known.how };
  const session = sessionOf(actor);
  const path = sessionProgram(h, session, time);
  if (!actor || !path) return { link: '' };
  let sudo = false;
  for (let p: Proc | undefined = actor, i = 0; p && i <= MAX_WRITER_HOPS; p = p.parent, i++)
    sudo ||= fileName(p.image) === 'sudo';
  const key = pathKey(path);
  const existing = h.byPath.get(key);
  return {
    target: existing ? live(existing) : pathAgent(ctx, h, path, key, time),
    link: `${fileName(actor.image)}${sudo ? ' under sudo' : ''} made it in login session ${session}, the session that installed ${path}`,
  };
}

/**
 * An interpreter wrote an entry that re-runs it: its own command line, or an interpreter told to
 * run a command line (hidden, encoded, a cradle). That entry points at the writer (G1 in
 * docs/severity.md: a generic interpreter's proof of being an agent).
 */
function pointsAtWriter(
  target: Agent,
  writer: Proc,
  fact: PersistenceFact,
  entry: string,
  launcher: boolean,
): void {
  const own =
    writer.commandLine !== undefined && normalArgs(writer.commandLine) === normalArgs(fact.command ?? '');
  if (own || launcher)
    target.pointedAt.set(writer.id, {
      why: `${entry} re-runs ${own ? 'its own command line' : short(fact.command)}`,
      launcher,
    });
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
  if (
    writer &&
    owner &&
    !owner.instance &&
    ctx.rules.roles.isGeneric(writer.image) &&
    (!writer.agent || live(writer.agent).instance)
  ) {
    // A stager's shell registered the agent's program: the entry is the agent's; the shell its origin.
    noteEntryWriter(ctx, owner, writer, time);
  } else if (writer) {
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
  } else if (shellWriter && !owner && fact.command) {
    owner = actingAgent(ctx, h, shellWriter, time);
    link = 'written by this shell process';
  }
  // An entry an operator's shell wrote that names no program (a unit file, a plist) stays the
  // entry's own until what it starts is known (steps/unit-ties.ts), never the shell's.
  return { owner: owner ?? entryAgent(ctx, h, fact, undefined, time), link };
}

/** One entry reported by several records (a service install, its registry value, its audit record) is one S2. */
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
  if (fact.command) rememberCommand(owner, fact.command);
  claimFlowsFor(ctx, owner.host, owner);
  if (!owner.tool) {
    const m = ctx.catalog.matchEntry(fact.name);
    if (m) owner.tool = m;
  }
  for (const [flag, text] of fact.flags ?? []) owner.flags.set(flag, text);
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
  const writers = writersOf(ctx.rules.roles, actor);
  const target =
    fact.command || writers.writer
      ? commandTarget(ctx, h, fact, writers.writer, time)
      : unitTarget(ctx, h, fact, actor, time);
  const { owner: first, link } = ownerOf(ctx, h, fact, target, writers, time);
  const owner = sameEntry(h, fact, first);
  learnEntry(ctx, owner, fact);
  addStep(ctx, owner, 'persistence', ev, link || undefined);
}

/**
 * The agent of a program an entry runs, known until now by nothing else. A process of that image
 * already running (started moments before the entry was written) is that agent: its start is S1.
 */
function pathAgent(ctx: EngineContext, h: HostState, image: string, key: string, time: number): Agent {
  const p = newProc(h.nextProcId++, image, key, time);
  const a = newAgentFor(ctx, h, p, time);
  for (const q of h.recentStarts)
    if (q.key === key && q.end === undefined && !q.agent) {
      attach(ctx, a, q);
      addExecution(ctx, a, q, `running the program the entry registers (${fileName(image)})`);
    }
  return live(a);
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
  const p = newProc(h.nextProcId++, imageKey ?? fact.name, imageKey ?? guid, time);
  p.guid = guid;
  addProc(h, p);
  return newAgentFor(ctx, h, p, time);
}

/**
 * A persistence entry registered a generic program (a shell command line): the start that runs
 * that command line is the entry's agent. Returns true when `p` was bound so.
 */
export function bindRegisteredCommand(ctx: EngineContext, h: HostState, p: Proc): boolean {
  if (!h.pendingPersistence.length || !ctx.rules.roles.isGeneric(p.image)) return false;
  const args = p.commandLine ? normalArgs(p.commandLine) : '';
  const hit = h.pendingPersistence.find(
    (x) => x.key === p.key && x.args && args.includes(x.args.slice(0, PENDING_ARGS_PREFIX)),
  );
  if (!hit) return false;
  const a = live(hit.agent);
  attach(ctx, a, p);
  a.pointedAt.set(p.id, {
    why: `${hit.entry} started it with the command line it registered`,
    launcher: hit.launcher,
  });
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
  const fact = commandPersistence(ctx.rules, p.image, p.commandLine);
  if (fact) recordPersistence(ctx, h, fact, p, ev.time, ev.src, {});
}

/** A persistence entry a sensor reports as such (a service installed, a task registered, a unit started). */
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
  const fact = registryPersistence(ctx.rules, ev.key, ev.data);
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
  const fact = filePersistence(ctx.rules, path);
  if (!fact) return false;
  recordPersistence(ctx, h, fact, writer, ev.time, ev.src, { file: { path, op: ev.op } });
  return true;
}
