// Runs `watch()` in-process for tests and lets a test await what it is waiting for (a finding,
// a number of events) instead of sleeping: every callback re-checks the pending conditions.
import { builtinCatalog } from '../../src/catalog/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import type { Problem } from '../../src/ingest/reader.ts';
import type { Finding } from '../../src/model/finding.ts';
import type { FindingKind, LiveStats } from '../../src/stream/live-engine.ts';
import { type WatchSummary, watch } from '../../src/stream/watch.ts';

export function defaultConfig(): Config {
  const r = loadConfig(undefined);
  if (!r.ok) throw new Error('default config does not load');
  return r.config;
}

export interface Watching {
  findings: Array<{ f: Finding; kind: FindingKind }>;
  problems: Problem[];
  stats(): LiveStats | undefined;
  /** Latest revision per finding id. */
  latest(): Map<string, Finding>;
  until(what: string, cond: () => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<WatchSummary>;
  /** Resolves when the watch ends by itself (stdin closed). */
  ended(): Promise<WatchSummary>;
}

export interface WatchExtra {
  stdin?: NodeJS.ReadableStream;
  reorderMs?: number;
  idleFlushMs?: number;
}

export function startWatch(inputs: string[], extra: WatchExtra = {}): Watching {
  const findings: Watching['findings'] = [];
  const problems: Problem[] = [];
  let stats: LiveStats | undefined;
  const waiters = new Set<() => void>();
  const tick = () => {
    for (const w of [...waiters]) w();
  };
  const ctl = new AbortController();
  const done = watch({
    inputs,
    config: defaultConfig(),
    catalog: builtinCatalog(),
    reorderMs: extra.reorderMs ?? 5_000,
    idleFlushMs: extra.idleFlushMs ?? 30,
    pollMs: 15,
    signal: ctl.signal,
    stdin: extra.stdin,
    onFinding(f, kind) {
      findings.push({ f, kind });
      tick();
    },
    onProblem(p) {
      problems.push(p);
      tick();
    },
    onProgress(s) {
      stats = s;
      tick();
    },
  });
  let summary: WatchSummary | undefined;
  done.then((s) => {
    summary = s;
    tick();
  });
  return {
    findings,
    problems,
    stats: () => stats,
    latest() {
      const m = new Map<string, Finding>();
      for (const { f } of findings) if ((m.get(f.id)?.revision ?? -1) <= f.revision) m.set(f.id, f);
      return m;
    },
    until(what, cond, timeoutMs = 60_000) {
      if (cond()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!cond()) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    ended: () => done,
    async stop() {
      ctl.abort();
      return summary ?? (await done);
    },
  };
}
