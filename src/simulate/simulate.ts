// `ratchain simulate`: builds a fleet, writes its background and injected scenarios day by day,
// time-ordered across hosts, into one file per format (eslogger: per host, since it names no
// host), plus the ground truth, the fleet and the matching ratchain config.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HostActivity } from './activity.ts';
import { linuxDay } from './background/linux.ts';
import { macosDay } from './background/macos.ts';
import { windowsDay } from './background/windows.ts';
import { buildFleet } from './fleet.ts';
import { fleetConfigYaml } from './fleet-config.ts';
import { SIM_FORMATS, type SimFormat } from './formats.ts';
import type { SimHost, SimRecord } from './model.ts';
import { createRng } from './rng.ts';
import { inject } from './scenarios/inject.ts';
import { planScenarios } from './scenarios/plan.ts';
import type { ScenarioKind, TruthLabel } from './truth.ts';
import { AuditdWriter } from './writers/auditd.ts';
import { EsloggerWriter } from './writers/eslogger.ts';
import { EvtxWriter } from './writers/evtx.ts';
import { OsqueryWriter } from './writers/osquery.ts';
import type { FileStat } from './writers/sink.ts';
import { SysmonXmlWriter } from './writers/sysmon-xml.ts';
import { WinlogbeatJsonWriter } from './writers/winlogbeat-json.ts';
import { ZeekConnWriter } from './writers/zeek-conn.ts';

export { SIM_FORMATS, type SimFormat };

export interface SimulateOptions {
  hosts: number;
  days: number;
  seed: number;
  out: string;
  formats?: SimFormat[];
  /** Start of the span (ms, UTC midnight). Default 2026-11-02. */
  start?: number;
  /** Background records per host-day (roughly). */
  rate?: number;
  /** Injected scenarios; default a quarter of the host count (at least 10). */
  scenarios?: number;
  kinds?: ScenarioKind[];
  mix?: { windows: number; linux: number; macos: number };
  /**
   * Write only the events in [from, to) ms after the start (a short window of a large fleet, for
   * the live-state benchmark). The truth then lists only scenarios that begin inside it.
   */
  window?: { from: number; to: number };
  /**
   * Write only these of `formats` (default: all of them), routing every record as if all were
   * written: one of several processes writing the same fleet at once, each its own formats, the
   * files coming out byte for byte as one process writes them. The caller starts logs/ empty
   * (this run leaves it as it is) and sums the parts' events, files and bytes.
   */
  writeOnly?: SimFormat[];
  /** Write truth.ndjson, fleet.json and ratchain.yaml (default true; one part of a split run). */
  metaFiles?: boolean;
}

export interface SimulateResult {
  hosts: SimHost[];
  truth: TruthLabel[];
  files: FileStat[];
  /** Events written (a Windows service install is three events, an execve one). */
  events: number;
  bytes: number;
  seconds: number;
  logDir: string;
}

/** Stands for a writer another process runs: takes records, writes and counts nothing. */
const UNWRITTEN = { write: () => 0, close: () => [] as FileStat[] };

export const DEFAULT_START = Date.UTC(2026, 10, 2);
const DAY = 86_400_000;

export function simulate(o: SimulateOptions): SimulateResult {
  const started = performance.now();
  const formats = new Set<SimFormat>(o.formats ?? SIM_FORMATS);
  const start = o.start ?? DEFAULT_START;
  const rate = o.rate ?? 400;
  const hosts = buildFleet({ hosts: o.hosts, seed: o.seed, start, mix: o.mix });
  const plans = planScenarios(hosts, {
    seed: o.seed,
    start,
    days: o.days,
    count: o.scenarios ?? Math.max(10, Math.round(o.hosts / 4)),
    kinds: o.kinds,
  });
  const logDir = join(o.out, 'logs');
  // The logs folder is the generator's own: start it empty so no earlier fleet's files mix in.
  if (!o.writeOnly) rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });

  const written = new Set<SimFormat>(o.writeOnly ?? formats);
  // A format another part writes still takes its records (routing stays as in one run), unwritten.
  const writer = <W>(f: SimFormat, make: () => W): W | undefined =>
    !formats.has(f) ? undefined : written.has(f) ? make() : (UNWRITTEN as W);
  const xml = writer(
    'sysmon-xml',
    () => new SysmonXmlWriter(join(logDir, 'windows', 'sysmon-security-system.xml')),
  );
  const wlb = writer(
    'winlogbeat-json',
    () => new WinlogbeatJsonWriter(join(logDir, 'windows', 'winlogbeat.ndjson')),
  );
  const evtx = writer('evtx', () => new EvtxWriter(join(logDir, 'windows', 'forwarded-events.evtx')));
  const aud = writer('auditd', () => new AuditdWriter(join(logDir, 'linux', 'audit.log')));
  const esl = writer('eslogger', () => new EsloggerWriter(join(logDir, 'macos', 'eslogger')));
  const osq = writer('osquery', () => new OsqueryWriter(join(logDir, 'macos', 'osquery.results.ndjson')));
  const zeek = writer('zeek-conn', () => new ZeekConnWriter(join(logDir, 'network', 'conn.log'), start));

  const acts = hosts.map((h) => new HostActivity(h, createRng(o.seed, `host/${h.index}`)));
  const truth: TruthLabel[] = [];
  let events = 0;
  let plan = 0;

  const from = start + (o.window?.from ?? 0);
  const to = o.window ? start + o.window.to : Number.POSITIVE_INFINITY;
  // Each Windows host's export goes to its own format; without it, to another enabled one.
  const windowsWriters = { 'sysmon-xml': xml, 'winlogbeat-json': wlb, evtx };
  const route = (r: SimRecord, h: SimHost): number => {
    if (r.t < from || r.t >= to) return 0;
    let n = zeek ? zeek.write(r, h) : 0;
    if (h.platform === 'windows') {
      const w = windowsWriters[h.windowsFormat] ?? xml ?? wlb ?? evtx;
      if (w) n += w.write(r, h);
    } else if (h.platform === 'linux') {
      if (aud) n += aud.write(r, h);
    } else {
      // Half the Macs run eslogger (processes, files, BTM) with osquery for sockets; the other
      // half osquery alone. (Without the eslogger format, the labels of those Macs' autostart
      // scenarios overstate what osquery alone shows.)
      const withEs = esl !== undefined && h.macSensor === 'eslogger';
      if (withEs) n += esl.write(r, h);
      if (osq) n += osq.write(r, h, !withEs);
    }
    return n;
  };

  for (let d = 0; d < o.days; d++) {
    const day = start + d * DAY;
    const end = day + DAY;
    const batch: Array<{ r: SimRecord; h: SimHost }> = [];
    for (const act of acts) {
      const h = act.host;
      if (h.platform === 'windows') windowsDay(act, day, rate);
      else if (h.platform === 'linux') linuxDay(act, day, rate);
      else macosDay(act, day, rate);
    }
    while (plan < plans.length && plans[plan].start < end) {
      const p = plans[plan++];
      const label = inject(acts[p.hostIndex], p);
      if (p.start >= from && p.start < to) truth.push(label);
    }
    for (const act of acts) {
      const keep: SimRecord[] = [];
      for (const r of act.records) {
        if (r.t < end) batch.push({ r, h: act.host });
        else keep.push(r);
      }
      act.records.length = 0;
      for (const r of keep) act.records.push(r);
    }
    batch.sort((a, b) => a.r.t - b.r.t);
    for (const { r, h } of batch) events += route(r, h);
  }
  // Whatever is still pending (sessions ending after the span) is written last, in order.
  const tail: Array<{ r: SimRecord; h: SimHost }> = [];
  for (const act of acts) for (const r of act.records) tail.push({ r, h: act.host });
  tail.sort((a, b) => a.r.t - b.r.t);
  for (const { r, h } of tail) events += route(r, h);

  const files: FileStat[] = [];
  for (const w of [xml, wlb, evtx, aud, esl, osq]) if (w) files.push(...w.close());
  if (zeek) files.push(...zeek.close(start + o.days * DAY));

  if (o.metaFiles !== false) {
    writeFileSync(
      join(o.out, 'truth.ndjson'),
      truth.map((t) => JSON.stringify(t)).join('\n') + (truth.length ? '\n' : ''),
    );
    writeFileSync(
      join(o.out, 'fleet.json'),
      `${JSON.stringify({ seed: o.seed, start: new Date(start).toISOString(), days: o.days, rate, hosts }, null, 1)}\n`,
    );
    writeFileSync(join(o.out, 'ratchain.yaml'), fleetConfigYaml(hosts));
  }
  return {
    hosts,
    truth,
    files,
    events,
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    seconds: (performance.now() - started) / 1000,
    logDir,
  };
}
