// `exec` of a pattern without re2js: RE2's program (the build ships it beside the DFA), run as
// RE2's NFA runs it, thread by thread in priority order, so the groups are those RE2 reports
// (leftmost-first). Linear: each position holds each instruction at most once. Only texts
// `test` said match get here, a few dozen in a hunt, so what this saves is re2js's compile and
// warm-up, not the walk.
import { type RunnableDfa, wideClass } from './match.ts';
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
  isWordRune,
  MATCH,
  NO_WORD_BOUNDARY,
  NOP,
  WORD_BOUNDARY,
} from './re2-codes.ts';

/** A program as the build writes it. `classes[pc]`: the DFA classes a rune instruction takes. */
export interface Program {
  start: number;
  ops: number[];
  outs: number[];
  args: number[];
  classes: number[][];
  /** Capture slots: two per group, group 0 (the match) included. */
  slots: number;
  /** Named groups and their numbers. */
  names: Array<[string, number]>;
}

export interface RunnableProgram {
  start: number;
  ops: Int32Array;
  outs: Int32Array;
  args: Int32Array;
  /** words bits per instruction: bit k set when it takes class k. */
  bits: Uint32Array;
  words: number;
  slots: number;
  names: Array<[string, number]>;
}

export function encodeProgram(p: Program, classes: number): string {
  const words = Math.ceil(classes / 32) || 1;
  const n = p.ops.length;
  const ints = new Int32Array(4 + 3 * n + words * n);
  ints.set([p.start, n, p.slots, words]);
  ints.set(p.ops, 4);
  ints.set(p.outs, 4 + n);
  ints.set(p.args, 4 + 2 * n);
  p.classes.forEach((ks, pc) => {
    for (const k of ks) ints[4 + 3 * n + pc * words + (k >> 5)] |= 1 << (k & 31);
  });
  const names = p.names.map(([name, i]) => `${name}:${i}`).join(',');
  return `${Buffer.from(ints.buffer).toString('base64')}${names ? `;${names}` : ''}`;
}

export function decodeProgram(text: string): RunnableProgram {
  const [wire, names = ''] = text.split(';');
  const ints = new Int32Array(Uint8Array.from(Buffer.from(wire, 'base64')).buffer);
  const [start, n, slots, words] = ints;
  return {
    start,
    slots,
    words,
    ops: ints.subarray(4, 4 + n),
    outs: ints.subarray(4 + n, 4 + 2 * n),
    args: ints.subarray(4 + 2 * n, 4 + 3 * n),
    bits: new Uint32Array(ints.buffer, 4 * (4 + 3 * n), words * n),
    names: names
      ? names.split(',').map((x) => {
          const at = x.lastIndexOf(':');
          return [x.slice(0, at), Number(x.slice(at + 1))] as [string, number];
        })
      : [],
  };
}

/** The assertions that hold at `pos`, from the code units on either side, as RE2 reads them. */
function flagsAt(text: string, pos: number): number {
  const before = pos > 0 ? text.charCodeAt(pos - 1) : -1;
  const after = pos < text.length ? text.charCodeAt(pos) : -1;
  let f = 0;
  if (before < 0) f |= BEGIN_TEXT | BEGIN_LINE;
  if (before === 10) f |= BEGIN_LINE;
  if (after < 0) f |= END_TEXT | END_LINE;
  if (after === 10) f |= END_LINE;
  return f | (isWordRune(before) !== isWordRune(after) ? WORD_BOUNDARY : NO_WORD_BOUNDARY);
}

/** The threads at one position, in priority order, each instruction once. */
class Threads {
  pcs: Int32Array;
  caps: Int32Array[] = [];
  size = 0;
  private seen: Int32Array;
  private stamp = 1;
  constructor(n: number) {
    this.pcs = new Int32Array(n);
    this.seen = new Int32Array(n);
  }
  clear(): void {
    this.size = 0;
    this.stamp++;
  }
  /** Marks `pc` visited; false when it already was at this position. */
  visit(pc: number): boolean {
    if (this.seen[pc] === this.stamp) return false;
    this.seen[pc] = this.stamp;
    return true;
  }
  push(pc: number, caps: Int32Array): void {
    this.pcs[this.size] = pc;
    this.caps[this.size++] = caps;
  }
}

/** Follows `pc` through the instructions that take no character, adding where threads wait. */
function add(
  p: RunnableProgram,
  list: Threads,
  pc: number,
  pos: number,
  caps: Int32Array,
  flags: number,
): void {
  if (!list.visit(pc)) return;
  switch (p.ops[pc]) {
    case ALT:
    case ALT_MATCH:
      add(p, list, p.outs[pc], pos, caps, flags);
      add(p, list, p.args[pc], pos, caps, flags);
      return;
    case NOP:
      add(p, list, p.outs[pc], pos, caps, flags);
      return;
    case CAPTURE: {
      const slot = p.args[pc];
      if (slot < p.slots) {
        const copy = caps.slice();
        copy[slot] = pos;
        add(p, list, p.outs[pc], pos, copy, flags);
      } else add(p, list, p.outs[pc], pos, caps, flags);
      return;
    }
    case EMPTY_WIDTH:
      if ((p.args[pc] & ~flags) === 0) add(p, list, p.outs[pc], pos, caps, flags);
      return;
    case FAIL:
      return;
    default:
      list.push(pc, caps); // MATCH or a rune instruction
  }
}

/** The capture slots of the first match at or after `from` (RE2's leftmost-first), or null. */
export function programExec(
  p: RunnableProgram,
  d: RunnableDfa,
  text: string,
  from: number,
): Int32Array | null {
  const n = text.length;
  let now = new Threads(p.ops.length);
  let next = new Threads(p.ops.length);
  let matched: Int32Array | null = null;
  for (let pos = from; ; ) {
    if (matched === null) {
      const caps = new Int32Array(p.slots).fill(-1);
      caps[0] = pos;
      add(p, now, p.start, pos, caps, flagsAt(text, pos));
    }
    // No thread left: done when one matched, else the next position starts afresh.
    if (now.size === 0 && matched !== null) break;
    let c = pos < n ? text.charCodeAt(pos) : -1;
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff && pos + 1 < n) {
      const low = text.charCodeAt(pos + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = (c - 0xd800) * 1024 + (low - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    const k = c < 0 ? -1 : c < 128 ? d.ascii[c] : wideClass(d, c);
    const flags = c < 0 ? 0 : flagsAt(text, pos + width);
    for (let i = 0; i < now.size; i++) {
      const pc = now.pcs[i];
      if (p.ops[pc] === MATCH) {
        matched = now.caps[i].slice();
        matched[1] = pos;
        break; // the threads after this one could only find a match RE2 would not prefer
      }
      if (k >= 0 && (p.bits[pc * p.words + (k >> 5)] & (1 << (k & 31))) !== 0)
        add(p, next, p.outs[pc], pos + width, now.caps[i], flags);
    }
    if (c < 0) break;
    [now, next] = [next, now];
    next.clear();
    pos += width;
  }
  return matched;
}

/** The match as RegExp.exec gives it (and re2js's exec): groups, index, input, named groups. */
export function execArray(p: RunnableProgram, text: string, caps: Int32Array): RegExpExecArray {
  const groups: Array<string | undefined> = [];
  for (let g = 0; 2 * g + 1 < p.slots; g++)
    groups.push(
      caps[2 * g] >= 0 && caps[2 * g + 1] >= 0 ? text.slice(caps[2 * g], caps[2 * g + 1]) : undefined,
    );
  const out = groups as unknown as RegExpExecArray;
  out.index = caps[0];
  out.input = text;
  let named: Record<string, string | undefined> | undefined;
  if (p.names.length) {
    named = Object.create(null) as Record<string, string | undefined>;
    for (const [name, g] of p.names) named[name] = groups[g];
  }
  out.groups = named as RegExpExecArray['groups'];
  return out;
}

/**
 * `replacement` for the match `m` of `text`, by String.prototype.replace's rules (as re2js
 * applies them): $$, $&, $`, $', $n and $nn (two digits only when they name a group), and
 * $<name> when the pattern has named groups; anything else as written.
 */
export function substitute(m: RegExpExecArray, text: string, replacement: string, named: boolean): string {
  const groupCount = m.length - 1;
  const end = m.index + m[0].length;
  let out = '';
  let i = 0;
  for (let dollar = replacement.indexOf('$'); dollar >= 0; dollar = replacement.indexOf('$', i)) {
    out += replacement.slice(i, dollar);
    i = dollar;
    const c = replacement.charCodeAt(i + 1);
    if (c === 36 /* $ */) {
      out += '$';
      i += 2;
    } else if (c === 38 /* & */) {
      out += m[0];
      i += 2;
    } else if (c === 96 /* ` */) {
      out += text.slice(0, m.index);
      i += 2;
    } else if (c === 39 /* ' */) {
      out += text.slice(end);
      i += 2;
    } else if (c >= 48 && c <= 57) {
      let digits = 1;
      let index = c - 48;
      const c2 = replacement.charCodeAt(i + 2);
      if (c2 >= 48 && c2 <= 57 && index * 10 + c2 - 48 <= groupCount) {
        digits = 2;
        index = index * 10 + c2 - 48;
      }
      if (index >= 1 && index <= groupCount) out += m[index] ?? '';
      else out += replacement.slice(i, i + 1 + digits);
      i += 1 + digits;
    } else if (c === 60 /* < */ && named) {
      const gt = replacement.indexOf('>', i + 2);
      if (gt < 0) {
        out += '$<';
        i += 2;
      } else {
        const name = replacement.slice(i + 2, gt);
        if (m.groups && Object.hasOwn(m.groups, name)) out += m.groups[name] ?? '';
        i = gt + 1;
      }
    } else {
      out += '$';
      i += 1;
    }
  }
  return out + replacement.slice(i);
}
