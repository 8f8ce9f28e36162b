// The DFA and program of a pattern when ratchain runs from its sources: built on first use and
// kept for the process. The package reads the build's tables instead (tables.built.ts, swapped
// in by the build), so it never loads the builder or compiles with RE2 to get them.
import { buildTables } from './build.ts';
import { type RunnableDfa, runnable, tableKey } from './match.ts';
import { decodeProgram, encodeProgram, type RunnableProgram } from './program.ts';

export interface PatternTables {
  dfa: RunnableDfa;
  program: RunnableProgram;
}

const built = new Map<string, PatternTables | null>();

/** The tables of a pattern, or undefined when it has none (too big): re2js runs it then. */
export function tablesFor(source: string, caseSensitive: boolean): PatternTables | undefined {
  const key = tableKey(source, caseSensitive);
  let t = built.get(key);
  if (t === undefined) {
    const b = buildTables(source, caseSensitive);
    t = b ? { dfa: runnable(b.dfa), program: decodeProgram(encodeProgram(b.program, b.dfa.classes)) } : null;
    built.set(key, t);
  }
  return t ?? undefined;
}
