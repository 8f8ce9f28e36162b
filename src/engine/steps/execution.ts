// S1: the agent runs. Which agent a started (or merely seen) process belongs to: an image the
// host already knows as an agent's (same path, hash, product metadata, writer, catalogue entry),
// a child inside an agent's process tree, a catalogued remote-access tool, or the parent of a
// control child. Also the flags that depend on the agent's own image and user.
import type { FileEvent, ProcessStartEvent, SourceRef } from '../../model/event.ts';
import { fileName, pathKey } from '../../model/paths.ts';
import { addStep, newAgentFor } from '../chain.ts';
import type { EngineContext } from '../context.ts';
import { evidence, processFact, short } from '../evidence.ts';
import { attach, knownAgentFor, live, toolOf } from '../identity.ts';
import type { Agent, HostState, Proc } from '../state.ts';
import { creditChildren, isControlChild, recordControl, suspiciousCommand } from './control.ts';
import { adoptFlows, claimFlowsFor } from './flow-attribution.ts';
import { rememberDrop, traceOrigin } from './origin.ts';

/** Executables remembered per host with their writer, to tie an image to who dropped it. */
const MAX_WRITTEN = 4096;
/** `cp` run by `sudo` run by a shell: hops up through copying tools to the real writer. */
const MAX_COPY_HOPS = 3;

/** Flags that depend on the agent's own image and user. */
export function imageFlags(ctx: EngineContext, a: Agent, p: Proc): void {
  const img = p.image.toLowerCase();
  if (!a.flags.has('temp_path') && ctx.rules.installPath.test(img)) {
    a.flags.set('temp_path', `runs from a user-writable or temporary path: ${p.image}`);
  }
  const ofn = p.meta?.originalFileName;
  if (ofn && ofn !== '-' && !a.flags.has('renamed')) {
    const suffix = ctx.rules.identity.imageSuffix;
    const strip = (s: string) => suffix.replaceFirst(s.toLowerCase(), '');
    if (strip(ofn) !== strip(fileName(p.image)))
      a.flags.set('renamed', `image ${fileName(p.image)} was renamed from ${ofn}`);
  }
  if (
    !a.flags.has('standard_user') &&
    p.integrity &&
    ctx.rules.identity.standardIntegrity.test(p.integrity) &&
    p.user
  ) {
    const { supportHosts, adminUsers } = ctx.rules;
    const support = supportHosts.some((r) => r.test(a.host.name) || r.test(a.host.displayName));
    const admin = adminUsers.some((r) => r.test(p.user!));
    if (!support && !admin)
      a.flags.set('standard_user', `runs as standard user ${p.user} on a host that is not a support host`);
  }
}

/** A generic interpreter whose own command line is a hidden, encoded or download launcher. */
function commandFlags(ctx: EngineContext, a: Agent, p: Proc): void {
  if (!a.instance || a.flags.has('suspicious_command') || !ctx.rules.roles.isGeneric(p.image)) return;
  if (suspiciousCommand(ctx.rules.control, p.commandLine))
    a.flags.set('suspicious_command', `its own command line is a launcher: ${short(p.commandLine, 120)}`);
}

/**
 * Records the process's start as S1 of `a` (when the start was seen), with its image flags, who
 * downloaded, wrote or started it, and the network-only flows that evidence now ties to it.
 */
export function addExecution(ctx: EngineContext, a: Agent, p: Proc, link: string): void {
  imageFlags(ctx, a, p);
  commandFlags(ctx, a, p);
  if (p.agentImage) traceOrigin(ctx, a.host, a, p);
  claimFlowsFor(ctx, a.host, a);
  if (!p.startSrc || p.start === undefined) return;
  const cmd = p.commandLine ? ` ${short(p.commandLine)}` : '';
  const parent = p.parent ? ` (parent ${fileName(p.parent.image)})` : '';
  const summary = `${p.image} started${parent}${p.user ? ` as ${p.user}` : ''}:${cmd}`;
  addStep(ctx, a, 'execution', evidence(p.start, summary, p.startSrc, { process: processFact(p) }), link);
}

/** Agent for a process that just did something step-worthy; records its start as S1. */
export function actingAgent(ctx: EngineContext, h: HostState, p: Proc, time: number): Agent {
  if (p.agent) return live(p.agent);
  const a = newAgentFor(ctx, h, p, time);
  addExecution(ctx, a, p, 'the process that made the other steps');
  creditChildren(ctx, a, p);
  adoptFlows(ctx, h, a, p);
  return live(a);
}

/**
 * A process seen acting (writing a file, connecting) whose start was not in the logs: if the
 * catalogue knows its image, the remote-access tool is running, which is S1.
 */
export function observe(
  ctx: EngineContext,
  h: HostState,
  p: Proc | undefined,
  time: number,
  src: SourceRef,
): void {
  if (!p || p.agent || p.startSrc || ctx.rules.roles.isGeneric(p.image)) return;
  if (toolOf(p, ctx.catalog) === undefined) return;
  const a = newAgentFor(ctx, h, p, time);
  imageFlags(ctx, a, p);
  addStep(
    ctx,
    a,
    'execution',
    evidence(time, `${p.image} seen running (its start is not in the logs)`, src, {
      process: processFact(p),
    }),
    `catalogue entry ${a.tool?.tool.name ?? ''}`.trim(),
  );
}

/** A fork keeps its parent's image and tree: lineage only, no step. */
export function inheritFork(p: Proc): void {
  if (p.parent?.agent) {
    p.agent = live(p.parent.agent);
    p.agentImage = p.parent.agentImage;
  }
}

/**
 * Attributes a fresh process start. Returns true when the image is a known agent's (nothing
 * else about this start needs looking at), false when other steps may still read it.
 */
export function attributeStart(ctx: EngineContext, h: HostState, p: Proc, ev: ProcessStartEvent): boolean {
  const known = knownAgentFor(ctx, h, p);
  if (known) {
    const a = known.agent;
    if (!a.keys.has(p.key) && !a.links.includes(known.link)) a.links.push(known.link);
    attach(ctx, a, p);
    addExecution(ctx, a, p, known.link);
    return true;
  }
  const parent = p.parent;
  const { control, roles } = ctx.rules;
  if (parent?.agent && !startsOwnProgram(ctx, parent.agent, p)) {
    const a = live(parent.agent);
    p.agent = a;
    if (isControlChild(control, parent.image, p.image)) recordControl(ctx, a, parent, p, ev);
    adoptFlows(ctx, h, a, p);
  } else if (!roles.isGeneric(p.image) && toolOf(p, ctx.catalog) !== undefined) {
    const a = newAgentFor(ctx, h, p, ev.time);
    addExecution(ctx, a, p, `catalogue entry ${a.tool?.tool.name ?? ''}`.trim());
  } else if (
    parent &&
    !roles.spawnsShellsByDesign(parent.image) &&
    isControlChild(control, parent.image, p.image)
  ) {
    // The new agent's earlier children are credited, this one included.
    p.agent = actingAgent(ctx, h, parent, ev.time);
  }
  return false;
}

/**
 * A generic interpreter's tree does not absorb the programs it starts: a program that is neither
 * a shell nor a control child (AnyDesk started by a PowerShell stager) is its own agent, and the
 * interpreter its origin.
 */
function startsOwnProgram(ctx: EngineContext, parentAgent: Agent, p: Proc): boolean {
  const a = live(parentAgent);
  const { roles, control } = ctx.rules;
  return a.instance && !roles.isGeneric(p.image) && !isControlChild(control, p.parent?.image ?? '', p.image);
}

/**
 * A program writing an executable: that image, when it runs, is the writer's agent (once the
 * writer is one). Browsers and the like download for the user and link nothing; `cp`,
 * `install` and the like copy for whoever ran them.
 */
export function rememberWriter(
  ctx: EngineContext,
  h: HostState,
  writer: Proc | undefined,
  path: string,
  ev: FileEvent,
): void {
  const roles = ctx.rules.roles;
  let w = writer;
  for (let i = 0; i < MAX_COPY_HOPS && w && roles.isTool(w.image); i++) w = w.parent;
  if (!w || !ctx.rules.paths.dropped.test(path)) return;
  // Shells, browsers and the like drop programs for someone else: they are its origin, not its identity.
  if (roles.isGeneric(w.image) || roles.isDownloader(w.image)) {
    rememberDrop(h, w, path, ev.time, ev.src);
    return;
  }
  h.writtenBy.set(pathKey(path), { writer: w, time: ev.time, src: ev.src });
  if (h.writtenBy.size > MAX_WRITTEN) h.writtenBy.delete(h.writtenBy.keys().next().value!);
}
