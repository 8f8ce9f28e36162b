// Builds the DFA (dfa/match.ts) that answers `test` for one pattern: the program RE2 compiles
// (re2js, its instructions), determinised. Only the build runs this for the built-in patterns
// (the package ships the tables); a run from a clone builds them on first use.
//
// A state is the set of instructions the threads wait at between two characters, with what the
// previous character was (text start, word character, newline, other): enough to decide the
// empty-width assertions (^ $ \b \B, and their multi-line forms) before the next one. Every
// state also holds the pattern's start, as RE2's unanchored search does, so `test` finds a match
// anywhere. A state whose threads reach the pattern's end before a character is a match.
import { RE2JS } from 're2js';
import { DFA_ACCEPT, DFA_DEAD, type Dfa } from './match.ts';
import type { Program } from './program.ts';
import {
  ALT,
  ALT_MATCH,
  BEGIN_LINE,
  BEGIN_TEXT,
  CAPTURE,
  EMPTY_WIDTH,
  END_LINE,
  END_TEXT,
  FAIL,
  FOLD_CASE,
  isWordRune,
  MATCH,
  NO_WORD_BOUNDARY,
  NOP,
  RUNE,
  RUNE_ANY,
  RUNE_ANY_NOT_NL,
  WORD_BOUNDARY,
} from './re2-codes.ts';

/** Beyond this many states a pattern keeps RE2's own engine (its table would be too big). */
export const MAX_DFA_STATES = 2000;
/** Beyond this many classes of characters, likewise. */
const MAX_CLASSES = 250;
/**
 * Instructions visited while building one table, at most (about 0.2 s): a pattern of the user's
 * own with a big counted repeat (`[a-z]{1000}x`: 0.8 s) would otherwise hold up a run from a
 * clone. The built-in patterns need at most 176,000. Past it the pattern keeps RE2's engine.
 */
export const MAX_BUILD_STEPS = 1_000_000;

const MAX_RUNE = 0x10ffff;

interface Inst {
  op: number;
  out: number;
  arg: number;
  runes: ArrayLike<number>;
}

/** What the character before a position was. */
const AT_START = 0;
const AFTER_WORD = 1;
const AFTER_NEWLINE = 2;
const AFTER_OTHER = 3;

/**
 * The code points a case-folded single-rune instruction matches: RE2 folds an ASCII letter with
 * its other case, and "k" and "s" also with U+212A (Kelvin) and U+017F (long s). A folded
 * non-ASCII rune gives undefined (no DFA), and the pattern keeps RE2's engine.
 */
function foldOrbit(r: number): number[] | undefined {
  if (r >= 128) return undefined;
  const lower = r >= 65 && r <= 90 ? r + 32 : r;
  if (lower < 97 || lower > 122) return [r];
  const out = [lower - 32, lower];
  if (lower === 107) out.push(0x212a);
  if (lower === 115) out.push(0x17f);
  return out;
}

/** The ranges [lo, hi] a rune instruction matches, or undefined when it cannot be told here. */
function runeRanges(inst: Inst): Array<[number, number]> | undefined {
  if (inst.op === RUNE_ANY) return [[0, MAX_RUNE]];
  if (inst.op === RUNE_ANY_NOT_NL)
    return [
      [0, 9],
      [11, MAX_RUNE],
    ];
  const runes = Array.from(inst.runes);
  if (runes.length === 1) {
    const one = (inst.arg & FOLD_CASE) !== 0 ? foldOrbit(runes[0]) : [runes[0]];
    return one?.map((r) => [r, r]);
  }
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 1 < runes.length; i += 2) out.push([runes[i], runes[i + 1]]);
  return out;
}

/** Classes of code points no instruction, word test or newline test tells apart. */
interface Classes {
  /** Class of each interval [starts[i], starts[i+1]). */
  starts: number[];
  classOf: number[];
  count: number;
  word: boolean[];
  newline: boolean[];
  /** For each rune instruction (by pc), the classes it matches. */
  matches: Map<number, Set<number>>;
}

function classesOf(runes: Map<number, Array<[number, number]>>): Classes {
  const cuts = new Set([0, 10, 11, 48, 58, 65, 91, 95, 96, 97, 123, 128, MAX_RUNE + 1]);
  for (const ranges of runes.values())
    for (const [lo, hi] of ranges) {
      cuts.add(lo);
      cuts.add(hi + 1);
    }
  const bounds = [...cuts].sort((a, b) => a - b);
  const pcs = [...runes.keys()];
  const bySignature = new Map<string, number>();
  const starts: number[] = [];
  const classOf: number[] = [];
  const word: boolean[] = [];
  const newline: boolean[] = [];
  const members: number[][] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const lo = bounds[i];
    const inside = pcs.filter((pc) => runes.get(pc)!.some(([a, b]) => a <= lo && lo <= b));
    const w = isWordRune(lo);
    const nl = lo === 10;
    const signature = `${w ? 1 : 0}${nl ? 1 : 0}:${inside.join(',')}`;
    let k = bySignature.get(signature);
    if (k === undefined) {
      k = members.length;
      bySignature.set(signature, k);
      members.push(inside);
      word.push(w);
      newline.push(nl);
    }
    // Neighbouring intervals of one class are one interval.
    if (classOf.length && classOf[classOf.length - 1] === k) continue;
    starts.push(lo);
    classOf.push(k);
  }
  const matches = new Map<number, Set<number>>(pcs.map((pc) => [pc, new Set<number>()]));
  members.forEach((inside, k) => {
    for (const pc of inside) matches.get(pc)!.add(k);
  });
  return { starts, classOf, count: members.length, word, newline, matches };
}

/** The empty-width flags that hold between a character of kind `before` and one of class `k`. */
function flagsBefore(before: number, c: Classes, k: number): number {
  let f = 0;
  if (before === AT_START) f |= BEGIN_TEXT | BEGIN_LINE;
  if (before === AFTER_NEWLINE) f |= BEGIN_LINE;
  if (c.newline[k]) f |= END_LINE;
  f |= (before === AFTER_WORD) !== c.word[k] ? WORD_BOUNDARY : NO_WORD_BOUNDARY;
  return f;
}

/** The flags at the end of the text, after a character of kind `before`. */
function flagsAtEnd(before: number): number {
  let f = END_TEXT | END_LINE;
  if (before === AT_START) f |= BEGIN_TEXT | BEGIN_LINE;
  if (before === AFTER_NEWLINE) f |= BEGIN_LINE;
  return f | (before === AFTER_WORD ? WORD_BOUNDARY : NO_WORD_BOUNDARY);
}

/** Work done so far on one table (instructions visited). */
interface Budget {
  steps: number;
}

/**
 * The rune instructions `pcs` (and the start) lead to under `flags`, or null when one matches.
 * Throws TooBig when the build has done its share.
 */
function closure(prog: Inst[], start: number, pcs: number[], flags: number, budget: Budget): number[] | null {
  const seen = new Set<number>();
  const runes: number[] = [];
  const stack = [start, ...pcs];
  while (stack.length) {
    const pc = stack.pop()!;
    if (seen.has(pc)) continue;
    seen.add(pc);
    if (++budget.steps > MAX_BUILD_STEPS) throw new TooBig();
    const inst = prog[pc];
    switch (inst.op) {
      case MATCH:
        return null;
      case ALT:
      case ALT_MATCH:
        stack.push(inst.out, inst.arg);
        break;
      case CAPTURE:
      case NOP:
        stack.push(inst.out);
        break;
      case EMPTY_WIDTH:
        if ((inst.arg & ~flags) === 0) stack.push(inst.out);
        break;
      case FAIL:
        break;
      default:
        runes.push(pc);
    }
  }
  return runes;
}

/** The DFA of `source` (RE2 syntax), or undefined when it would be too big or uses what it cannot. */
export function buildDfa(source: string, caseSensitive: boolean): Dfa | undefined {
  return buildTables(source, caseSensitive)?.dfa;
}

/**
 * The DFA of `source` and the program its `exec` runs (dfa/program.ts), which reads characters
 * by the DFA's classes; undefined as for buildDfa.
 */
export function buildTables(
  source: string,
  caseSensitive: boolean,
): { dfa: Dfa; program: Program } | undefined {
  const re = RE2JS.compile(source, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE) as unknown as {
    re2Input: {
      prog: { inst: Inst[]; start: number };
      numSubexp: number;
      namedGroups: Record<string, number>;
    };
  };
  const prog = re.re2Input.prog.inst;
  const start = re.re2Input.prog.start;
  const runes = new Map<number, Array<[number, number]>>();
  for (let pc = 0; pc < prog.length; pc++) {
    const op = prog[pc].op;
    if (op >= RUNE && op <= RUNE_ANY_NOT_NL) {
      const r = runeRanges(prog[pc]);
      if (!r) return undefined;
      runes.set(pc, r);
    } else if (op > RUNE_ANY_NOT_NL || op < ALT) return undefined; // look-behind instructions
  }
  const c = classesOf(runes);
  if (c.count > MAX_CLASSES) return undefined;
  let dfa: Dfa;
  try {
    dfa = determinise(prog, start, c);
  } catch (e) {
    if (e instanceof TooBig) return undefined;
    throw e;
  }
  const program: Program = {
    start,
    ops: prog.map((i) => i.op),
    outs: prog.map((i) => i.out),
    args: prog.map((i) => i.arg),
    classes: prog.map((_, pc) => [...(c.matches.get(pc) ?? [])]),
    slots: 2 * (re.re2Input.numSubexp + 1),
    names: Object.entries(re.re2Input.namedGroups),
  };
  return { dfa, program };
}

/** Thrown when a table outgrows MAX_DFA_STATES or MAX_BUILD_STEPS. */
class TooBig {}

/** The subset construction over `prog`, state 0 at the text's start. */
function determinise(prog: Inst[], start: number, c: Classes): Dfa {
  // What a state must remember of the character before it: only what some assertion asks.
  const asks = prog.reduce((f, i) => (i.op === EMPTY_WIDTH ? f | i.arg : f), 0);
  const words = (asks & (WORD_BOUNDARY | NO_WORD_BOUNDARY)) !== 0;
  const lines = (asks & BEGIN_LINE) !== 0;
  const kindOf = (k: number) =>
    words && c.word[k] ? AFTER_WORD : lines && c.newline[k] ? AFTER_NEWLINE : AFTER_OTHER;
  const budget: Budget = { steps: 0 };
  const ids = new Map<string, number>();
  const states: Array<{ pcs: number[]; before: number }> = [];
  const idOf = (pcs: number[], before: number): number => {
    const key = `${before}|${pcs.join(',')}`;
    let id = ids.get(key);
    if (id === undefined) {
      if (states.length >= MAX_DFA_STATES) throw new TooBig();
      id = states.length;
      ids.set(key, id);
      states.push({ pcs, before });
    }
    return id;
  };
  idOf([], AT_START);
  const next: number[] = [];
  const acceptAtEnd: number[] = [];
  for (let s = 0; s < states.length; s++) {
    const { pcs, before } = states[s];
    acceptAtEnd.push(closure(prog, start, pcs, flagsAtEnd(before), budget) === null ? 1 : 0);
    for (let k = 0; k < c.count; k++) {
      const waiting = closure(prog, start, pcs, flagsBefore(before, c, k), budget);
      if (waiting === null) {
        next[s * c.count + k] = DFA_ACCEPT;
        continue;
      }
      const outs = new Set<number>();
      for (const pc of waiting) if (c.matches.get(pc)!.has(k)) outs.add(prog[pc].out);
      next[s * c.count + k] = idOf(
        [...outs].sort((a, b) => a - b),
        kindOf(k),
      );
    }
  }
  markDead(next, acceptAtEnd, c.count);
  return { classes: c.count, starts: c.starts, classOf: c.classOf, next, acceptAtEnd };
}

/** States from which no text can reach a match become DFA_DEAD, so `test` stops there. */
function markDead(next: number[], acceptAtEnd: number[], classes: number): void {
  const states = acceptAtEnd.length;
  const live = acceptAtEnd.map((a) => a === 1);
  for (let changed = true; changed; ) {
    changed = false;
    for (let s = 0; s < states; s++) {
      if (live[s]) continue;
      for (let k = 0; k < classes; k++) {
        const t = next[s * classes + k];
        if (t === DFA_ACCEPT || (t !== DFA_DEAD && live[t])) {
          live[s] = true;
          changed = true;
          break;
        }
      }
    }
  }
  for (let i = 0; i < next.length; i++) if (next[i] !== DFA_ACCEPT && !live[next[i]]) next[i] = DFA_DEAD;
}
