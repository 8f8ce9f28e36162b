// The package's dfa/tables.ts: the tables the build made for every built-in pattern, read from
// their asset when a pattern is first tested. A pattern of the user's own has none and runs on
// RE2's engine.
import { endianness } from 'node:os';
import { readOptionalAsset } from '../../assets.ts';
import { CHECKED_ASSETS } from '../../checked-cache.ts';
import { decodeDfa, type RunnableDfa, tableKey } from './match.ts';
import type * as Source from './tables.ts';

let tables: Record<string, string> | undefined;
const ready = new Map<string, RunnableDfa>();

export const dfaFor: typeof Source.dfaFor = (source, caseSensitive) => {
  const key = tableKey(source, caseSensitive);
  let d = ready.get(key);
  if (d) return d;
  // The tables are little-endian and read as typed arrays, which have the machine's byte order.
  tables ??=
    endianness() === 'LE'
      ? (JSON.parse(readOptionalAsset(CHECKED_ASSETS.patterns) ?? '{}') as Record<string, string>)
      : {};
  const dfa = tables[key];
  if (!dfa) return undefined;
  d = decodeDfa(dfa);
  ready.set(key, d);
  return d;
};
