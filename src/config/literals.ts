// Text a pattern's every match must contain, read from the pattern's source: `\bschtasks\b.*
// /create` cannot match a line without "schtasks" and "/create" in it. A pattern is compiled (by
// RE2, costly the first time: a hunt of 49 small EVTX files spent 14 % of its CPU compiling) and
// run only on text that has them, and most texts a rule is tried on have none.
//
// The answer is a conjunction of clauses, each a set of alternatives: every clause must have one
// of its literals in the text. It is only ever used to say "cannot match", so it must hold for
// every match; whatever the reader does not follow exactly (an escape it does not know, a brace
// that is not a repeat) gives no clause at all, and the pattern then runs on every text as before.
// Case-insensitive literals are compared with the text lower-cased: for ASCII characters that
// finds every text RE2's case folding matches, except for "s" (RE2 folds it with U+017F, long s,
// which lower-cases to itself), so "s" is never part of a case-insensitive literal.

/** One literal, compared case-insensitively (`fold`, written lower-case) or exactly. */
export interface Literal {
  text: string;
  fold: boolean;
}

/** At least one of these occurs in every match. */
export type Clause = Literal[];

/** More alternatives than this make a clause cost more to check than it saves. */
const MAX_ALTERNATIVES = 32;
/** Clauses kept per pattern, the most selective first. */
const MAX_CLAUSES = 3;

/**
 * Thrown inside the reader for any construct it does not follow; the answer is then "none". A
 * plain object, not an Error: capturing a stack trace for each was most of the reader's time.
 */
const UNKNOWN = { unknown: true };

const ZERO_WIDTH_ESCAPES = 'bBAz';
const CLASS_ESCAPES = 'dDsSwW';

/** The clause of `clauses` that rules out most text: longest shortest literal, then fewest. */
function best(clauses: Clause[]): Clause | undefined {
  let pick: Clause | undefined;
  let score = -1;
  for (const c of clauses) {
    const s = Math.min(...c.map((l) => l.text.length)) * 100 - c.length;
    if (s > score) {
      score = s;
      pick = c;
    }
  }
  return pick;
}

/** ASCII punctuation: what RE2 takes escaped as itself. */
function isPunctuation(code: number): boolean {
  return (
    (code >= 0x21 && code <= 0x2f) ||
    (code >= 0x3a && code <= 0x40) ||
    (code >= 0x5b && code <= 0x60) ||
    (code >= 0x7b && code <= 0x7e)
  );
}

class Reader {
  private i = 0;
  constructor(private readonly src: string) {}

  /** The whole pattern: its clauses. */
  read(fold: boolean): Clause[] {
    const clauses = this.alternation(fold);
    if (this.i !== this.src.length) throw UNKNOWN;
    return clauses;
  }

  /**
   * Branches separated by `|` up to a `)` or the end. A `(?i)` inside holds to the group's end,
   * through later branches too, as in RE2.
   */
  private alternation(fold: boolean): Clause[] {
    const branches: Clause[][] = [];
    let mode = fold;
    for (;;) {
      const b = this.sequence(mode);
      branches.push(b.clauses);
      mode = b.fold;
      if (this.src[this.i] !== '|') break;
      this.i++;
    }
    if (branches.length === 1) return branches[0];
    const union: Clause = [];
    for (const b of branches) {
      const c = best(b);
      if (!c) return [];
      union.push(...c);
    }
    return union.length <= MAX_ALTERNATIVES ? [union] : [];
  }

  /** Atoms with their repeats, up to `|`, `)` or the end; and the case rule it ends with. */
  private sequence(startFold: boolean): { clauses: Clause[]; fold: boolean } {
    const clauses: Clause[] = [];
    let fold = startFold;
    let run = '';
    const flush = () => {
      if (run) clauses.push([{ text: run, fold }]);
      run = '';
    };
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const flags = this.flagsOnly(fold);
      if (flags !== undefined) {
        flush();
        fold = flags;
        continue;
      }
      const atom = this.atom(fold);
      const min = this.repeat();
      if (atom.char !== undefined && min === undefined) {
        run += atom.char;
        continue;
      }
      flush();
      if (min !== undefined && min < 1) continue;
      if (atom.char !== undefined) clauses.push([{ text: atom.char, fold }]);
      else clauses.push(...atom.clauses);
    }
    flush();
    return { clauses, fold };
  }

  /** `(?i)`-style flags that apply to the rest of the group: the new case rule, or undefined. */
  private flagsOnly(fold: boolean): boolean | undefined {
    if (this.src[this.i] !== '(' || this.src[this.i + 1] !== '?') return undefined;
    const m = /^\(\?([imsU]*)(?:-([imsU]*))?\)/.exec(this.src.slice(this.i, this.i + 16));
    if (!m) return undefined;
    this.i += m[0].length;
    return m[2]?.includes('i') ? false : m[1].includes('i') ? true : fold;
  }

  /** One atom: a literal character (`char`) or something with clauses of its own. */
  private atom(fold: boolean): { char?: string; clauses: Clause[] } {
    const c = this.src[this.i];
    if (c === '(') return { clauses: this.group(fold) };
    if (c === '[') {
      this.skipClass();
      return { clauses: [] };
    }
    this.i++;
    if (c === '.' || c === '^' || c === '$') return { clauses: [] };
    if (c === '*' || c === '+' || c === '?' || c === '{') throw UNKNOWN;
    if (c === '\\') return this.escape(fold);
    return this.literal(c, fold);
  }

  private literal(c: string, fold: boolean): { char?: string; clauses: Clause[] } {
    const code = c.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) return { clauses: [] };
    if (!fold) return { char: c, clauses: [] };
    const lower = c.toLowerCase();
    return lower === 's' ? { clauses: [] } : { char: lower, clauses: [] };
  }

  private escape(fold: boolean): { char?: string; clauses: Clause[] } {
    const c = this.src[this.i++];
    if (c === undefined) throw UNKNOWN;
    if (ZERO_WIDTH_ESCAPES.includes(c) || CLASS_ESCAPES.includes(c)) return { clauses: [] };
    if (c === 'p' || c === 'P') {
      if (this.src[this.i] === '{') {
        const end = this.src.indexOf('}', this.i);
        if (end < 0) throw UNKNOWN;
        this.i = end + 1;
      } else this.i++;
      return { clauses: [] };
    }
    // Punctuation escaped is itself; letters and digits are escapes this reader does not follow.
    if (isPunctuation(c.charCodeAt(0))) return this.literal(c, fold);
    throw UNKNOWN;
  }

  /** `(...)`, `(?:...)`, `(?P<n>...)`, `(?<n>...)`, `(?flags:...)`; anything else is unknown. */
  private group(fold: boolean): Clause[] {
    if (this.src[this.i + 1] !== '?') {
      this.i++;
      return this.closeGroup(fold);
    }
    const head = /^\((?:\?(?::|P?<[A-Za-z_]\w*>|([imsU]*)(?:-([imsU]*))?:))?/.exec(
      this.src.slice(this.i, this.i + 40),
    );
    if (!head || (this.src[this.i + 1] === '?' && head[0].length === 1)) throw UNKNOWN;
    this.i += head[0].length;
    return this.closeGroup(head[2]?.includes('i') ? false : head[1]?.includes('i') ? true : fold);
  }

  /** A group's branches and its `)`. */
  private closeGroup(inner: boolean): Clause[] {
    const clauses = this.alternation(inner);
    if (this.src[this.i] !== ')') throw UNKNOWN;
    this.i++;
    return clauses;
  }

  /** Skips a character class, `[...]`, whatever it holds. */
  private skipClass(): void {
    let j = this.i + 1;
    if (this.src[j] === '^') j++;
    if (this.src[j] === ']') j++;
    for (; j < this.src.length; j++) {
      const c = this.src[j];
      if (c === ']') {
        this.i = j + 1;
        return;
      }
      if (c === '\\') {
        if ((this.src[j + 1] === 'p' || this.src[j + 1] === 'P') && this.src[j + 2] === '{') {
          j = this.src.indexOf('}', j);
          if (j < 0) throw UNKNOWN;
        } else j++;
      } else if (c === '[' && this.src[j + 1] === ':') {
        j = this.src.indexOf(':]', j + 2);
        if (j < 0) throw UNKNOWN;
        j++;
      }
    }
    throw UNKNOWN;
  }

  /** A repeat after an atom: its least count, or undefined when there is none. */
  private repeat(): number | undefined {
    const c = this.src[this.i];
    let min: number | undefined;
    if (c === '*' || c === '?') min = 0;
    else if (c === '+') min = 1;
    else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(this.src.slice(this.i, this.i + 24));
      if (!m) throw UNKNOWN;
      min = Number(m[1]);
      this.i += m[0].length - 1;
    } else return undefined;
    this.i++;
    if (this.src[this.i] === '?') this.i++;
    const next = this.src[this.i];
    if (next === '*' || next === '+' || next === '?' || next === '{') throw UNKNOWN;
    return min;
  }
}

/**
 * What every match of `source` (RE2 syntax; case-insensitive unless `caseSensitive`) contains:
 * at most MAX_CLAUSES clauses, the most selective first; none when nothing is certain.
 */
export function requiredLiterals(source: string, caseSensitive: boolean): Clause[] {
  const key = `${caseSensitive ? 1 : 0}${source}`;
  let kept = known.get(key);
  if (!kept) {
    kept = readLiterals(source, caseSensitive);
    known.set(key, kept);
  }
  return kept;
}

/** Answers by pattern: a list's prefilter and its patterns ask for the same ones. */
const known = new Map<string, Clause[]>();

function readLiterals(source: string, caseSensitive: boolean): Clause[] {
  let clauses: Clause[];
  try {
    clauses = new Reader(source).read(!caseSensitive);
  } catch (e) {
    if (e === UNKNOWN) return [];
    throw e;
  }
  const kept: Clause[] = [];
  const rest = clauses.filter((c) => c.length <= MAX_ALTERNATIVES);
  while (kept.length < MAX_CLAUSES && rest.length) {
    const c = best(rest)!;
    kept.push(c);
    rest.splice(rest.indexOf(c), 1);
  }
  return kept;
}

let lastText: string | undefined;
let lastLower = '';

/** `text` lower-cased, remembered for the next call (several patterns test the same text). */
function lowerCase(text: string): string {
  if (text !== lastText) {
    lastText = text;
    lastLower = text.toLowerCase();
  }
  return lastLower;
}

/** Whether `text` has a literal of every clause: false means no match is possible. */
export function hasLiterals(clauses: Clause[], text: string): boolean {
  for (const clause of clauses) {
    let found = false;
    for (const l of clause)
      if ((l.fold ? lowerCase(text) : text).includes(l.text)) {
        found = true;
        break;
      }
    if (!found) return false;
  }
  return true;
}
