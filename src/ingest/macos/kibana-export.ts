// Splits the JSON people paste out of Kibana into documents, line by line and bounded:
//   - NDJSON (one document per line; the fast path, one JSON.parse per line),
//   - pretty-printed documents, one after another, with or without commas between them,
//   - lists `[ {...}, {...} ]` (each member is a document, so a long list is never one buffer),
//   - Kibana Dev Tools `"""triple-quoted"""` strings (raw text, may span lines), rewritten as
//     JSON strings,
//   - documents cut short: a `{` opening a line where the open document expects `,` or `}`
//     means the previous document lost its end; it is reported and the new one is read.
// Grammar is tracked just enough (containers, key/value position, strings) to find document
// ends and cuts; JSON.parse judges the rest. A document over MAX_DOCUMENT_CHARS or nested deeper
// than MAX_DEPTH is reported and skipped without being kept.
import { CLOSE_ARR, CLOSE_OBJ, COLON, COMMA, OPEN_ARR, OPEN_OBJ, QUOTE } from '../json-chars.ts';
import type { DecodeContext, LineDecoder } from '../reader.ts';

export const MAX_DOCUMENT_CHARS = 16 * 1024 * 1024;
export const MAX_DEPTH = 256;

// Position inside the innermost container.
const EXPECT_KEY = 0; // object: a key or `}`
const EXPECT_COLON = 1;
const EXPECT_VALUE = 2; // object after `:`, or array: a value (or `]` in an array)
const AFTER_VALUE = 3; // `,` or the closing bracket

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10 || c === 0xfeff;
}

/** True when only white space precedes position `i` of `text`. */
function lineStartsAt(text: string, i: number): boolean {
  for (let k = 0; k < i; k++) if (!isSpace(text.charCodeAt(k))) return false;
  return true;
}

export interface KibanaDocumentOptions {
  maxChars?: number;
  /** Reads pretty `{` … `}` blocks whole (default); false tokenizes every line (tests compare). */
  wholeBlocks?: boolean;
}

/**
 * A LineDecoder handing every top-level document to `onDocument` with the 1-based line it starts
 * on. Problems name the line where the document started and where it went wrong.
 */
export function kibanaDocuments(
  ctx: DecodeContext,
  onDocument: (value: unknown, line: number) => void,
  opts: KibanaDocumentOptions = {},
): LineDecoder {
  const maxChars = opts.maxChars ?? MAX_DOCUMENT_CHARS;
  // Document being read.
  let inDoc = false;
  let parts: string[] = [];
  let chars = 0;
  let startLine = 0;
  let oversized = false; // still tracked to find its end, but no longer kept
  const kinds: number[] = []; // OPEN_OBJ or OPEN_ARR per open container
  let pos = EXPECT_VALUE;
  let inString = false;
  let afterBackslash = false;
  let stringIsKey = false;
  let inTriple = false;
  let triple: string[] = [];
  let tripleChars = 0;
  let inScalar = false;
  let prettyDoc = false; // the document's `{` ended its line: its members are on lines of their own
  // Between documents: skip the rest of a damaged region until a line opens with `{`.
  let recovering = false;
  let garbageReported = false;

  const reset = () => {
    inDoc = false;
    parts = [];
    chars = 0;
    oversized = false;
    kinds.length = 0;
    pos = EXPECT_VALUE;
    inString = false;
    afterBackslash = false;
    inTriple = false;
    triple = [];
    tripleChars = 0;
    inScalar = false;
  };

  const keep = (s: string) => {
    if (oversized) return;
    chars += s.length;
    if (chars > maxChars) {
      ctx.problem(`document larger than ${maxChars} characters; skipped`, { line: startLine });
      oversized = true;
      parts = [];
      triple = [];
      return;
    }
    parts.push(s);
  };

  const finish = () => {
    if (!oversized) {
      const text = parts.join('');
      let v: unknown;
      let ok = true;
      try {
        v = JSON.parse(text);
      } catch (e) {
        ok = false;
        ctx.problem(`document is not valid JSON (${(e as Error).message.slice(0, 100)}); skipped`, {
          line: startLine,
        });
      }
      const line = startLine;
      reset();
      if (ok) onDocument(v, line);
      return;
    }
    reset();
  };

  const broken = (why: string, lineNo: number) => {
    ctx.problem(`document starting at line ${startLine} ${why} at line ${lineNo}; skipped`, {
      line: startLine,
    });
    reset();
    recovering = true;
  };

  const startDoc = (lineNo: number, text: string, at: number) => {
    reset();
    inDoc = true;
    prettyDoc = lineStartsAt(text.slice(at + 1), text.length - at - 1);
    startLine = lineNo;
    kinds.push(OPEN_OBJ);
    pos = EXPECT_KEY;
    recovering = false;
    garbageReported = false;
  };

  /** A value ended: the container now expects `,` or its end. */
  const valueDone = () => {
    pos = AFTER_VALUE;
  };

  const tokenizer: LineDecoder = {
    mode: 'lines',
    line(text, lineNo) {
      let i = 0;
      const n = text.length;
      if (!inDoc) {
        while (i < n && isSpace(text.charCodeAt(i))) i++;
        if (i === n) return;
        // Fast path: a whole document on one line.
        if (text.charCodeAt(i) === OPEN_OBJ && text.charCodeAt(n - 1) === CLOSE_OBJ && n - i <= maxChars) {
          let v: unknown;
          let parsed = false;
          try {
            v = JSON.parse(i === 0 ? text : text.slice(i));
            parsed = true;
          } catch {
            // Fall through to the tokenizer, which finds documents inside the line.
          }
          if (parsed) {
            recovering = false;
            garbageReported = false;
            onDocument(v, lineNo);
            return;
          }
        }
        if (recovering) {
          if (text.charCodeAt(i) !== OPEN_OBJ) return;
          recovering = false;
        }
      }
      let segStart = inDoc ? 0 : -1; // start of the text still to keep from this line
      let nextQuote = -1; // cached positions for the string scan (n: none left on this line)
      let nextBackslash = -1;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (!inDoc) {
          if (isSpace(c) || c === COMMA || c === OPEN_ARR || c === CLOSE_ARR) continue;
          if (c === OPEN_OBJ) {
            startDoc(lineNo, text, i);
            segStart = i;
            continue;
          }
          if (!garbageReported) {
            ctx.problem(
              `text between documents (${JSON.stringify(text.slice(i, i + 16))}); skipped to the next document`,
              { line: lineNo },
            );
            garbageReported = true;
          }
          recovering = true;
          return;
        }
        if (inTriple) {
          if (c === QUOTE && text.charCodeAt(i + 1) === QUOTE && text.charCodeAt(i + 2) === QUOTE) {
            triple.push(text.slice(segStart, i));
            if (!oversized) keep(JSON.stringify(triple.join('')));
            triple = [];
            tripleChars = 0;
            inTriple = false;
            i += 2;
            segStart = i + 1;
            valueDone();
          }
          continue;
        }
        if (inString) {
          if (afterBackslash) {
            afterBackslash = false;
            continue;
          }
          // Jump to the next quote or backslash: most of an export is string content.
          if (nextQuote < i) nextQuote = text.indexOf('"', i);
          if (nextBackslash < i && nextBackslash !== n) {
            nextBackslash = text.indexOf('\\', i);
            if (nextBackslash < 0) nextBackslash = n;
          }
          if (nextQuote < 0) {
            i = n;
            break;
          }
          if (nextBackslash < nextQuote) {
            i = nextBackslash;
            afterBackslash = true;
            continue;
          }
          i = nextQuote;
          inString = false;
          if (stringIsKey) pos = EXPECT_COLON;
          else valueDone();
          continue;
        }
        if (inScalar) {
          if (!(isSpace(c) || c === COMMA || c === CLOSE_OBJ || c === CLOSE_ARR)) continue;
          inScalar = false;
          valueDone();
        }
        if (isSpace(c)) continue;
        const top = kinds[kinds.length - 1];
        switch (c) {
          case QUOTE:
            if (pos === AFTER_VALUE && top === OPEN_OBJ && lineStartsAt(text, i)) {
              // A member opens a line where a `,` was due: the comma was lost. Put it back.
              ctx.problem(
                `missing , before line ${lineNo} (document starting at line ${startLine}); repaired`,
                {
                  line: lineNo,
                },
              );
              keep(text.slice(segStart, i));
              keep(',');
              segStart = i;
              pos = EXPECT_KEY;
            }
            if (pos === EXPECT_KEY) {
              inString = true;
              stringIsKey = true;
            } else if (pos === EXPECT_VALUE) {
              if (text.charCodeAt(i + 1) === QUOTE && text.charCodeAt(i + 2) === QUOTE) {
                keep(text.slice(segStart, i));
                inTriple = true;
                i += 2;
                segStart = i + 1;
              } else {
                inString = true;
                stringIsKey = false;
              }
            } else {
              broken('has a string where `,` or `:` belongs', lineNo);
              return;
            }
            continue;
          case OPEN_OBJ:
          case OPEN_ARR:
            // A `{` opening a line where the open document cannot take it, or at column 0 inside
            // a pretty-printed document (whose own members are indented), starts a new document:
            // the open one was cut. What it holds is read when its brackets can be closed.
            if (c === OPEN_OBJ && lineStartsAt(text, i) && (pos !== EXPECT_VALUE || (i === 0 && prettyDoc))) {
              if (pos === AFTER_VALUE) {
                ctx.problem(
                  `document starting at line ${startLine} is not closed before a new document at line ${lineNo}; closed and read`,
                  { line: startLine },
                );
                for (let k = kinds.length - 1; k >= 0; k--) keep(kinds[k] === OPEN_OBJ ? '}' : ']');
                finish();
              } else {
                ctx.problem(
                  `document starting at line ${startLine} is cut off by a new document at line ${lineNo}; skipped`,
                  { line: startLine },
                );
              }
              startDoc(lineNo, text, i);
              segStart = i;
              continue;
            }
            if (pos !== EXPECT_VALUE) {
              broken(`has an unexpected ${String.fromCharCode(c)}`, lineNo);
              return;
            }
            if (kinds.length >= MAX_DEPTH) {
              broken(`is nested deeper than ${MAX_DEPTH}`, lineNo);
              return;
            }
            kinds.push(c);
            pos = c === OPEN_OBJ ? EXPECT_KEY : EXPECT_VALUE;
            continue;
          case CLOSE_OBJ:
          case CLOSE_ARR: {
            const want = c === CLOSE_OBJ ? OPEN_OBJ : OPEN_ARR;
            const emptyOk = c === CLOSE_OBJ ? pos === EXPECT_KEY : pos === EXPECT_VALUE;
            if (top !== want || !(pos === AFTER_VALUE || emptyOk)) {
              broken(`has an unexpected ${String.fromCharCode(c)}`, lineNo);
              return;
            }
            kinds.pop();
            if (kinds.length === 0) {
              keep(text.slice(segStart, i + 1));
              finish();
              segStart = -1;
              continue;
            }
            valueDone();
            continue;
          }
          case COMMA:
            if (pos !== AFTER_VALUE) {
              broken('has an unexpected ,', lineNo);
              return;
            }
            pos = top === OPEN_OBJ ? EXPECT_KEY : EXPECT_VALUE;
            continue;
          case COLON:
            if (pos !== EXPECT_COLON) {
              broken('has an unexpected :', lineNo);
              return;
            }
            pos = EXPECT_VALUE;
            continue;
          default:
            if (pos !== EXPECT_VALUE) {
              broken(`has unexpected text ${JSON.stringify(text.slice(i, i + 12))}`, lineNo);
              return;
            }
            inScalar = true;
        }
      }
      if (!inDoc) return;
      if (inString) {
        if (stringIsKey) {
          broken('has a key running past the end of a line', lineNo);
          return;
        }
        // JSON strings never span lines: the closing quote was lost. Close it here.
        ctx.problem(
          `string not closed at the end of line ${lineNo}; closed (document starting at line ${startLine})`,
          {
            line: lineNo,
          },
        );
        keep(`${segStart > 0 ? text.slice(segStart) : text}${afterBackslash ? '\\"' : '"'}\n`);
        inString = false;
        afterBackslash = false;
        valueDone();
        return;
      }
      if (inScalar) {
        inScalar = false;
        valueDone();
      }
      if (inTriple) {
        if (oversized) return;
        const rest = segStart > 0 ? text.slice(segStart) : text;
        triple.push(rest, '\n');
        tripleChars += rest.length + 1;
        if (chars + tripleChars > maxChars) {
          // Counted as kept so the cap trips; the document is dropped either way.
          keep(triple.join(''));
          triple = [];
          tripleChars = 0;
        }
        return;
      }
      keep(segStart >= 0 ? `${text.slice(segStart)}\n` : `${text}\n`);
    },
    end() {
      if (inDoc) {
        ctx.problem(`input ends inside the document starting at line ${startLine} (truncated?); skipped`, {
          line: startLine,
        });
        reset();
      }
    },
  };

  // Pretty documents as JSON.stringify(doc, null, 2) and Kibana print them (`{` and `}` alone at
  // column 0) are held line by line and parsed whole, without the tokenizer. It sees them only
  // when the block is not one valid document it would read without remark, and then sees every
  // held line in order, so it reports exactly what it would have reported line by line.
  if (opts.wholeBlocks === false) return tokenizer;
  let held: string[] | undefined;
  let heldLines: number[] = [];
  let heldChars = 0;
  const replay = () => {
    const lines = held ?? [];
    const nos = heldLines;
    held = undefined;
    heldLines = [];
    for (let k = 0; k < lines.length; k++) tokenizer.line(lines[k], nos[k]);
  };
  const closeBlock = (): boolean => {
    const lines = held ?? [];
    let v: unknown;
    try {
      v = JSON.parse(`${lines.join('\n')}\n}`);
    } catch {
      return false;
    }
    if (deeperThan(v, MAX_DEPTH)) return false;
    const line = heldLines[0];
    held = undefined;
    heldLines = [];
    recovering = false;
    garbageReported = false;
    onDocument(v, line);
    return true;
  };

  return {
    mode: 'lines',
    line(text, lineNo) {
      if (held) {
        const c = text.charCodeAt(0);
        if (c === CLOSE_OBJ && (text.length === 1 || (text.length === 2 && text.charCodeAt(1) === COMMA))) {
          if (heldChars + 2 <= maxChars && closeBlock()) return;
        } else if (c !== OPEN_OBJ && heldChars + text.length + 1 <= maxChars) {
          held.push(text);
          heldLines.push(lineNo);
          heldChars += text.length + 1;
          return;
        }
        replay();
      } else if (!inDoc && text.length === 1 && text.charCodeAt(0) === OPEN_OBJ) {
        held = [text];
        heldLines = [lineNo];
        heldChars = 2;
        return;
      }
      tokenizer.line(text, lineNo);
    },
    end() {
      if (held) replay();
      tokenizer.end();
    },
  };
}

/** True when `v` nests containers deeper than `max` (the value itself counting as one). */
function deeperThan(v: unknown, max: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (max <= 0) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (deeperThan(x, max - 1)) return true;
    return false;
  }
  for (const k in v) if (deeperThan((v as Record<string, unknown>)[k], max - 1)) return true;
  return false;
}
