// The terminal report: the run summary; a table of the findings (severity, host, tool, steps,
// first seen, id); the findings by host and by tool; then each finding as a timeline of its steps
// with its distinct evidence, the score's reasons and the remediation block. Every line fits the
// width given (the terminal's, 80 when not a terminal), every text from the logs passes through
// terminalSafe, and colour is painted after wrapping, only when asked.
import pc from 'picocolors';
import { describeHostNote } from '../ingest/host-hint.ts';
import { describeOffsets } from '../model/clock-offset.ts';
import type { SourceRef } from '../model/event.ts';
import {
  type Evidence,
  type Finding,
  type FindingStep,
  type Severity,
  STEP_LABEL,
} from '../model/finding.ts';
import type { RunSummary } from '../model/run-summary.ts';
import { remediationLines } from './explain.ts';
import { seenSteps } from './finding-parts.ts';
import { terminalSafe } from './terminal-text.ts';

/** The width when stdout is not a terminal. */
export const DEFAULT_WIDTH = 80;
/** Narrower than this, the report still wraps but the table drops its time column. */
const TABLE_TIME_MIN_WIDTH = 72;
/** Where a summary line's value starts ("  inputs      "). */
const SUMMARY_HANG = 14;
/** Distinct evidence lines shown per step; the rest are counted. */
const EVIDENCE_SHOWN = 3;
/** Rows of the by-host and by-tool summaries. */
const TOP_ROWS = 10;
const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** The stream's width when it is a terminal that says, else DEFAULT_WIDTH. */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number }): number {
  return stream.isTTY && stream.columns && stream.columns > 20 ? stream.columns : DEFAULT_WIDTH;
}

export interface ReportStyle {
  color: boolean;
  width: number;
}

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

export function renderSummary(s: RunSummary, color: boolean, width = DEFAULT_WIDTH): string {
  const p = palette(color);
  const out: string[] = [p.bold('Run summary')];
  // Each line: "  label       value", wrapped under its value, painted after wrapping.
  const lines = {
    push(line: string, paint: Paint = (x) => x) {
      for (const l of wrap(terminalSafe(line.trimStart()), width, 2, SUMMARY_HANG)) out.push(paint(l));
    },
  };
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
  lines.push(errLine, s.problems ? p.warn : undefined);
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
  if (offsets.length) lines.push(`  clocks      ${describeOffsets(offsets, MAX_OFFSETS_SHOWN)}`);
  for (const i of s.inputs)
    for (const n of i.notes ?? []) lines.push(`  note        ${i.input}: ${n}`, p.dim);
  for (const h of s.hosts ?? [])
    lines.push(`  hosts       ${h.input}: ${describeHostNote(h)}`, h.host ? undefined : p.warn);
  for (const i of s.inputProblems) lines.push(`  ! ${i.file}: ${i.message}`, p.warn);
  return out.join('\n');
}

/**
 * Words of `text` filled into lines of `width` columns: the first starts after `indent` spaces,
 * the rest after `hang`; runs of spaces inside a line are kept (they align columns), and a word
 * longer than a line (a path, an encoded command) is cut.
 */
export function wrap(text: string, width: number, indent: number, hang = indent): string[] {
  const lines: string[] = [];
  let line = ' '.repeat(indent);
  let fresh = true;
  const room = () => width - line.length;
  const words = text.split(' ');
  for (let i = 0; i < words.length; i++) {
    let w = words[i];
    const sep = i === 0 || fresh ? '' : ' ';
    if (!fresh && sep.length + w.length > room()) {
      lines.push(line.trimEnd());
      line = ' '.repeat(hang);
      fresh = true;
      if (!w) continue;
    }
    line += fresh ? '' : sep;
    while (w.length > room()) {
      const take = Math.max(1, room());
      line += w.slice(0, take);
      w = w.slice(take);
      lines.push(line);
      line = ' '.repeat(hang);
    }
    line += w;
    fresh = fresh && w === '';
  }
  lines.push(line.trimEnd());
  return lines.filter((l, i) => i === 0 || l.trim() !== '');
}

function cut(s: string, n: number): string {
  return s.length <= n ? s.padEnd(n) : `${s.slice(0, Math.max(0, n - 1))}…`;
}

function toolOf(f: Finding): string {
  return f.agent.tool?.name ?? f.agent.names[0] ?? f.agent.key;
}

function stepMarks(f: Finding): string {
  return f.steps.map((s) => (s.seen ? STEP_LABEL[s.step].split(' ')[0] : '--')).join(' ');
}

/** "critical", or for a finding that does not alert "low/sig", "info/sup" (fits 8 columns). */
function severityCell(f: Finding): string {
  return f.status === 'alert' ? f.severity : `${f.severity}/${f.status === 'signal' ? 'sig' : 'sup'}`;
}

function shortTime(t: number): string {
  return new Date(t)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

function sorted(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      b.score - a.score ||
      a.firstSeen - b.firstSeen,
  );
}

/** One line per finding: severity, host, tool, steps, first seen, id (a prefix `explain` takes). */
export function renderTable(findings: Finding[], style: ReportStyle): string[] {
  const p = palette(style.color);
  const withTime = style.width >= TABLE_TIME_MIN_WIDTH;
  const fixed = 8 + 11 + (withTime ? 20 : 0) + 8 + (withTime ? 10 : 8);
  const free = Math.max(12, style.width - fixed);
  const hostW = Math.ceil(free / 2);
  const toolW = free - hostW;
  const row = (cells: string[]) => cells.join('  ').trimEnd();
  const header = row([
    'SEVERITY',
    cut('HOST', hostW),
    cut('TOOL', toolW),
    cut('STEPS', 11),
    ...(withTime ? [cut('FIRST SEEN', 20)] : []),
    'ID',
  ]);
  const lines = [p.bold(header)];
  for (const f of findings) {
    const sev = cut(severityCell(f), 8);
    lines.push(
      row([
        p.sev[f.severity](sev),
        cut(terminalSafe(f.host), hostW),
        cut(terminalSafe(toolOf(f)), toolW),
        stepMarks(f),
        ...(withTime ? [cut(shortTime(f.firstSeen), 20)] : []),
        f.id.slice(0, 8),
      ]),
    );
  }
  return lines;
}

function severityCounts(list: Finding[]): string {
  const n = new Map<Severity, number>();
  for (const f of list) n.set(f.severity, (n.get(f.severity) ?? 0) + 1);
  return SEVERITY_ORDER.filter((s) => n.has(s))
    .map((s) => `${n.get(s)} ${s}`)
    .join(', ');
}

/** "By host" or "By tool": the keys with most findings first, each with its severities. */
function groupLines(
  title: string,
  findings: Finding[],
  key: (f: Finding) => string,
  style: ReportStyle,
): string[] {
  const p = palette(style.color);
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = key(f);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(f);
  }
  const rows = [...groups].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  const nameW = Math.min(Math.max(...rows.map(([k]) => k.length), 4), Math.floor(style.width / 2));
  const lines = [p.bold(title)];
  for (const [k, list] of rows.slice(0, TOP_ROWS)) {
    const text = `${cut(terminalSafe(k), nameW)}  ${list.length} (${severityCounts(list)})`;
    lines.push(...wrap(text, style.width, 2, nameW + 4));
  }
  if (rows.length > TOP_ROWS) lines.push(p.dim(`  +${rows.length - TOP_ROWS} more`));
  return lines;
}

/** A step's distinct records (one line each, the first few), then how many more there were. */
function evidenceLines(s: FindingStep, style: ReportStyle): string[] {
  const p = palette(style.color);
  const distinct = new Map<string, Evidence>();
  for (const e of s.evidence) if (!distinct.has(e.summary)) distinct.set(e.summary, e);
  const lines: string[] = [];
  for (const e of [...distinct.values()].slice(0, EVIDENCE_SHOWN)) {
    lines.push(...wrap(terminalSafe(e.summary), style.width, 6, 8));
    lines.push(...wrap(terminalSafe(`from ${evidenceRef(e.src)}`), style.width, 8, 10).map(p.dim));
  }
  const more = s.count - Math.min(distinct.size, EVIDENCE_SHOWN);
  if (more > 0)
    lines.push(
      p.dim(
        `      (+${more} more record${more === 1 ? '' : 's'}${distinct.size < s.count ? ' like these' : ''})`,
      ),
    );
  return lines;
}

export function renderFinding(f: Finding, style: ReportStyle): string {
  const p = palette(style.color);
  const w = style.width;
  const status = f.status === 'alert' ? '' : ` [${f.status}]`;
  const lines = [
    ...wrap(`${f.severity.toUpperCase()}  ${terminalSafe(f.title)}${status}`, w, 0, 2).map((l, i) =>
      i === 0 ? p.sev[f.severity](l) : p.bold(l),
    ),
    ...wrap(
      `${stepMarks(f)} · score ${f.score} · confidence ${f.confidence} · ${f.analytic} · id ${f.id}`,
      w,
      2,
      4,
    ).map(p.dim),
  ];
  const a = f.agent;
  if (a.images.length) {
    const more = a.images.length > 3 ? ` (+${a.images.length - 3})` : '';
    lines.push(...wrap(terminalSafe(`agent ${a.images.slice(0, 3).join(', ')}${more}`), w, 2, 8));
  }
  if (f.user) lines.push(...wrap(terminalSafe(`user ${f.user}`), w, 2, 7));
  if (a.links.length)
    lines.push(...wrap(terminalSafe(`linked by ${a.links.slice(0, 3).join('; ')}`), w, 2, 4).map(p.dim));
  if (a.origin?.length) {
    const origin = a.origin.map((o) => `${o.image.split(/[\\/]/).pop()} (${o.how} it)`).join(', ');
    lines.push(...wrap(terminalSafe(`origin ${origin}`), w, 2, 9));
  }
  for (const s of seenSteps(f)) {
    lines.push(`  ${p.bold(STEP_LABEL[s.step])}  ${p.dim(iso(s.first))}`);
    if (s.link) lines.push(...wrap(terminalSafe(`tied by: ${s.link}`), w, 6, 8).map(p.dim));
    lines.push(...evidenceLines(s, style));
  }
  for (const s of f.steps.filter((x) => !x.seen)) {
    lines.push(`  ${p.dim(`${STEP_LABEL[s.step]}  missing`)}`);
    lines.push(...wrap(terminalSafe(s.summary), w, 6, 8).map(p.dim));
  }
  lines.push(`  ${p.bold('Score')}`);
  for (const r of f.reasons) {
    const d = `${r.delta >= 0 ? '+' : ''}${r.delta}`;
    // Deltas right-aligned at column 8, the reason after them.
    lines.push(...wrap(terminalSafe(`${d}  ${r.text}`), w, Math.max(2, 8 - d.length), 10));
  }
  const [title, ...actions] = remediationLines(f);
  lines.push(`  ${p.bold(title)}`);
  for (const l of actions) {
    const indent = l.length - l.trimStart().length + 2;
    const text = terminalSafe(l.trimStart());
    const painted = text.startsWith('$ ') || text.startsWith('from ') ? p.dim : (x: string) => x;
    lines.push(...wrap(text, w, indent, indent + 3).map(painted));
  }
  return lines.join('\n');
}

export function renderReport(
  findings: Finding[],
  summary: RunSummary | undefined,
  style: ReportStyle,
): string {
  const p = palette(style.color);
  const parts = summary ? [renderSummary(summary, style.color, style.width), ''] : [];
  if (findings.length === 0) {
    parts.push(p.ok('No findings.'));
    return parts.join('\n');
  }
  const list = sorted(findings);
  const by = SEVERITY_ORDER.map((s) => [s, list.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => p.sev[s](`${n} ${s}`));
  parts.push(p.bold(`${list.length} finding${list.length === 1 ? '' : 's'}: `) + by.join(', '), '');
  parts.push(...renderTable(list, style), '');
  parts.push(...groupLines('By host', list, (f) => f.host, style), '');
  parts.push(...groupLines('By tool', list, toolOf, style), '');
  for (const f of list) parts.push(renderFinding(f, style), '');
  return parts.join('\n');
}
