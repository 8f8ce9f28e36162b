// The HTML report: one self-contained file that opens offline. The findings are embedded once as
// JSON in a non-executing <script type="application/json">; the page's own script (script.ts)
// renders the overview, the list and one finding's timeline lazily with plain DOM calls.
// Finding text comes from hostile logs: the JSON is escaped so no string can close the script
// element, the page only ever sets text (never HTML), and a Content-Security-Policy allows no
// network access and only the page's own script (by hash), so an injected handler cannot run.
import { createHash } from 'node:crypto';
import type { Finding } from '../../model/finding.ts';
import { STEP_LABEL } from '../../model/finding.ts';
import type { RunSummary } from '../../model/run-summary.ts';
import { WHY_MISSING, WHY_STEP } from '../explain.ts';
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
<section>
<h2>Findings</h2>
<div class="filters">
<input id="q" type="search" placeholder="filter: host, tool, title, user, id, image" aria-label="filter findings">
<select id="sev-filter" aria-label="severity"><option value="">any severity</option><option>critical</option><option>high</option><option>medium</option><option>low</option><option>info</option></select>
<select id="status-filter" aria-label="status"><option value="">any status</option><option>alert</option><option>signal</option><option>suppressed</option></select>
<span id="active" class="muted"></span><button id="clear" hidden>clear filters</button>
<span id="count" class="muted"></span>
</div>
<div class="layout">
<div class="panel"><table id="list"><thead><tr><th>severity</th><th>score</th><th>finding</th><th>first seen</th></tr></thead><tbody id="rows"></tbody></table><button id="more" hidden>show more</button></div>
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
