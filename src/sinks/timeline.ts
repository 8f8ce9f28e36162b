// The timeline: one row per record behind each step of each finding, in time order, as CSV or
// JSONL that Timesketch imports as it is (message, datetime, timestamp_desc; timestamp in
// microseconds) and that Hayabusa/Chainsaw users sort and filter in a spreadsheet. A CSV cell that
// a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with a quote.
import type { Evidence, Finding, StepId } from '../model/finding.ts';
import { STEP_LABEL } from '../model/finding.ts';
import { recordTechnique } from './attack.ts';

export type TimelineFormat = 'csv' | 'jsonl';

/** What the row's time is, in Timesketch's words. */
const TIMESTAMP_DESC: Record<StepId, string> = {
  execution: 'Process Start',
  persistence: 'Persistence Entry',
  egress: 'Connection',
  control: 'Child Process Start',
};

export const TIMELINE_COLUMNS = [
  'datetime',
  'timestamp',
  'timestamp_desc',
  'message',
  'host',
  'finding_id',
  'severity',
  'status',
  'score',
  'tool',
  'analytic',
  'step',
  'technique',
  'summary',
  'pid',
  'process',
  'command_line',
  'parent_process',
  'user',
  'file_path',
  'entry',
  'registry_key',
  'dst_ip',
  'dst_port',
  'dst_name',
  'source_file',
  'source_line',
  'source_offset',
  'source_record',
  'event_id',
  'format',
] as const;

export type TimelineRow = Partial<Record<(typeof TIMELINE_COLUMNS)[number], string | number>>;

function row(f: Finding, step: StepId, e: Evidence): TimelineRow {
  const tool = f.agent.tool?.name ?? f.agent.names[0] ?? f.agent.key;
  const p = e.process;
  const ep = e.endpoint;
  const technique = recordTechnique(step, e)?.id ?? f.technique.id;
  const out: TimelineRow = {
    datetime: new Date(e.time).toISOString(),
    timestamp: e.time * 1000,
    timestamp_desc: TIMESTAMP_DESC[step],
    message: `${STEP_LABEL[step]}: ${e.summary} [${tool} on ${f.host}, ${f.severity}]`,
    host: f.host,
    finding_id: f.id,
    severity: f.severity,
    status: f.status,
    score: f.score,
    tool,
    analytic: f.analytic,
    step: STEP_LABEL[step],
    technique,
    summary: e.summary,
    pid: p?.pid,
    process: p?.image,
    command_line: p?.commandLine,
    parent_process: p?.parent?.image,
    user: p?.user,
    file_path: e.file?.path,
    entry: e.entry ? `${e.entry.mechanism} ${e.entry.name}` : undefined,
    registry_key: e.registry?.key,
    dst_ip: ep?.ip || undefined,
    dst_port: ep?.port,
    dst_name: ep?.name,
    source_file: e.src.file,
    source_line: e.src.line,
    source_offset: e.src.offset,
    source_record: e.src.record,
    event_id: e.src.eventId,
    format: e.src.format,
  };
  for (const k of Object.keys(out) as Array<keyof TimelineRow>) if (out[k] === undefined) delete out[k];
  return out;
}

/** A finding's rows, in time order. */
export function timelineRows(f: Finding): TimelineRow[] {
  return f.steps
    .filter((s) => s.seen)
    .flatMap((s) => s.evidence.map((e) => row(f, s.step, e)))
    .sort((a, b) => (a.timestamp as number) - (b.timestamp as number));
}

/** RFC 4180 quoting, with formula-looking cells defused for spreadsheets. */
function csvCell(v: string | number | undefined): string {
  if (v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function timelineHeader(format: TimelineFormat): string {
  return format === 'csv' ? `${TIMELINE_COLUMNS.join(',')}\n` : '';
}

export function timelineLine(r: TimelineRow, format: TimelineFormat): string {
  if (format === 'jsonl') return `${JSON.stringify(r)}\n`;
  return `${TIMELINE_COLUMNS.map((c) => csvCell(r[c])).join(',')}\n`;
}

/** CSV for a .csv file name, JSONL for .jsonl/.ndjson/.json, else undefined. */
export function timelineFormatOf(path: string): TimelineFormat | undefined {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return 'jsonl';
  return undefined;
}
