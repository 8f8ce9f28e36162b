// `test` of a pattern as one table walk: a character's class, then the next state, until a state
// says "matched" or "cannot match", or the text ends. Linear in the text like RE2, but without
// compiling RE2's program at run time or warming its engine up: a hunt of a few files ran a few
// hundred tests through re2js, and compiling and first runs were most of their cost.
// dfa/build.ts makes the tables; the package ships those of the built-in patterns.

/** The table of one pattern, as the build writes it (JSON). */
export interface Dfa {
  /** Number of character classes. */
  classes: number;
  /** Code point intervals: the i-th starts at starts[i] and is of class classOf[i]. */
  starts: number[];
  classOf: number[];
  /** next[state * classes + class]: the next state, DFA_ACCEPT or DFA_DEAD. State 0 starts. */
  next: number[];
  /** 1 where the text ending in that state matches. */
  acceptAtEnd: number[];
}

/** The key of a pattern's table: its case rule and its source. */
export const tableKey = (source: string, caseSensitive: boolean) => `${caseSensitive ? 'c' : 'i'}${source}`;

export const DFA_ACCEPT = -1;
export const DFA_DEAD = -2;

/** A table ready to run: ASCII classes looked up directly, next states premultiplied. */
export interface RunnableDfa {
  ascii: Uint8Array;
  starts: Int32Array;
  classOf: Uint8Array;
  next: Int32Array;
  acceptAtEnd: Uint8Array;
  classes: number;
}

/** How a state is written in the shipped form (16 bits: at most MAX_DFA_STATES states). */
const WIRE_ACCEPT = 0xffff;
const WIRE_DEAD = 0xfffe;

/**
 * The shipped form of a table, base64: the counts (classes, intervals, states; 32 bits each), the
 * interval starts (32 bits), the next states (16 bits), then a byte each for the ASCII classes,
 * the intervals' classes and the end verdicts. Read back as typed arrays, not parsed number by
 * number: the JSON form took a one-event hunt 9 ms to load.
 */
export function encodeDfa(d: Dfa): string {
  const states = d.acceptAtEnd.length;
  const n = d.starts.length;
  const buf = Buffer.alloc(12 + 4 * n + 2 * d.next.length + 128 + n + states);
  let o = 0;
  for (const x of [d.classes, n, states]) o = buf.writeInt32LE(x, o);
  for (const x of d.starts) o = buf.writeInt32LE(x, o);
  for (const t of d.next)
    o = buf.writeUInt16LE(t === DFA_ACCEPT ? WIRE_ACCEPT : t === DFA_DEAD ? WIRE_DEAD : t, o);
  const ascii = asciiClasses(d.starts, d.classOf);
  for (const x of [...ascii, ...d.classOf, ...d.acceptAtEnd]) o = buf.writeUInt8(x, o);
  return buf.toString('base64');
}

export function decodeDfa(text: string): RunnableDfa {
  // A copy of its own, so the typed arrays below start aligned (a small Buffer is a pool slice).
  const bytes = Uint8Array.from(Buffer.from(text, 'base64'));
  const [classes, n, states] = new Int32Array(bytes.buffer, 0, 3);
  const starts = new Int32Array(bytes.buffer, 12, n);
  const wire = new Uint16Array(bytes.buffer, 12 + 4 * n, states * classes);
  const next = new Int32Array(wire.length);
  for (let i = 0; i < wire.length; i++) {
    const t = wire[i];
    next[i] = t === WIRE_ACCEPT ? DFA_ACCEPT : t === WIRE_DEAD ? DFA_DEAD : t * classes;
  }
  const o = 12 + 4 * n + 2 * wire.length;
  return {
    ascii: bytes.subarray(o, o + 128),
    classOf: bytes.subarray(o + 128, o + 128 + n),
    acceptAtEnd: bytes.subarray(o + 128 + n, o + 128 + n + states),
    starts,
    next,
    classes,
  };
}

function asciiClasses(starts: number[], classOf: number[]): Uint8Array {
  const ascii = new Uint8Array(128);
  for (let i = 0; i < starts.length; i++) {
    const end = i + 1 < starts.length ? starts[i + 1] : 0x110000;
    for (let cp = starts[i]; cp < Math.min(end, 128); cp++) ascii[cp] = classOf[i];
  }
  return ascii;
}

/** The table as dfa/tables.ts keeps it when it builds one itself. */
export const runnable = (d: Dfa): RunnableDfa => decodeDfa(encodeDfa(d));

/** The class of a code point of 128 or more: the interval holding it, by binary search. */
export function wideClass(d: RunnableDfa, cp: number): number {
  const starts = d.starts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= cp) lo = mid;
    else hi = mid - 1;
  }
  return d.classOf[lo];
}

/** Whether the pattern matches anywhere in `text` (code points, as RE2 reads a JS string). */
export function dfaTest(d: RunnableDfa, text: string): boolean {
  const next = d.next;
  const ascii = d.ascii;
  const n = text.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    let k: number;
    if (c < 128) k = ascii[c];
    else {
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          c = (c - 0xd800) * 1024 + (low - 0xdc00) + 0x10000;
          i++;
        }
      }
      k = wideClass(d, c);
    }
    s = next[s + k];
    if (s < 0) return s === DFA_ACCEPT;
  }
  return d.acceptAtEnd[s / d.classes] === 1;
}
