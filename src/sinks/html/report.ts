// The HTML report: one self-contained file that opens offline. The findings are embedded once as
// JSON in a non-executing <script type="application/json">, with each finding's ATT&CK techniques
// and the raw records behind its evidence (re-read from the inputs when the report is written);
// the page's own script (script.ts) renders the overview, fleet timeline, list and one finding's
// detail lazily with plain DOM calls.
// Finding text comes from hostile logs: the JSON is escaped so no string can close the script
// element, the page only ever sets text (never HTML), and a Content-Security-Policy allows no
// network access and only the page's own script (by hash), so an injected handler cannot run.
import { createHash } from 'node:crypto';
import type { RawRecord } from '../../ingest/raw-record.ts';
import type { Finding } from '../../model/finding.ts';
import { STEP_LABEL } from '../../model/finding.ts';
import type { RunSummary } from '../../model/run-summary.ts';
import { STRATEGY, techniqueUrl } from '../analytic.ts';
import { techniquesOf } from '../attack.ts';
import { WHY_MISSING, WHY_STEP } from '../explain.ts';
import { terminalSafeLines } from '../terminal-text.ts';
import { REPORT_JS } from './script.ts';
import { REPORT_CSS } from './style.ts';

/** What the report shows about the run; a subset of the hunt's RunSummary. */
export interface ReportRun {
  inputs: number;
  bytes: number;
  events: number;
  problems: number;
  minTime?: number;
  maxTime?: number;
  seconds: number;
}

export function reportRun(s: RunSummary): ReportRun {
  return {
    inputs: s.inputs.length,
    bytes: s.bytes,
    events: s.events,
    problems: s.problems,
    minTime: s.minTime,
    maxTime: s.maxTime,
    seconds: s.seconds,
  };
}

/** JSON that is safe inside a <script> element: no "<", ">" or "&" and no JS line separators. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

const SCRIPT_HASH = `sha256-${createHash('sha256').update(REPORT_JS).digest('base64')}`;

export interface HtmlOptions {
  title?: string;
  /** Shown in the header; defaults to now. Tests pass a fixed time. */
  generated?: Date;
  /** The raw records behind the evidence, by rawKey (src/ingest/raw-record.ts). */
  raw?: Map<string, RawRecord>;
}

/** The sort orders a phone offers in a select: its table hides the tool and time columns. */
const SORT_OPTIONS = (
  [
    ['severity:1', 'most severe first'],
    ['severity:-1', 'least severe first'],
    ['score:1', 'highest score first'],
    ['score:-1', 'lowest score first'],
    ['host:1', 'host A to Z'],
    ['host:-1', 'host Z to A'],
    ['tool:1', 'tool A to Z'],
    ['tool:-1', 'tool Z to A'],
    ['first:1', 'earliest first'],
    ['first:-1', 'latest first'],
  ] as const
)
  .map(([v, label]) => `<option value="${v}">${label}</option>`)
  .join('');

/** A raw record shown as its lines, every other control or format character escaped. */
function visibleRecord(r: RawRecord): RawRecord {
  return { ...r, text: terminalSafeLines(r.text) };
}

/** Each finding's technique ids (parallel to the findings), and the techniques named once. */
function attackData(findings: Finding[]): { attack: string[][]; techniques: Record<string, object> } {
  const techniques: Record<string, object> = {};
  const attack = findings.map((f) =>
    techniquesOf(f).map(({ technique: t, step }) => {
      techniques[t.id] ??= {
        name: t.name,
        tactic: t.tactic,
        url: techniqueUrl(t.id),
        why: t.id === 'T1219' ? 'the chain itself' : `seen at ${STEP_LABEL[step]}`,
      };
      return t.id;
    }),
  );
  return { attack, techniques };
}

export function renderHtml(
  findings: Finding[],
  summary?: RunSummary | ReportRun,
  opts: HtmlOptions = {},
): string {
  const run = summary
    ? 'seconds' in summary && Array.isArray(summary.inputs)
      ? reportRun(summary as RunSummary)
      : (summary as ReportRun)
    : null;
  const generated = (opts.generated ?? new Date()).toISOString();
  const title = opts.title ?? 'ratchain report';
  const data = {
    generated,
    summary: run,
    texts: { stepLabel: STEP_LABEL, whyStep: WHY_STEP, whyMissing: WHY_MISSING },
    strategyUrl: STRATEGY.url,
    ...attackData(findings),
    raw: Object.fromEntries([...(opts.raw ?? new Map())].map(([k, r]) => [k, visibleRecord(r)])),
    findings,
  };
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '${SCRIPT_HASH}'; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><div class="sub">MITRE ATT&amp;CK DET0496 / T1219 remote access tool chains &middot; ${findings.length} findings &middot; generated ${escapeHtml(generated)}</div></header>
<main>
<section id="run"><h2>Run</h2></section>
<section><h2>Overview</h2><div id="overview"></div></section>
<section id="fleet"><h2>Fleet timeline</h2>
<div class="filters">
<label>from <input id="from" type="datetime-local" step="1" aria-label="from (UTC)"></label>
<label>to <input id="to" type="datetime-local" step="1" aria-label="to (UTC)"></label>
<span class="muted">UTC; or drag across the chart</span>
<button id="zoom-in" type="button" title="zoom in">+</button><button id="zoom-out" type="button" title="zoom out">&minus;</button><button id="zoom-reset" type="button">whole range</button>
</div>
<div class="panel"><div id="fleet-chart"></div><div id="fleet-info" class="muted"></div></div>
</section>
<section>
<h2>Findings</h2>
<div class="filters">
<input id="q" type="search" placeholder="filter: host, tool, title, user, id, image" aria-label="filter findings">
<select id="sev-filter" aria-label="severity"><option value="">any severity</option><option>critical</option><option>high</option><option>medium</option><option>low</option><option>info</option></select>
<select id="status-filter" aria-label="status"><option value="">any status</option><option>alert</option><option>signal</option><option>suppressed</option></select>
<select id="sort-by" class="narrow-only" aria-label="sort by">${SORT_OPTIONS}</select>
<span id="active" class="muted"></span><button id="clear" type="button" hidden>clear filters</button>
<span id="count" class="muted"></span>
<span class="export">export shown: <button id="export-csv" type="button">CSV</button><button id="export-json" type="button">JSON</button></span>
</div>
<div class="layout">
<div class="panel list-panel"><div class="scroll"><table id="list"><thead><tr><th data-sort="severity" aria-sort="ascending">severity</th><th data-sort="score" aria-sort="none">score</th><th data-sort="host" aria-sort="none">finding (sort by host)</th><th data-sort="tool" aria-sort="none" class="col-tool">tool</th><th data-sort="first" aria-sort="none" class="col-time">first seen</th></tr></thead><tbody id="rows"></tbody></table></div><button id="more" type="button" hidden>show more</button></div>
<div class="panel" id="detail"></div>
</div>
</section>
</main>
<script type="application/json" id="report-data">${scriptSafeJson(data)}</script>
<script>${REPORT_JS}</script>
</body>
</html>
`;
}
