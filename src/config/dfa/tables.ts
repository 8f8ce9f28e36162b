// The DFA of a pattern when ratchain runs from its sources: built on first use and kept for the
// process. The package reads the build's tables instead (tables.built.ts, swapped in by the
// build), so it never loads the builder or compiles with RE2 to get one.
import { buildDfa } from './build.ts';
import { type RunnableDfa, runnable, tableKey } from './match.ts';

const built = new Map<string, RunnableDfa | null>();

/** The DFA of a pattern, or undefined when it has none (too big): RE2's engine runs it then. */
export function dfaFor(source: string, caseSensitive: boolean): RunnableDfa | undefined {
  const key = tableKey(source, caseSensitive);
  let d = built.get(key);
  if (d === undefined) {
    const dfa = buildDfa(source, caseSensitive);
    d = dfa ? runnable(dfa) : null;
    built.set(key, d);
  }
  return d ?? undefined;
}
