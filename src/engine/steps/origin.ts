// The agent's origin: the stager, installer, script host, browser or document that downloaded,
// wrote or started it. An origin is shown as such (Finding.agent.origin) and is never one of the
// agent's images or what the catalogue names: PowerShell that fetched AnyDesk is how AnyDesk got
// there, not AnyDesk. A script host or interpreter that downloaded or started it, or an origin
// whose own command line is suspicious, is a stager: that raises the chain's severity.
import type { SourceRef } from '../../model/event.ts';
import type { AgentOrigin } from '../../model/finding.ts';
import { fileName, pathKey } from '../../model/paths.ts';
import type { EngineContext } from '../context.ts';
import { capCommand, short } from '../evidence.ts';
import { live, MAX_ORIGINS, sameOrigin } from '../identity.ts';
import type { Agent, HostState, Proc } from '../state.ts';
import { suspiciousCommand } from './control.ts';

/** Executables remembered per host with the program that dropped them. */
const MAX_DROPPED = 4096;
/** Parents followed up from the agent (or its writer): stager → script host → document is three. */
const MAX_ORIGIN_HOPS = 4;
/** How strongly an origin acted for the agent: one origin entry keeps its strongest deed. */
const HOW_RANK: Record<AgentOrigin['how'], number> = { started: 0, wrote: 1, downloaded: 2 };

/** A program that never links identity (a shell, a browser, an installer) wrote an executable. */
export function rememberDrop(h: HostState, writer: Proc, path: string, time: number, src: SourceRef): void {
  h.droppedBy.set(pathKey(path), { writer, time, src });
  if (h.droppedBy.size > MAX_DROPPED) h.droppedBy.delete(h.droppedBy.keys().next().value!);
}

function originOf(p: Proc, how: AgentOrigin['how'], time?: number, src?: SourceRef): AgentOrigin {
  const o: AgentOrigin = { image: p.image, how };
  if (p.pid !== undefined) o.pid = p.pid;
  const cmd = capCommand(p.commandLine);
  if (cmd !== undefined) o.commandLine = cmd;
  const t = time ?? p.start;
  if (t !== undefined) o.time = t;
  const s = src ?? p.startSrc;
  if (s !== undefined) o.src = s;
  return o;
}

function addOrigin(a: Agent, o: AgentOrigin): void {
  const same = a.origin.find((x) => x.image === o.image && x.pid === o.pid);
  if (same) {
    if (HOW_RANK[o.how] > HOW_RANK[same.how]) same.how = o.how;
    return;
  }
  if (a.origin.length < MAX_ORIGINS && !sameOrigin(a, o)) a.origin.push(o);
}

/** The programs that started `p`, up to the user's shell or the system's launchers. */
function starters(ctx: EngineContext, a: Agent, p: Proc): void {
  const roles = ctx.rules.roles;
  let q = p.parent;
  for (let i = 0; q && i < MAX_ORIGIN_HOPS && !roles.isOriginRoot(q.image); i++, q = q.parent) {
    if (q.agent && live(q.agent) === a && q.agentImage) return; // the agent restarting itself
    if (!roles.isOriginRole(q.image)) return; // another program: its own story, not this agent's origin
    addOrigin(a, originOf(q, 'started'));
  }
}

/** Records who wrote and who started the agent's process `p`, and flags a stager among them. */
export function traceOrigin(ctx: EngineContext, h: HostState, a: Agent, p: Proc): void {
  if (a.origin.length >= MAX_ORIGINS) return;
  starters(ctx, a, p);
  const drop = h.droppedBy.get(p.key);
  if (drop && !(drop.writer.agent && live(drop.writer.agent) === a && drop.writer.agentImage)) {
    const how = ctx.rules.identity.fetch.test(drop.writer.commandLine ?? '') ? 'downloaded' : 'wrote';
    addOrigin(a, originOf(drop.writer, how, drop.time, drop.src));
    starters(ctx, a, drop.writer);
  }
  flagStager(ctx, a);
}

/** A shell that registered the agent's persistence entry for it: one of its origins. */
export function noteEntryWriter(ctx: EngineContext, a: Agent, writer: Proc, time: number): void {
  addOrigin(a, originOf(writer, 'wrote', time));
  starters(ctx, a, writer);
  flagStager(ctx, a);
}

/**
 * A stager among the origins: one whose command line is suspicious, an interpreter or script host
 * that wrote or fetched the agent, or a script host or document (a macro, an attachment) that
 * started it. A console someone typed a command in is not one.
 */
function isStager(ctx: EngineContext, o: AgentOrigin): boolean {
  const roles = ctx.rules.roles;
  if (suspiciousCommand(ctx.rules.control, o.commandLine)) return true;
  if (o.how !== 'started') return roles.isStagerHost(o.image);
  return roles.isScriptHost(o.image) || roles.isDocumentHost(o.image);
}

function flagStager(ctx: EngineContext, a: Agent): void {
  if (a.flags.has('stager_origin')) return;
  for (const o of a.origin) {
    if (!isStager(ctx, o)) continue;
    const deed = o.how === 'started' ? 'started it' : `${o.how} it`;
    a.flags.set(
      'stager_origin',
      `installed by a stager: ${fileName(o.image)} ${deed}${o.commandLine ? ` (${short(o.commandLine, 120)})` : ''}`,
    );
    return;
  }
}
