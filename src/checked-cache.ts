// A cache for checks every command would otherwise repeat (the built-in catalogue and rule packs,
// checked with positions, cost a few hundred milliseconds). The checked result is kept as JSON in
// the user's own cache directory (never a shared temp directory: a planted cache could change what
// counts), keyed by everything the result depends on: the texts and the paths the result records
// (two installs with the same packs must not read each other's file names). Any cache trouble
// falls back to the check.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The built-in tool catalogue's source. */
export const CATALOG_ASSET = 'catalog/tools.yaml';

/**
 * What the build checks once and ships as JSON beside the bundle, by asset name (written by
 * scripts/build.ts, read by checked-builtins.built.ts): nothing is left to check or cache there.
 */
export const CHECKED_ASSETS = {
  catalog: 'catalog/tools.checked.json',
  rules: 'rules/builtin.checked.json',
  config: 'config/default.checked.json',
  /** The DFA of every built-in pattern (config/dfa), by dfa/match.ts's tableKey. */
  patterns: 'config/patterns.dfa.json',
} as const;

export function cachedCheck<T>(
  kind: string,
  inputs: readonly string[],
  check: () => T,
  usable: (cached: unknown) => cached is T,
): T {
  const hash = createHash('sha256').update(inputs.join('\0')).digest('hex').slice(0, 16);
  const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ratchain');
  const file = join(dir, `${kind}-${hash}.json`);
  try {
    const cached: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (usable(cached)) return cached;
  } catch {
    // no cache yet, or unreadable: check below
  }
  const result = check();
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, JSON.stringify(result));
    renameSync(tmp, file);
  } catch {
    // a read-only cache directory only costs the check next time
  }
  return result;
}
