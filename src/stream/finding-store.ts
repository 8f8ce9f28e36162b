// The latest revision of each finding, for the findings API. Bounded: when full, the finding
// updated longest ago is forgotten (it stays in the NDJSON/SSE stream that already carried it).
import { type Finding, SEVERITIES, type Severity } from '../model/finding.ts';

export interface FindingStore {
  put(f: Finding): void;
  get(id: string): Finding | undefined;
  /** Most recently updated first. */
  list(minSeverity?: Severity): Finding[];
  size(): number;
}

export function createFindingStore(capacity: number): FindingStore {
  const byId = new Map<string, Finding>();
  return {
    put(f) {
      const old = byId.get(f.id);
      if (old && old.revision > f.revision) return;
      byId.delete(f.id);
      byId.set(f.id, f);
      if (byId.size > capacity) byId.delete(byId.keys().next().value!);
    },
    get: (id) => byId.get(id),
    list(minSeverity) {
      const min = minSeverity ? SEVERITIES.indexOf(minSeverity) : 0;
      return [...byId.values()].reverse().filter((f) => SEVERITIES.indexOf(f.severity) >= min);
    },
    size: () => byId.size,
  };
}
