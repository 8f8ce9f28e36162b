// The terminal report: a run summary, then findings by severity, each a short timeline of its
// steps with the evidence. Colour only when asked (the CLI asks when stdout is a terminal).
import pc from 'picocolors';
import type { RunSummary } from '../hunt.ts';
import type { SourceRef } from '../model/event.ts';
import { type Finding, type Severity, STEP_LABEL } from '../model/finding.ts';

type Paint = (s: string) => string;
interface Palette {
  bold: Paint;
  dim: Paint;
  sev: Record<Severity, Paint>;
  ok: Paint;
  warn: Paint;
}

function palette(color: boolean): Palette {
  const c = pc.createColors(color);
  return {
    bold: c.bold,
    dim: c.dim,
    ok: c.green,
    warn: c.yellow,
    sev: { critical: (s) => c.bold(c.magenta(s)), high: c.red, medium: c.yellow, low: c.cyan, info: c.dim },
  };
}

export function iso(t: number | undefined): string {
  return t === undefined || !Number.isFinite(t) ? '-' : new Date(t).toISOString().replace('.000Z', 'Z');
}

export function evidenceRef(src: SourceRef): string {
  const file = src.file.length > 60 ? `…${src.file.slice(-59)}` : src.file;
  const pos = src.line !== undefined ? `:${src.line}` : src.offset !== undefined ? `@${src.offset}` : '';
  const rec = src.record ? ` record ${src.record}` : '';
  const id = src.eventId ? ` (${src.format} ${src.eventId})` : ` (${src.format})`;
  return `${file}${pos}${rec}${id}`;
}

/** Hosts whose clock offset the summary names; the rest are counted. */
const MAX_OFFSETS_SHOWN = 12;

export function renderSummary(s: RunSummary, color: boolean): string {
  const p = palette(color);
  const lines: string[] = [p.bold('Run summary')];
  const formats = new Map<string, number>();
  const kinds = new Map<string, number>();
  for (const i of s.inputs) {
    if (i.format) formats.set(i.format, (formats.get(i.format) ?? 0) + 1);
    for (const [k, n] of Object.entries(i.byKind)) kinds.set(k, (kinds.get(k) ?? 0) + (n ?? 0));
  }
  const fmt = [...formats].map(([f, n]) => `${f} ${n}`).join(', ') || 'none';
  lines.push(`  inputs      ${s.inputs.length} (${fmt}), ${(s.bytes / 1e6).toFixed(1)} MB`);
  lines.push(`  events      ${s.events} (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`);
  const ignored = s.inputs.reduce((n, i) => n + i.ignored, 0);
  if (ignored) lines.push(`  not used    ${ignored} records of event types the analytic does not need`);
  const errLine = `  problems    ${s.problems}${s.late ? `, ${s.late} events too late (dropped)` : ''}`;
  lines.push(s.problems ? p.warn(errLine) : errLine);
  lines.push(`  time range  ${iso(s.minTime)} .. ${iso(s.maxTime)}`);
  const rate = s.seconds > 0 ? Math.round(s.events / s.seconds) : 0;
  lines.push(
    `  throughput  ${rate} events/s, ${(s.bytes / 1e6 / Math.max(s.seconds, 1e-6)).toFixed(1)} MB/s in ${s.seconds.toFixed(2)} s`,
  );
  const e = s.engine;
  lines.push(
    `  engine      ${e.hosts} host states and ${e.agents} agents opened${e.agentsEvicted ? `, ${e.agentsEvicted} agents evicted` : ''}${e.processesEvicted ? `, ${e.processesEvicted} processes evicted` : ''}${e.hostsEvicted ? `, ${e.hostsEvicted} hosts evicted` : ''}; ${e.allowlistedConnections} allowlisted and ${e.internalConnections} internal connections ignored${e.flowsJoined + e.flowsHostLevel ? `; flows: ${e.flowsJoined} joined to processes, ${e.flowsHostLevel} host-level` : ''}`,
  );
  if (e.peak)
    lines.push(
      `  peak state  ${e.peak.hosts} hosts, ${e.peak.agents} agents, ${e.peak.processes} processes held at once`,
    );
  const offsets = e.clockOffsets ?? [];
  if (offsets.length) {
    const shown = offsets
      .slice(0, MAX_OFFSETS_SHOWN)
      .map(
        (o) =>
          `${o.host} ${o.offsetMs >= 0 ? '+' : ''}${(o.offsetMs / 1000).toFixed(1)} s (${o.matches} matches)`,
      );
    const more = offsets.length > MAX_OFFSETS_SHOWN ? `, and ${offsets.length - MAX_OFFSETS_SHOWN} more` : '';
    lines.push(`  clocks      offset to the flow sensor: ${shown.join(', ')}${more}`);
  }
  for (const i of s.inputs)
    for (const n of i.notes ?? []) lines.push(p.dim(`  note        ${i.input}: ${n}`));
  for (const h of s.hosts ?? []) {
    const what = `  hosts       ${h.input}: ${h.records} records named no host; `;
    if (h.host) lines.push(`${what}given ${h.host} ${h.detail}`);
    else lines.push(p.warn(`${what}${h.detail} (reported under host "unknown")`));
  }
  for (const i of s.inputProblems) lines.push(p.warn(`  ! ${i.file}: ${i.message}`));
  return lines.join('\n');
}

export function renderFinding(f: Finding, color: boolean): string {
  const p = palette(color);
  const sev = p.sev[f.severity](f.severity.toUpperCase().padEnd(8));
  const steps = f.steps.map((s) => (s.seen ? STEP_LABEL[s.step].split(' ')[0] : p.dim('--'))).join(' ');
  const status = f.status === 'alert' ? '' : p.dim(` [${f.status}]`);
  const lines = [
    `${sev} ${p.bold(f.title)}${status}`,
    p.dim(`  id ${f.id}  score ${f.score}  confidence ${f.confidence}  ${f.analytic}  steps ${steps}`),
  ];
  if (f.agent.images.length)
    lines.push(
      `  agent  ${f.agent.images.slice(0, 3).join(', ')}${f.agent.images.length > 3 ? ` (+${f.agent.images.length - 3})` : ''}${f.user ? `  user ${f.user}` : ''}`,
    );
  if (f.agent.links.length) lines.push(p.dim(`  linked by: ${f.agent.links.slice(0, 3).join('; ')}`));
  const seen = f.steps.filter((s) => s.seen).sort((a, b) => (a.first ?? 0) - (b.first ?? 0));
  for (const s of seen) {
    lines.push(
      `  ${iso(s.first)}  ${p.bold(STEP_LABEL[s.step].padEnd(22))} ${s.summary.length > 150 ? `${s.summary.slice(0, 149)}…` : s.summary}`,
    );
    const ev = s.evidence[0];
    if (ev)
      lines.push(
        p.dim(
          `  ${' '.repeat(20)}  ${' '.repeat(22)} evidence: ${evidenceRef(ev.src)}${s.count > 1 ? ` (+${s.count - 1} more)` : ''}`,
        ),
      );
  }
  for (const s of f.steps.filter((x) => !x.seen))
    lines.push(p.dim(`  ${'missing'.padEnd(20)}  ${STEP_LABEL[s.step].padEnd(22)} ${s.summary}`));
  for (const r of f.reasons)
    lines.push(p.dim(`  ${r.delta >= 0 ? '+' : ''}${r.delta}`.padEnd(7)) + ` ${r.text}`);
  return lines.join('\n');
}

export function renderReport(findings: Finding[], summary: RunSummary, color: boolean): string {
  const p = palette(color);
  const parts = [renderSummary(summary, color), ''];
  if (findings.length === 0) {
    parts.push(p.ok('No findings.'));
  } else {
    const counts = new Map<Severity, number>();
    for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
    const by = (['critical', 'high', 'medium', 'low', 'info'] as Severity[])
      .filter((s) => counts.has(s))
      .map((s) => p.sev[s](`${counts.get(s)} ${s}`));
    parts.push(p.bold(`${findings.length} finding${findings.length === 1 ? '' : 's'}: `) + by.join(', '), '');
    for (const f of findings) parts.push(renderFinding(f, color), '');
  }
  return parts.join('\n');
}
