// Findings compared as the issue asks, by id: what each says (status, severity, score, each step
// seen and how many records support it), without where its evidence sits in the input (line
// numbers differ when lines move) or the revision it was streamed under.
import type { Finding } from '../../src/model/finding.ts';

export function verdict(f: Finding) {
  return {
    id: f.id,
    host: f.host,
    status: f.status,
    severity: f.severity,
    score: f.score,
    steps: f.steps.filter((s) => s.seen).map((s) => `${s.step}×${s.count}`),
  };
}

export function byId(fs: Iterable<Finding>): Array<ReturnType<typeof verdict>> {
  return [...fs].map(verdict).sort((a, b) => a.id.localeCompare(b.id));
}

/** NDJSON findings (`hunt --json`). */
export function parseFindings(stdout: string): Finding[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Finding);
}
