// `ratchain explain`: one finding told as a story in plain words. Which record made each step and
// why that record counts, how it was tied to the agent, which steps are missing and what that
// means, and how every modifier and allowlist decision moved the score. Pure: Finding -> text.
import type { SourceRef } from '../model/event.ts';
import type { Finding, FindingStep, Reason, StepId } from '../model/finding.ts';
import { STEP_LABEL } from '../model/finding.ts';

const ANALYTIC_PLATFORM: Record<Finding['analytic'], string> = {
  AN1366: 'Windows',
  AN1367: 'Linux',
  AN1368: 'macOS',
};

/** Why a record of this kind is a step of DET0496 at all. */
export const WHY_STEP: Record<StepId, string> = {
  execution: 'the remote-access agent (or its GUI) started; that is step S1 of DET0496',
  persistence:
    'the agent registered itself to start again (service, Run key, scheduled task, startup item, systemd unit or launchd plist); that is step S2',
  egress:
    'the agent kept talking to an external destination outside ExternalIPAllowlist often or long enough to meet EgressHeuristics; that is step S3',
  control:
    "a shell, interpreter or file manager ran under the agent's process tree, i.e. someone is driving the host through it; that is step S4",
};

/** What a missing step means for the reader, so a partial chain is not read as a clean one. */
export const WHY_MISSING: Record<StepId, string> = {
  execution: 'the agent start was not in the data (it may predate the logs); later steps still tie to it',
  persistence:
    'portable agents often skip persistence; without it the chain scores lower, but the agent may not survive a reboot',
  egress:
    'no qualifying external connection was seen: the tool may use an allowlisted vendor cloud, or network telemetry is missing',
  control:
    'no shell or interpreter under the agent was seen: it may be an idle or view-only session, or child process events are missing',
};

/** Reasons that are the chain's base score rather than a modifier. */
const BASE_CODES = new Set(['steps']);

export function iso(t: number | undefined): string {
  return t === undefined || !Number.isFinite(t) ? 'unknown time' : new Date(t).toISOString();
}

export function sourceRef(src: SourceRef): string {
  const pos =
    src.line !== undefined ? `:${src.line}` : src.offset !== undefined ? ` at byte ${src.offset}` : '';
  const rec = src.record ? `, record ${src.record}` : '';
  const kind = src.eventId ? `${src.format} event ${src.eventId}` : src.format;
  return `${src.file}${pos} (${kind}${rec})`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : `${n}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function explainStep(s: FindingStep, lines: string[]): void {
  const label = STEP_LABEL[s.step];
  const when =
    s.first === s.last || s.last === undefined ? iso(s.first) : `${iso(s.first)} .. ${iso(s.last)}`;
  lines.push(`  ${label}: seen ${when}, ${plural(s.count, 'record')}`);
  lines.push(`    What happened: ${s.summary}`);
  lines.push(`    Why it counts: ${WHY_STEP[s.step]}.`);
  lines.push(`    Tied to the agent by: ${s.link ?? 'the same agent identity (no further detail recorded)'}`);
  const first = s.evidence[0];
  if (first) {
    lines.push(`    Made by: ${sourceRef(first.src)} at ${iso(first.time)}`);
    lines.push(`      "${first.summary}"`);
  }
  const more = s.evidence.slice(1);
  for (const e of more) lines.push(`    Also: ${sourceRef(e.src)} at ${iso(e.time)}: ${e.summary}`);
  const untold = s.count - s.evidence.length;
  if (untold > 0)
    lines.push(`    (${plural(untold, 'more record')} supported this step; evidence is capped)`);
}

function explainAgent(f: Finding, lines: string[]): void {
  const a = f.agent;
  lines.push('The agent');
  lines.push(`  Host ${f.host} (${f.platform})${f.user ? `, user ${f.user}` : ''}.`);
  if (a.images.length === 1) lines.push(`  Image: ${a.images[0]}`);
  else if (a.images.length > 1) {
    lines.push(`  ${a.images.length} images treated as one agent:`);
    for (const i of a.images) lines.push(`    - ${i}`);
  }
  if (a.tool) {
    const amb = a.tool.ambiguous?.length
      ? ` (the same evidence could also be ${a.tool.ambiguous.join(', ')})`
      : '';
    lines.push(
      `  Named ${a.tool.name} by the ${a.tool.catalog} catalogue, matched by ${a.tool.by.replace(/_/g, ' ')}${amb}.`,
    );
  } else {
    lines.push('  Not in any loaded catalogue: found by its behaviour alone.');
  }
  const meta = [
    a.originalFileName && `original file name ${a.originalFileName}`,
    a.product && `product ${a.product}`,
    a.company && `company ${a.company}`,
    a.signer && `signer ${a.signer}`,
  ].filter(Boolean);
  if (meta.length) lines.push(`  The binary says: ${meta.join(', ')}.`);
  if (a.hashes.length) lines.push(`  Hashes: ${a.hashes.join(', ')}`);
  lines.push(`  Agent key (what links the steps): ${a.key}`);
  for (const l of a.links) lines.push(`  Images linked because: ${l}`);
}

/** How each reason moved the score, in order, so the reader can redo the sum. */
function explainScore(f: Finding, lines: string[]): void {
  lines.push('How the score was reached');
  let total = 0;
  for (const r of f.reasons) {
    total += r.delta;
    const kind = BASE_CODES.has(r.code) ? 'base' : r.delta === 0 ? 'note' : 'modifier';
    lines.push(`  ${signed(r.delta).padStart(4)}  ${r.text}  [${kind}: ${r.code}]`);
  }
  const clamped = Math.max(0, Math.min(100, total));
  const clampNote = clamped !== total ? `, clamped to ${clamped}` : '';
  lines.push(`  ----`);
  lines.push(`  = ${total}${clampNote}: score ${f.score}, severity ${f.severity}.`);
  const mods = f.reasons.filter((r) => !BASE_CODES.has(r.code) && r.delta !== 0);
  const up = mods.filter((r) => r.delta > 0);
  const down = mods.filter((r) => r.delta < 0);
  if (up.length) lines.push(`  Raised by: ${up.map((r) => `${r.code} (${signed(r.delta)})`).join(', ')}.`);
  if (down.length)
    lines.push(`  Lowered by: ${down.map((r) => `${r.code} (${signed(r.delta)})`).join(', ')}.`);
}

function explainAllowlist(f: Finding, lines: string[]): void {
  const allowed = f.reasons.find((r: Reason) => r.code === 'allowlisted');
  const anomalous = f.reasons.find((r: Reason) => r.code === 'approved_but_anomalous');
  if (!allowed && !anomalous && !f.agent.approvedBy) return;
  lines.push('Allowlist');
  if (f.status === 'suppressed' || allowed) {
    lines.push(
      `  Suppressed: ${allowed?.text ?? `approved by ${f.agent.approvedBy}`}. The tool ran as approved (approved host, path and destinations), so the score was lowered by ${allowed ? -allowed.delta : 'its allowlist weight'} and the severity set to info. It is kept for the record, never hidden.`,
    );
  }
  if (anomalous) {
    lines.push(
      `  Not suppressed although approved: ${anomalous.text}. An approved tool that runs from an unexpected path, spawns a suspicious child or talks outside its allowed infrastructure still alerts.`,
    );
  }
}

/** "a.xml:4", "a.xml:6", "a.xml:7" → "a.xml lines 4, 6-7": the records an action cites, short. */
export function citeRecords(refs: readonly string[]): string {
  const byFile = new Map<string, string[]>();
  for (const r of refs) {
    const m = /^(.*?)([:@])(\d+)$/.exec(r);
    const file = m ? `${m[1]}${m[2] === '@' ? ' at byte' : ''}` : r;
    if (!byFile.has(file)) byFile.set(file, []);
    if (m) byFile.get(file)!.push(m[3]);
  }
  return [...byFile]
    .map(([file, nums]) => {
      if (!nums.length) return file;
      if (file.endsWith(' at byte')) return `${file}${nums.length > 1 ? 's' : ''} ${nums.join(', ')}`;
      const n = [...new Set(nums.map(Number))].sort((a, b) => a - b);
      const runs: string[] = [];
      for (let i = 0; i < n.length; i++) {
        let j = i;
        while (j + 1 < n.length && n[j + 1] === n[j] + 1) j++;
        runs.push(j > i ? `${n[i]}-${n[j]}` : `${n[i]}`);
        i = j;
      }
      return `${file} line${n.length > 1 ? 's' : ''} ${runs.join(', ')}`;
    })
    .join('; ');
}

/**
 * The remediation block as text: a heading, then each action, the command that does it (to
 * review before running) and the records it was read from.
 */
export function remediationLines(f: Finding): string[] {
  const actions = f.remediation ?? [];
  if (f.status === 'suppressed') return ['Remediation: none (an approved tool that behaved as approved).'];
  if (!actions.length) return ['Remediation: nothing named by the evidence; investigate the host.'];
  const lines = [
    f.status === 'signal'
      ? 'Remediation (a two-step signal: confirm it is unwanted before acting)'
      : 'Remediation (review each command before running it)',
  ];
  actions.forEach((a, i) => {
    lines.push(`  ${i + 1}. ${a.text}`);
    if (a.command) lines.push(`     $ ${a.command}`);
    lines.push(`     from ${citeRecords(a.evidence)}`);
  });
  return lines;
}

export function explainFinding(f: Finding): string {
  const lines: string[] = [];
  lines.push(`Finding ${f.id}${f.revision ? ` (revision ${f.revision})` : ''}`);
  lines.push(f.title);
  lines.push(
    `${f.severity.toUpperCase()} ${f.status}, score ${f.score}/100, confidence ${f.confidence.toFixed(2)}. MITRE ${f.strategy} analytic ${f.analytic} (${ANALYTIC_PLATFORM[f.analytic]}), ${f.technique.id} ${f.technique.name} (tactic ${f.technique.tactic}).`,
  );
  lines.push(`From ${iso(f.firstSeen)} to ${iso(f.lastSeen)}.`);
  if (f.summary) lines.push('', `In short: ${f.summary}`);
  lines.push('');
  explainAgent(f, lines);
  lines.push('');

  const seen = f.steps.filter((s) => s.seen).sort((a, b) => (a.first ?? 0) - (b.first ?? 0));
  lines.push(
    `The chain: ${f.stepCount} of 4 steps, ${f.inOrder ? 'in the canonical order (start, persistence, egress, control)' : 'not in the canonical order (real agents often connect before they install)'}`,
  );
  for (const s of seen) explainStep(s, lines);
  const missing = f.steps.filter((s) => !s.seen);
  if (missing.length) {
    lines.push('');
    lines.push(`Missing: ${missing.map((s) => STEP_LABEL[s.step]).join(', ')}`);
    for (const s of missing) {
      lines.push(`  ${STEP_LABEL[s.step]}: ${s.summary}`);
      lines.push(`    What that means: ${WHY_MISSING[s.step]}.`);
    }
  } else lines.push('  No step is missing.');

  if (f.egress.length) {
    lines.push('');
    lines.push('Destinations');
    for (const d of f.egress) {
      const parts = [plural(d.connections, 'connection')];
      if (d.durationSec !== undefined) parts.push(`longest ${d.durationSec} s`);
      if (d.bytesOut !== undefined || d.bytesIn !== undefined)
        parts.push(`${d.bytesOut ?? '?'} bytes out, ${d.bytesIn ?? '?'} in`);
      if (d.hostLevel) parts.push('seen only in network flows');
      lines.push(
        `  ${d.name ? `${d.name} ` : ''}${d.ip}${d.port !== undefined ? `:${d.port}` : ''}: ${parts.join(', ')}`,
      );
    }
  }
  lines.push('');
  explainScore(f, lines);
  const allow: string[] = [];
  explainAllowlist(f, allow);
  if (allow.length) lines.push('', ...allow);
  lines.push('', ...remediationLines(f));
  return `${lines.join('\n')}\n`;
}
