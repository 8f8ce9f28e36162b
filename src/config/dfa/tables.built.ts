// The package's dfa/tables.ts: the tables the build made for every built-in pattern, read from
// their asset when a pattern is first tested. A pattern of the user's own has none and runs on
// re2js.
import { endianness } from 'node:os';
import { readOptionalAsset } from '../../assets.ts';
import { CHECKED_ASSETS } from '../../checked-cache.ts';
import { decodeDfa, tableKey } from './match.ts';
import { decodeProgram } from './program.ts';
import type * as Source from './tables.ts';

/** Each pattern's DFA and program, base64, one space between them. */
let shipped: Record<string, string> | undefined;
const ready = new Map<string, Source.PatternTables>();

export const tablesFor: typeof Source.tablesFor = (source, caseSensitive) => {
  const key = tableKey(source, caseSensitive);
  let t = ready.get(key);
  if (t) return t;
  // The tables are little-endian and read as typed arrays, which have the machine's byte order.
  shipped ??=
    endianness() === 'LE'
      ? (JSON.parse(readOptionalAsset(CHECKED_ASSETS.patterns) ?? '{}') as Record<string, string>)
      : {};
  const wire = shipped[key];
  if (!wire) return undefined;
  const space = wire.indexOf(' ');
  t = { dfa: decodeDfa(wire.slice(0, space)), program: decodeProgram(wire.slice(space + 1)) };
  ready.set(key, t);
  return t;
};
