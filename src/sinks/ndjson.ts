// Findings as NDJSON in ratchain's own schema (schema/finding.schema.json), one per line.
//
// `findingJson` is JSON.stringify(f), character for character, with each evidence record's text
// written once: live modes send every revision of a finding whole (serve's stream, the JetStream
// findings subject), a revision repeats the records of the one before, and records are most of
// a finding's bytes (about 9 of 13 KB on the serve benchmark's fleet). The engine never changes
// a record once it is recorded, so the record itself is the cache key, and a record no finding
// holds any more takes its text with it (WeakMap).
import type { Evidence, Finding, FindingStep } from '../model/finding.ts';

const evidenceText = new WeakMap<Evidence, string>();

function recordJson(e: Evidence): string {
  let text = evidenceText.get(e);
  if (text === undefined) {
    text = JSON.stringify(e);
    evidenceText.set(e, text);
  }
  return text;
}

/**
 * JSON.stringify(o) where o[key] is already JSON (`raw`), keeping o's key order. The members
 * before and after `key` are written by JSON.stringify itself, so escapes, skipped undefined
 * values and number forms stay its own.
 */
function withMember(o: object, key: string, raw: string): string {
  const before: Record<string, unknown> = Object.create(null);
  const after: Record<string, unknown> = Object.create(null);
  let past = false;
  for (const [k, v] of Object.entries(o)) {
    if (k === key) past = true;
    else (past ? after : before)[k] = v;
  }
  const head = JSON.stringify(before);
  const tail = JSON.stringify(after);
  return `${head.length > 2 ? `${head.slice(0, -1)},` : '{'}${JSON.stringify(key)}:${raw}${tail.length > 2 ? `,${tail.slice(1)}` : '}'}`;
}

function stepJson(s: FindingStep): string {
  let records = '';
  for (const e of s.evidence) records += `${records ? ',' : ''}${recordJson(e)}`;
  return withMember(s, 'evidence', `[${records}]`);
}

/** JSON.stringify(f), each evidence record's text reused from earlier revisions. */
export function findingJson(f: Finding): string {
  let steps = '';
  for (const s of f.steps) steps += `${steps ? ',' : ''}${stepJson(s)}`;
  return withMember(f, 'steps', `[${steps}]`);
}

export function findingLine(f: Finding): string {
  return `${findingJson(f)}\n`;
}
