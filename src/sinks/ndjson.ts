// Findings as NDJSON in ratchain's own schema (schema/finding.schema.json), one per line.
import type { Finding } from '../model/finding.ts';

export function findingLine(f: Finding): string {
  return `${JSON.stringify(f)}\n`;
}
