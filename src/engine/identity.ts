// Agent identity: which processes, images and entries are one remote-access agent on a host.
// A portable copy in Downloads and the installed copy in Program Files are one agent when they
// share a hash, the same product metadata or catalogue entry, or when one wrote the other.
import type { Catalog, CatalogMatch } from '../catalog/types.ts';
import type { StepId } from '../model/finding.ts';
import { fileName } from '../model/paths.ts';
import type { EngineContext } from './context.ts';
import { LazyMap, LazySet } from './lazy-map.ts';
import type { Agent, AgentQueue, AgentSlot, HostState, Proc, StepLog } from './state.ts';

/** Descendants attached to a new agent at most: bounds the walk over a huge process tree. */
const MAX_ATTACHED = 256;

const emptyLog = (): StepLog => ({ evidence: [], count: 0, times: [] });

export function live(a: Agent): Agent {
  let x = a;
  while (x.mergedInto) x = x.mergedInto;
  return x;
}

/** Metadata key for linking: product + original file name, when the binary is not Windows itself. */
export function metaKey(ctx: EngineContext, p: Proc): string | undefined {
  const ofn = p.meta?.originalFileName?.toLowerCase();
  const product = p.meta?.product?.toLowerCase();
  if (!ofn || ofn === '-' || !product || product === '-') return undefined;
  // The operating system's own binaries share one product: it links nothing.
  if (ctx.rules.identity.osProduct.test(product)) return undefined;
  return `${product}|${ofn}`;
}

function hashKeys(p: Proc): string[] {
  const h = p.hashes;
  if (!h) return [];
  const out: string[] = [];
  if (h.sha256) out.push(`sha256:${h.sha256}`);
  if (h.sha1) out.push(`sha1:${h.sha1}`);
  if (h.md5) out.push(`md5:${h.md5}`);
  return out;
}

function newAgent(host: HostState, key: string, instance: boolean, time: number): Agent {
  return {
    key,
    host,
    images: new Set(),
    keys: new Set(),
    hashes: new LazySet(),
    meta: {},
    links: [],
    steps: { execution: emptyLog(), persistence: emptyLog(), egress: emptyLog(), control: emptyLog() },
    egress: new Map(),
    flags: new LazyMap(),
    entryNames: new LazySet(),
    users: new LazySet(),
    instance,
    commandLines: [],
    starts: [],
    origin: [],
    pointedAt: new Map(),
    firstTime: time,
    lastTime: time,
    revision: 0,
  };
}

/** What the catalogue names this process's binary (computed once per process). */
export function toolOf(p: Proc, catalog: Catalog): CatalogMatch | undefined {
  if (p.match === undefined) {
    const m = p.meta;
    p.match =
      catalog.matchImage({
        image: p.image,
        originalFileName: m?.originalFileName,
        product: m?.product,
        company: m?.company,
        signer: m?.signer,
        signingId: m?.signingId,
      }) ?? null;
  }
  return p.match ?? undefined;
}

/** Records what a process tells about its agent's identity (images, hashes, metadata, tool). */
export function learn(ctx: EngineContext, a: Agent, p: Proc): void {
  a.images.add(p.image);
  a.keys.add(p.key);
  const host = a.host;
  if (!a.instance) host.byPath.set(p.key, a);
  for (const h of hashKeys(p)) {
    a.hashes.add(h);
    if (!a.instance) host.byHash.set(h, a);
  }
  const mk = metaKey(ctx, p);
  if (mk && !a.instance) host.byMeta.set(mk, a);
  if (p.meta) {
    a.meta.originalFileName ??= p.meta.originalFileName;
    a.meta.product ??= p.meta.product;
    a.meta.company ??= p.meta.company;
    a.meta.signer ??= p.meta.signer;
    a.meta.signed ??= p.meta.signed;
    a.meta.signingId ??= p.meta.signingId;
    a.meta.teamId ??= p.meta.teamId;
  }
  if (p.user) a.users.add(p.user);
  if (p.integrity) a.integrity ??= p.integrity;
  if (p.commandLine) rememberCommand(a, p.commandLine);
  if (p.start !== undefined) rememberStart(a, p.start);
  if (a.tool && !a.instance && !host.byTool.has(a.tool.tool.id)) host.byTool.set(a.tool.tool.id, a);
  if (!a.tool) {
    const m = toolOf(p, ctx.catalog);
    // A generic program matched only by its file name names nothing.
    if (m && !(ctx.rules.roles.isGeneric(p.image) && m.by === 'executable')) {
      a.tool = m;
      if (!a.instance && !host.byTool.has(m.tool.id)) host.byTool.set(m.tool.id, a);
    }
  }
}

/** Command lines and start times kept per agent: its own processes, not every child's. */
const MAX_COMMAND_LINES = 16;
const MAX_STARTS = 16;
/** Origins kept per agent: stager, its script host, the document or download before it. */
export const MAX_ORIGINS = 6;
/** Characters of a command line kept for matching destinations (an IP or a name is near the start). */
const COMMAND_CHARS = 2048;

export function rememberCommand(a: Agent, c: string): void {
  const s = c.slice(0, COMMAND_CHARS).toLowerCase();
  if (a.commandLines.length < MAX_COMMAND_LINES && !a.commandLines.includes(s)) a.commandLines.push(s);
}

function rememberStart(a: Agent, t: number): void {
  if (a.starts.length < MAX_STARTS && !a.starts.includes(t)) a.starts.push(t);
}

export function sameOrigin(a: Agent, o: { image: string; pid?: number }): boolean {
  return a.origin.some((x) => x.image === o.image && x.pid === o.pid);
}

/** Existing agent this process's image already belongs to, and why. */
export function knownAgentFor(
  ctx: EngineContext,
  host: HostState,
  p: Proc,
): { agent: Agent; link: string } | undefined {
  if (ctx.rules.roles.isGeneric(p.image)) return undefined;
  const byPath = host.byPath.get(p.key);
  if (byPath) return { agent: live(byPath), link: `same image path ${p.image}` };
  for (const h of hashKeys(p)) {
    const a = host.byHash.get(h);
    if (a)
      return {
        agent: live(a),
        link: `same file hash (${h.slice(0, 6)}…${h.slice(-8)}) as ${[...live(a).images][0] ?? 'the agent'}`,
      };
  }
  const mk = metaKey(ctx, p);
  if (mk) {
    const a = host.byMeta.get(mk);
    if (a)
      return {
        agent: live(a),
        link: `same product and OriginalFileName (${p.meta?.product} / ${p.meta?.originalFileName})`,
      };
  }
  const w = host.writtenBy.get(p.key)?.writer.agent;
  if (w) return { agent: live(w), link: `image ${fileName(p.image)} was written by the agent's process` };
  if (host.byTool.size) {
    const m = toolOf(p, ctx.catalog);
    const a = m ? host.byTool.get(m.tool.id) : undefined;
    if (m && a) {
      return {
        agent: live(a),
        link: `same catalogue entry (${m.tool.name}) as ${[...live(a).images][0] ?? 'the agent'}`,
      };
    }
  }
  return undefined;
}

/** The agent of a process, creating one when `create` (instance-keyed for generic programs). */
export function agentOf(
  ctx: EngineContext,
  host: HostState,
  p: Proc,
  time: number,
  onEvict: (a: Agent) => void,
): Agent {
  if (p.agent) {
    const a = live(p.agent);
    p.agent = a;
    return a;
  }
  const known = knownAgentFor(ctx, host, p);
  let a: Agent;
  if (known) {
    a = known.agent;
    if (!a.keys.has(p.key) && !a.links.includes(known.link)) a.links.push(known.link);
  } else {
    const instance = ctx.rules.roles.isGeneric(p.image);
    const key = instance
      ? `proc:${p.guid ?? `${p.pid}@${p.start ?? time}`}:${fileName(p.image)}`
      : `image:${p.key}`;
    a = newAgent(host, key, instance, time);
    if (host.agents.size >= ctx.cfg.Limits.AgentsPerHost) evictOldest(host, onEvict);
    host.agents.set(key, a);
    const q = host.agentQueue;
    // Rebuilt when dead entries pile up, so a host that left its limit holds no dropped agents.
    if (q && q.heap.length > 2 * host.agents.size + QUEUE_SLACK) host.agentQueue = queueOf(host);
    else if (q) push(q.heap, { t: a.lastTime, seq: q.next++, a });
  }
  attach(ctx, a, p);
  return a;
}

/** Makes `p` (and its known descendants) part of agent `a`'s process tree, running its image. */
export function attach(ctx: EngineContext, a: Agent, p: Proc): void {
  p.agent = a;
  p.agentImage = true;
  learn(ctx, a, p);
  const stack = [...p.children];
  let guard = 0;
  while (stack.length && guard++ < MAX_ATTACHED) {
    const c = stack.pop()!;
    if (c.agent && live(c.agent) !== a) continue;
    c.agent = a;
    stack.push(...c.children);
  }
}

/**
 * The least recently active agent, the first created among equals (what a scan of `agents` in
 * order would find), from a heap kept while the host is at its limit: a scan of 512 agents for
 * every new one was a twentieth of a hunt whose host stays at the limit. Entries are checked
 * when they come to the top: gone (dropped, merged) ones leave, ones whose agent was active
 * since go down again.
 */
function oldestAgent(host: HostState): Agent | undefined {
  let q = host.agentQueue;
  if (!q || q.heap.length > 2 * host.agents.size + QUEUE_SLACK) q = host.agentQueue = queueOf(host);
  const heap = q.heap;
  while (heap.length) {
    const top = heap[0];
    if (host.agents.get(top.a.key) !== top.a) pop(heap);
    else if (top.a.lastTime !== top.t) {
      top.t = top.a.lastTime;
      down(heap, 0);
    } else return top.a;
  }
  return undefined;
}

/** Dead entries a queue may hold beyond twice the live agents before it is rebuilt. */
const QUEUE_SLACK = 64;

function queueOf(host: HostState): AgentQueue {
  const heap: AgentSlot[] = [];
  let next = 0;
  for (const a of host.agents.values()) heap.push({ t: a.lastTime, seq: next++, a });
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(heap, i);
  return { heap, next };
}

const before = (x: AgentSlot, y: AgentSlot) => x.t < y.t || (x.t === y.t && x.seq < y.seq);

function down(heap: AgentSlot[], i: number): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && before(heap[l], heap[m])) m = l;
    if (r < heap.length && before(heap[r], heap[m])) m = r;
    if (m === i) return;
    const t = heap[i];
    heap[i] = heap[m];
    heap[m] = t;
    i = m;
  }
}

function push(heap: AgentSlot[], s: AgentSlot): void {
  heap.push(s);
  for (let i = heap.length - 1; i > 0; ) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i], heap[parent])) return;
    const t = heap[i];
    heap[i] = heap[parent];
    heap[parent] = t;
    i = parent;
  }
}

function pop(heap: AgentSlot[]): void {
  const last = heap.pop()!;
  if (heap.length) {
    heap[0] = last;
    down(heap, 0);
  }
}

function evictOldest(host: HostState, onEvict: (a: Agent) => void): void {
  const oldest = oldestAgent(host);
  if (oldest) {
    onEvict(oldest);
    dropAgent(host, oldest);
  }
}

export function dropAgent(host: HostState, a: Agent): void {
  host.agents.delete(a.key);
  for (const k of a.keys) if (host.byPath.get(k) === a) host.byPath.delete(k);
  for (const h of a.hashes) if (host.byHash.get(h) === a) host.byHash.delete(h);
  for (const [k, v] of host.byMeta) if (v === a) host.byMeta.delete(k);
  for (const [k, v] of host.byTool) if (v === a) host.byTool.delete(k);
  host.pendingPersistence = host.pendingPersistence.filter((x) => x.agent !== a);
}

/** Merges agent `b` into `a` (same agent seen through two images); returns the survivor. */
export function merge(a: Agent, b: Agent, link: string, keepFirst = false): Agent {
  a = live(a);
  b = live(b);
  if (a === b) return a;
  // Keep the older identity as the survivor, so keys stay stable.
  if (!keepFirst && b.firstTime < a.firstTime) [a, b] = [b, a];
  const host = a.host;
  // Host-level flow agents are named after their destination, not a program: drop that name.
  for (const i of b.images)
    if (!b.key.startsWith('image:flow:') || !i.startsWith('flow to ')) a.images.add(i);
  for (const k of b.keys) {
    a.keys.add(k);
    host.byPath.set(k, a);
  }
  for (const h of b.hashes) {
    a.hashes.add(h);
    host.byHash.set(h, a);
  }
  for (const [k, v] of host.byMeta) if (v === b) host.byMeta.set(k, a);
  for (const [k, v] of host.byTool) if (v === b) host.byTool.set(k, a);
  for (const x of host.pendingPersistence) if (x.agent === b) x.agent = a;
  a.meta = { ...b.meta, ...a.meta };
  a.tool ??= b.tool;
  a.links.push(link, ...b.links);
  for (const s of Object.keys(a.steps) as StepId[]) {
    const x = a.steps[s];
    const y = b.steps[s];
    x.count += y.count;
    x.times = [...x.times, ...y.times].sort((m, n) => m - n);
    x.evidence = [...x.evidence, ...y.evidence].sort((m, n) => m.time - n.time);
    x.link ??= y.link;
  }
  for (const [k, d] of b.egress) if (!a.egress.has(k)) a.egress.set(k, d);
  for (const [k, v] of b.flags) if (!a.flags.has(k)) a.flags.set(k, v);
  for (const n of b.entryNames) a.entryNames.add(n);
  for (const u of b.users) a.users.add(u);
  for (const c of b.commandLines) rememberCommand(a, c);
  for (const t of b.starts) rememberStart(a, t);
  for (const o of b.origin) if (a.origin.length < MAX_ORIGINS && !sameOrigin(a, o)) a.origin.push(o);
  for (const [k, v] of b.pointedAt) a.pointedAt.set(k, v);
  a.instance = a.instance && b.instance;
  a.firstTime = Math.min(a.firstTime, b.firstTime);
  a.lastTime = Math.max(a.lastTime, b.lastTime);
  a.findingId ??= b.findingId;
  b.mergedInto = a;
  host.agents.delete(b.key);
  return a;
}
