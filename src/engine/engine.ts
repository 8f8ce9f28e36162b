// The DET0496 engine: consumes normalized events in time order, keeps per-host state (process
// lineage, agents and their chains), and emits one finding per chain. It knows nothing about
// file formats or output formats. It never reads the wall clock: the same events in the same
// order give the same findings, which streaming workers rely on when they replay.
import type { Catalog } from '../catalog/types.ts';
import {
  type Config,
  DEFAULT_ACCEPTABLE_CHILDREN,
  DEFAULT_INSTALL_PATH_REGEX,
  DEFAULT_INTERNAL_NETWORKS,
  DEFAULT_SHELLS,
  DEFAULT_SUSPICIOUS_CHILDREN,
} from '../config/schema.ts';
import type {
  FileEvent,
  NetworkEvent,
  PersistenceEvent,
  ProcessStartEvent,
  RatEvent,
  RegistryEvent,
  SourceRef,
} from '../model/event.ts';
import type { Evidence, Finding, StepId } from '../model/finding.ts';
import { approvalFor } from './approval.ts';
import type { ClockOffset } from './clock-skew.ts';
import { capCommand, type EvidenceFacts, endpointFact, evidence, processFact, short } from './evidence.ts';
import { flowJoin } from './flow-join.ts';
import { hostTable } from './hosts.ts';
import { agentOf, attach, dropAgent, knownAgentFor, live, merge, toolOf } from './identity.ts';
import { endProc, expireProcs, procFor, startProc } from './lineage.ts';
import { destinations } from './network.ts';
import { commandArgs, commandImage, fileName, pathKey } from './paths.ts';
import {
  isDownloader,
  isGeneric,
  isInstaller,
  isSystemWriter,
  isTool,
  spawnsShellsByDesign,
} from './roles.ts';
import { buildFinding, stepCount } from './score.ts';
import type { Agent, HostState, Proc } from './state.ts';
import { controlRules, isControlChild, suspiciousCommand } from './steps/control.ts';
import { addConnection, type ConnectionFact, newDest } from './steps/egress.ts';
import {
  commandPersistence,
  filePersistence,
  type PersistenceFact,
  registryPersistence,
} from './steps/persistence.ts';

export interface EngineStats {
  events: number;
  hosts: number;
  agents: number;
  agentsEvicted: number;
  processesEvicted: number;
  hostsEvicted: number;
  allowlistedConnections: number;
  internalConnections: number;
  flowsJoined: number;
  flowsHostLevel: number;
  findings: number;
  /** What the engine holds right now (memory follows these, not the input size). */
  live?: { hosts: number; agents: number; processes: number; pendingFlows: number };
  /** The most it held at once, sampled at each expiry sweep. */
  peak: { hosts: number; agents: number; processes: number };
  /** Each host's estimated clock offset to the flow sensor (from connections both saw). */
  clockOffsets?: ClockOffset[];
}

export interface Engine {
  push(ev: RatEvent): void;
  /** Moves event time forward without an event (a watermark from an idle stream): expires state. */
  advance(time: number): void;
  /** Ends the run: closes every open chain and returns all findings, most severe first. */
  finish(): Finding[];
  stats(): EngineStats;
}

export interface EngineOptions {
  /** Streaming: called when a chain first reaches alert level and on every later change. */
  onFinding?: (f: Finding) => void;
  /** Called with the final state of every chain that closes at or above MinSteps. */
  onClose?: (f: Finding) => void;
  /** Keep closed findings for finish() (hunt). Streaming sets false so memory stays bounded. */
  collect?: boolean;
}

const SEVERITY_RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;

export function createEngine(cfg: Config, catalog: Catalog, opts: EngineOptions = {}): Engine {
  const rules = controlRules(cfg, {
    shells: new RegExp(DEFAULT_SHELLS, 'i'),
    acceptable: DEFAULT_ACCEPTABLE_CHILDREN.map((a) => ({
      parent: new RegExp(a.parent, 'i'),
      child: new RegExp(a.child, 'i'),
    })),
    suspicious: DEFAULT_SUSPICIOUS_CHILDREN.map((s) => new RegExp(s, 'i')),
  });
  const installPaths = cfg.InstallPathRegex ?? DEFAULT_INSTALL_PATH_REGEX.map((r) => new RegExp(r, 'i'));
  // One pass over an image path instead of one per pattern.
  const installPath = new RegExp(installPaths.map((r) => `(?:${r.source})`).join('|'), 'i');
  const presetDomains = cfg.ExternalIPAllowlist.presets.flatMap((id) => catalog.byId(id)?.domains ?? []);
  const dest = destinations(
    cfg.InternalNetworks ?? DEFAULT_INTERNAL_NETWORKS,
    cfg.ExternalIPAllowlist.cidrs,
    [...cfg.ExternalIPAllowlist.domains, ...presetDomains],
  );
  const supportHosts = cfg.UserContext.SupportHosts;
  const adminUsers = cfg.UserContext.AdminUsers;
  const maxEvidence = cfg.Limits.EvidencePerStep;
  const expiry = cfg.TimeWindow + cfg.Lateness;

  const finished: Finding[] = [];
  const stats: EngineStats = {
    events: 0,
    hosts: 0,
    agents: 0,
    agentsEvicted: 0,
    processesEvicted: 0,
    hostsEvicted: 0,
    allowlistedConnections: 0,
    internalConnections: 0,
    flowsJoined: 0,
    flowsHostLevel: 0,
    findings: 0,
    peak: { hosts: 0, agents: 0, processes: 0 },
  };
  let now = Number.NEGATIVE_INFINITY;
  let nextSweep = Number.NEGATIVE_INFINITY;

  // ---- hosts ---------------------------------------------------------------------------
  const table = hostTable(
    cfg.Limits.Hosts,
    (h) => {
      for (const a of [...h.agents.values()]) close(a);
      stats.hostsEvicted++;
    },
    () => stats.hosts++,
  );
  const hosts = table.hosts;

  function hostFor(name: string, platform: HostState['platform']): HostState {
    return table.get(name, platform, now);
  }

  // ---- evidence ------------------------------------------------------------------------
  function addStep(a: Agent, step: StepId, ev: Evidence, link?: string): void {
    const log = a.steps[step];
    log.count++;
    log.times.push(ev.time);
    if (log.times.length > 64) log.times.splice(maxEvidence, 1);
    if (log.evidence.length < maxEvidence) log.evidence.push(ev);
    else log.evidence[maxEvidence - 1] = ev;
    log.link ??= link;
    touch(a, ev.time);
    changed(a);
  }

  function touch(a: Agent, t: number): void {
    if (t > a.lastTime) a.lastTime = t;
    if (t < a.firstTime) a.firstTime = t;
  }

  /** Flags that depend on the agent's own image and user. */
  function imageFlags(a: Agent, p: Proc): void {
    const img = p.image.toLowerCase();
    if (!a.flags.has('temp_path') && installPath.test(img)) {
      a.flags.set('temp_path', `runs from a user-writable or temporary path: ${p.image}`);
    }
    const ofn = p.meta?.originalFileName;
    if (ofn && ofn !== '-' && !a.flags.has('renamed')) {
      const strip = (s: string) => s.toLowerCase().replace(/\.(exe|mui)$/g, '');
      if (strip(ofn) !== strip(fileName(p.image)))
        a.flags.set('renamed', `image ${fileName(p.image)} was renamed from ${ofn}`);
    }
    if (!a.flags.has('standard_user') && p.integrity && /^medium/i.test(p.integrity) && p.user) {
      const support = supportHosts.some((r) => r.test(a.host.name) || r.test(a.host.displayName));
      const admin = adminUsers.some((r) => r.test(p.user!));
      if (!support && !admin)
        a.flags.set('standard_user', `runs as standard user ${p.user} on a host that is not a support host`);
    }
  }

  function addExecution(a: Agent, p: Proc, link: string): void {
    imageFlags(a, p);
    if (!p.startSrc || p.start === undefined) return;
    const cmd = p.commandLine ? ` ${short(p.commandLine)}` : '';
    const parent = p.parent ? ` (parent ${fileName(p.parent.image)})` : '';
    addStep(
      a,
      'execution',
      evidence(p.start, `${p.image} started${parent}${p.user ? ` as ${p.user}` : ''}:${cmd}`, p.startSrc, {
        process: processFact(p),
      }),
      link,
    );
  }

  function evicted(gone: Agent): void {
    stats.agentsEvicted++;
    close(gone);
  }

  function newAgentFor(h: HostState, p: Proc, time: number): Agent {
    const before = h.agents.size;
    const a = agentOf(h, p, time, catalog, cfg.Limits.AgentsPerHost, evicted);
    if (h.agents.size > before) stats.agents++;
    return a;
  }

  /** Agent for a process that just did something step-worthy; records its start as S1. */
  function agentFor(h: HostState, p: Proc, time: number): Agent {
    if (p.agent) return live(p.agent);
    const a = newAgentFor(h, p, time);
    addExecution(a, p, 'the process that made the other steps');
    creditChildren(a, p, 0);
    flows.adopt(h, a, p);
    return live(a);
  }

  /** Shells the process spawned before anyone knew it was an agent count now. */
  function creditChildren(a: Agent, p: Proc, depth: number): void {
    if (depth > 3) return;
    for (const c of p.children) {
      if (!c.forked && c.startSrc && c.start !== undefined && isControlChild(rules, p.image, c.image)) {
        control(a, p, c, { time: c.start, src: c.startSrc });
      }
      creditChildren(a, c, depth + 1);
    }
  }

  // ---- process start -------------------------------------------------------------------
  function onProcess(h: HostState, ev: ProcessStartEvent): void {
    const { proc: p, fresh } = startProc(h, ev);
    if (!fresh) return; // a second record of a start we already placed
    if (ev.forkOnly) {
      // A fork keeps its parent's image and tree: lineage only, no step.
      if (p.parent?.agent) {
        p.agent = live(p.parent.agent);
        p.agentImage = p.parent.agentImage;
      }
      return;
    }

    // A persistence entry registered a generic program (a shell command line): bind it.
    if (h.pendingPersistence.length && isGeneric(p.image)) {
      const args = (p.commandLine ? commandArgs(p.commandLine) : '').toLowerCase().replace(/\s+/g, ' ');
      const hit = h.pendingPersistence.find(
        (x) => x.key === p.key && x.args && args.includes(x.args.slice(0, 64)),
      );
      if (hit) {
        const a = live(hit.agent);
        attach(a, p, catalog);
        addExecution(a, p, 'started with the command line the persistence entry registered');
        return;
      }
    }
    const known = knownAgentFor(h, p, catalog);
    if (known) {
      const a = known.agent;
      if (!a.keys.has(p.key) && !a.links.includes(known.link)) a.links.push(known.link);
      attach(a, p, catalog);
      addExecution(a, p, known.link);
      return;
    }
    const parent = p.parent;
    if (parent?.agent) {
      const a = live(parent.agent);
      p.agent = a;
      if (isControlChild(rules, parent.image, p.image)) control(a, parent, p, ev);
      flows.adopt(h, a, p);
    } else if (!isGeneric(p.image) && catalogMatch(p)) {
      const a = newAgentFor(h, p, ev.time);
      addExecution(a, p, `catalogue entry ${a.tool?.tool.name ?? ''}`.trim());
    } else if (
      parent &&
      !spawnsShellsByDesign(parent.image) &&
      isControlChild(rules, parent.image, p.image)
    ) {
      const a = agentFor(h, parent, ev.time);
      p.agent = a;
      control(a, parent, p, ev);
    }

    const fact = commandPersistence(p.image, p.commandLine);
    if (fact) persistence(h, fact, p, ev.time, ev.src, {});
  }

  function catalogMatch(p: Proc): boolean {
    return toolOf(p, catalog) !== undefined;
  }

  function control(a: Agent, parent: Proc, child: Proc, ev: { time: number; src: SourceRef }): void {
    const sus = suspiciousCommand(rules, child.commandLine);
    if (sus && !a.flags.has('suspicious_child')) {
      a.flags.set('suspicious_child', `suspicious child command line: ${short(child.commandLine, 120)}`);
    }
    addStep(
      a,
      'control',
      evidence(
        ev.time,
        `${fileName(parent.image)} spawned ${fileName(child.image)}${child.commandLine ? `: ${short(child.commandLine)}` : ''}${sus ? ' [suspicious]' : ''}`,
        ev.src,
        { process: processFact(child) },
      ),
      parent.agentImage ? 'child of the agent process' : 'spawned inside the agent process tree',
    );
  }

  // ---- persistence ---------------------------------------------------------------------
  function persistence(
    h: HostState,
    fact: PersistenceFact,
    actor: Proc | undefined,
    time: number,
    src: SourceRef,
    facts: Pick<EvidenceFacts, 'file' | 'registry'>,
  ): void {
    const summary = `${fact.mechanism.replace('_', ' ')} "${fact.name}"${fact.command ? ` runs ${short(fact.command)}` : ''}`;
    const entry: EvidenceFacts['entry'] = { mechanism: fact.mechanism, name: fact.name };
    const command = capCommand(fact.command);
    if (command !== undefined) entry.command = command;
    if (fact.location !== undefined) entry.location = fact.location;
    const ev = evidence(time, summary, src, {
      ...(actor ? { process: processFact(actor) } : {}),
      ...facts,
      entry,
    });

    // Whoever really wrote it: skip tools that only carry out the change (sc, reg, systemctl...);
    // the system's own writers (services.exe for every service) write on someone else's behalf.
    let writer = actor;
    for (let i = 0; i < 4 && writer && isTool(writer.image) && !writer.agent; i++) writer = writer.parent;
    if (writer && !writer.agent && (isTool(writer.image) || isSystemWriter(writer.image))) writer = undefined;
    // A shell that is no agent's (an operator's console) wrote it for the program it names: the
    // entry belongs to that program, not to the shell.
    let shellWriter = writer && !writer.agent && isGeneric(writer.image) ? writer : undefined;
    if (shellWriter) writer = undefined;
    // A package script's shell writes on the installer's behalf, like the system itself.
    if (
      shellWriter?.parent &&
      (isInstaller(shellWriter.parent.image) || isSystemWriter(shellWriter.parent.image))
    )
      shellWriter = undefined;

    let target: Agent | undefined;
    let link = '';
    if (fact.command) {
      const img = commandImage(fact.command);
      const key = pathKey(img);
      if (isGeneric(key)) {
        target = writer ? agentFor(h, writer, time) : entryAgent(h, fact, key, time);
        const args = commandArgs(fact.command).toLowerCase().replace(/\s+/g, ' ');
        h.pendingPersistence.push({ key, args, agent: target, time });
        if (h.pendingPersistence.length > 64) h.pendingPersistence.shift();
        if (/(^|\s)(\/c|-c|-enc|-e|-encodedcommand|-command)\s/i.test(` ${args} `)) {
          target.flags.set(
            'service_shell',
            `${fact.mechanism.replace('_', ' ')} "${fact.name}" runs a shell command line`,
          );
        }
        link = 'the entry registers this command line';
      } else if (img) {
        const existing = h.byPath.get(key);
        target = existing ? live(existing) : pathAgent(h, img, key, time);
        link = `the entry runs ${img}`;
      }
    }
    let owner = target;
    if (writer) {
      const w = agentFor(h, writer, time);
      if (owner && owner !== w) {
        owner = merge(
          w,
          owner,
          `${fileName(writer.image)} wrote the ${fact.mechanism.replace('_', ' ')} entry "${fact.name}"`,
        );
      } else if (!owner) {
        owner = w;
        link = 'written by the agent process';
      }
    } else if (shellWriter && !owner) {
      owner = agentFor(h, shellWriter, time);
      link = 'written by this shell process';
    }
    if (!owner) owner = entryAgent(h, fact, undefined, time);
    // One entry reported by several records (7045, 4697, Sysmon 13; schtasks and 4698) is one S2.
    const entryKey = `${fact.mechanism}:${fact.name.toLowerCase().replace(/^\\/, '')}`;
    const earlier = h.entries.get(entryKey);
    if (earlier && live(earlier) !== owner && h.agents.has(live(earlier).key)) {
      owner = merge(
        live(earlier),
        owner,
        `both report the ${fact.mechanism.replace('_', ' ')} entry "${fact.name}"`,
      );
    }
    h.entries.set(entryKey, owner);
    owner.entryNames.add(fact.name);
    if (h.entries.size > 1024) h.entries.delete(h.entries.keys().next().value!);
    if (!owner.tool) {
      const m = catalog.matchEntry(fact.name);
      if (m) owner.tool = m;
    }
    for (const n of fact.notes ?? []) {
      if (n.startsWith('hidden')) owner.flags.set('hidden_plist', n);
      else if (n.startsWith('Apple')) owner.flags.set('apple_lookalike', n);
    }
    addStep(owner, 'persistence', ev, link || undefined);
  }

  function pathAgent(h: HostState, image: string, key: string, time: number): Agent {
    const p: Proc = { id: h.nextProcId++, image, key, children: [], lastSeen: time };
    return newAgentFor(h, p, time);
  }

  /** An agent known so far only by a persistence entry nobody we know wrote. */
  function entryAgent(
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
    return newAgentFor(h, p, time);
  }

  /**
   * A process seen acting (writing a file, connecting) whose start was not in the logs: if the
   * catalogue knows its image, the remote-access tool is running, which is S1.
   */
  function observe(h: HostState, p: Proc | undefined, time: number, src: SourceRef): void {
    if (!p || p.agent || p.startSrc || isGeneric(p.image) || !catalogMatch(p)) return;
    const a = newAgentFor(h, p, time);
    imageFlags(a, p);
    addStep(
      a,
      'execution',
      evidence(time, `${p.image} seen running (its start is not in the logs)`, src, {
        process: processFact(p),
      }),
      `catalogue entry ${a.tool?.tool.name ?? ''}`.trim(),
    );
  }

  function onPersistence(h: HostState, ev: PersistenceEvent): void {
    const actor = procFor(h, ev.actor, ev.time);
    persistence(
      h,
      { mechanism: ev.mechanism, name: ev.name, command: ev.command },
      actor,
      ev.time,
      ev.src,
      {},
    );
  }

  function onRegistry(h: HostState, ev: RegistryEvent): void {
    if (ev.op !== 'set') return;
    const fact = registryPersistence(ev.key, ev.data);
    if (!fact) return;
    const registry = ev.data !== undefined ? { key: ev.key, data: capCommand(ev.data) } : { key: ev.key };
    persistence(h, fact, procFor(h, ev.proc, ev.time), ev.time, ev.src, { registry });
  }

  function onFile(h: HostState, ev: FileEvent): void {
    if (ev.op === 'delete' || ev.op === 'write') return;
    const path = ev.op === 'rename' && ev.target ? ev.target : ev.path;
    const writer = procFor(h, ev.proc, ev.time);
    observe(h, writer, ev.time, ev.src);
    const fact = filePersistence(path);
    if (fact) {
      persistence(h, fact, writer, ev.time, ev.src, { file: { path, op: ev.op } });
      return;
    }
    // A program writing an executable: that image, when it runs, is the writer's agent (once the
    // writer is one). Browsers and the like download for the user and link nothing.
    // `cp`, `install` and the like copy for whoever ran them.
    let w = writer;
    for (let i = 0; i < 3 && w && isTool(w.image); i++) w = w.parent;
    if (
      w &&
      !isGeneric(w.image) &&
      !isDownloader(w.image) &&
      /(\.(exe|dll|scr|com|bat|ps1|sh|app)$)|^\/(tmp|var\/tmp|usr|opt|dev\/shm|private\/tmp|users|home|library)\//i.test(
        path,
      )
    ) {
      h.writtenBy.set(pathKey(path), { writer: w, time: ev.time, src: ev.src });
      if (h.writtenBy.size > 4096) h.writtenBy.delete(h.writtenBy.keys().next().value!);
    }
  }

  // ---- network -------------------------------------------------------------------------
  function onNetwork(h: HostState, ev: NetworkEvent): void {
    if (
      ev.srcIp &&
      !dest.isExternal(ev.srcIp) &&
      !/^(127\.|::1$|0\.0\.0\.0|::$)/.test(ev.srcIp) &&
      ev.direction !== 'inbound'
    ) {
      flows.learnAddress(h, ev.srcIp, ev.time);
    }
    // Inbound: a listener that accepted a session from outside (a bind shell). The peer is the
    // external side, whichever field the sensor put it in.
    const inbound = ev.direction === 'inbound';
    const swapped = inbound && !dest.isExternal(ev.dstIp) && dest.isExternal(ev.srcIp);
    const peer = swapped ? ev.srcIp : ev.dstIp;
    const peerPort = swapped ? ev.srcPort : ev.dstPort;
    if (!dest.isExternal(peer)) {
      stats.internalConnections++;
      return;
    }
    const name = ev.dstName ?? h.dnsNames.get(peer);
    if (dest.allowlisted(peer, name)) {
      stats.allowlistedConnections++;
      return;
    }
    const p = procFor(h, ev.proc, ev.time);
    if (!p) return;
    observe(h, p, ev.time, ev.src);
    const a = agentFor(h, p, ev.time);
    const where = `${name ? `${name} ` : ''}${peer}:${peerPort ?? '?'}${ev.protocol ? `/${ev.protocol}` : ''}`;
    const fact: ConnectionFact = {
      time: ev.time,
      ip: peer,
      port: peerPort,
      name,
      hostLevel: false,
      inbound,
      durationSec: ev.durationSec,
      bytesOut: ev.bytesOut,
      bytesIn: ev.bytesIn,
      open: ev.open,
      evidence: evidence(
        ev.time,
        inbound
          ? `${fileName(p.image)} accepted a session from ${where}`
          : `${fileName(p.image)} connected to ${where}`,
        ev.src,
        {
          process: processFact(p),
          endpoint: endpointFact({
            ip: peer,
            port: peerPort,
            name,
            protocol: ev.protocol,
            direction: ev.direction,
            srcIp: swapped ? ev.dstIp : ev.srcIp,
            srcPort: swapped ? ev.dstPort : ev.srcPort,
          }),
        },
      ),
    };
    connect(a, fact, p);
    flows.hostConnection(h, ev.srcPort, ev.dstIp, ev.dstPort, a, p, ev.time);
  }

  function connect(a: Agent, fact: ConnectionFact, p?: Proc): void {
    const k = `${fact.ip}|${fact.port ?? ''}`;
    let d = a.egress.get(k);
    if (!d) {
      if (a.egress.size >= 64) return;
      d = newDest(fact);
      a.egress.set(k, d);
    }
    if (p) d.proc = p;
    touch(a, fact.time);
    if (addConnection(d, fact, cfg, maxEvidence)) changed(a);
  }

  const flows = flowJoin({ cfg, dest, stats, hostFor, connect, newAgentFor });

  // ---- lifecycle -----------------------------------------------------------------------
  const alertSteps = Math.max(3, cfg.MinSteps);

  function changed(a: Agent): void {
    if (!opts.onFinding) return;
    const n = stepCount(a, cfg);
    const f0 = n >= alertSteps ? buildFinding(a, cfg, approvalFor(a, cfg, catalog, installPaths)) : undefined;
    if (!f0 || f0.status === 'suppressed') return;
    const sig = `${f0.stepCount}|${f0.severity}|${f0.score}|${f0.steps.map((s) => s.count).join(',')}`;
    if (sig === a.emitted) return;
    if (!a.findingId) a.findingId = f0.id;
    else a.revision++;
    a.emitted = sig;
    opts.onFinding({ ...f0, id: a.findingId, revision: a.revision });
  }

  /** Closes an agent's chain: keeps its finding if it reached the reporting threshold. */
  function close(a: Agent): void {
    if (a.mergedInto) return;
    const n = stepCount(a, cfg);
    if (n >= cfg.MinSteps && n >= 1) {
      const f = buildFinding(a, cfg, approvalFor(a, cfg, catalog, installPaths));
      f.revision = a.revision;
      if (opts.collect !== false) finished.push(f);
      opts.onClose?.(f);
      stats.findings++;
    }
    dropAgent(a.host, a);
  }

  /**
   * Expiry costs what the events cost, not hosts × time: idle hosts are found from the front of
   * the hosts map (kept in order of last activity); busy hosts tidy themselves when touched.
   */
  function sweep(): void {
    const horizon = now - expiry;
    let agents = 0;
    let processes = 0;
    for (const h of hosts.values()) {
      agents += h.agents.size;
      processes += h.procCount;
    }
    const peak = stats.peak;
    if (hosts.size > peak.hosts) peak.hosts = hosts.size;
    if (agents > peak.agents) peak.agents = agents;
    if (processes > peak.processes) peak.processes = processes;
    flows.resolve(now - cfg.FlowJoinTolerance);
    flows.expire(now);
    for (const h of hosts.values()) {
      if (h.lastTime >= horizon) break;
      for (const a of [...h.agents.values()]) close(a);
      hosts.delete(h.name);
    }
  }

  /** Per-host upkeep, at most every quarter window of event time. */
  function maintain(h: HostState): void {
    const step = cfg.TimeWindow / 4;
    if (now - h.maintained < step) return;
    h.maintained = now;
    const horizon = now - expiry;
    for (const a of h.agents.values()) if (a.lastTime < horizon) close(a);
    if (h.pendingPersistence.length)
      h.pendingPersistence = h.pendingPersistence.filter((x) => x.time >= horizon);
    for (const [k, a] of h.entries) if (live(a).lastTime < horizon) h.entries.delete(k);
    for (const [k, v] of h.writtenBy) if (v.time < horizon) h.writtenBy.delete(k);
    // The process table only needs to stay bounded, not exact: scan it rarely.
    if (h.procCount > cfg.Limits.ProcessesPerHost || now - h.procSweep > 1_800_000) {
      h.procSweep = now;
      stats.processesEvicted += expireProcs(
        h,
        now - Math.max(4 * expiry, 3_600_000),
        cfg.Limits.ProcessesPerHost,
      );
    }
    if (h.dnsNames.size > 2000) h.dnsNames.clear();
  }

  function advanceTo(t: number): void {
    if (t > now) now = t;
    if (now >= nextSweep) {
      sweep();
      nextSweep = now + cfg.TimeWindow / 4;
    }
  }

  return {
    advance: advanceTo,
    push(ev) {
      stats.events++;
      if (!(ev.time >= 0)) return;
      advanceTo(ev.time);
      if (ev.kind === 'network' && ev.flow) {
        flows.queue(ev);
        return;
      }
      // Network sensors name addresses, not hosts: the flow join's address book places them.
      if (ev.kind === 'lease') {
        flows.lease(ev);
        return;
      }
      if (ev.kind === 'dns' && ev.clientIp !== undefined) {
        flows.networkDns({ ...ev, clientIp: ev.clientIp });
        return;
      }
      if (flows.pending() > 0) flows.resolve(now - cfg.FlowJoinTolerance);
      const h = hostFor(ev.host, ev.platform);
      h.lastTime = ev.time;
      maintain(h);
      switch (ev.kind) {
        case 'process':
          onProcess(h, ev);
          break;
        case 'process_end':
          endProc(h, ev.proc, ev.time);
          break;
        case 'persistence':
          onPersistence(h, ev);
          break;
        case 'registry':
          onRegistry(h, ev);
          break;
        case 'file':
          onFile(h, ev);
          break;
        case 'network':
          onNetwork(h, ev);
          break;
        case 'dns':
          for (const ip of ev.answers) h.dnsNames.set(ip, ev.query.toLowerCase());
          break;
      }
    },
    finish() {
      flows.resolve(Number.POSITIVE_INFINITY);
      for (const h of hosts.values()) for (const a of [...h.agents.values()]) close(a);
      hosts.clear();
      finished.sort(
        (x, y) =>
          SEVERITY_RANK[y.severity] - SEVERITY_RANK[x.severity] ||
          y.score - x.score ||
          x.firstSeen - y.firstSeen,
      );
      return finished;
    },
    stats() {
      let agents = 0;
      let processes = 0;
      for (const h of hosts.values()) {
        agents += h.agents.size;
        processes += h.procCount;
      }
      return {
        ...stats,
        peak: { ...stats.peak },
        live: { hosts: hosts.size, agents, processes, pendingFlows: flows.pending() },
        clockOffsets: flows.clockOffsets(),
      };
    },
  };
}
