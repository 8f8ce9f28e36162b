// Splits a text stream into JSON values: NDJSON (one value per line, the fast path) and
// pretty-printed or concatenated documents spanning lines. A line that fails to parse but
// opens more brackets than it closes starts a multi-line document; one that does not is a
// malformed line. Documents are capped so hostile input cannot grow memory without bound.
import type { DecodeContext, LineDecoder } from './reader.ts';

export const MAX_DOCUMENT_CHARS = 16 * 1024 * 1024;

/** Net bracket depth of `s`, ignoring brackets inside strings; `inString` carries across lines. */
function depthOf(s: string, state: { depth: number; inString: boolean; escape: boolean }): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (state.inString) {
      if (state.escape) state.escape = false;
      else if (c === 92) state.escape = true;
      else if (c === 34) state.inString = false;
    } else if (c === 34) state.inString = true;
    else if (c === 123 || c === 91) state.depth++;
    else if (c === 125 || c === 93) state.depth--;
  }
}

/**
 * A LineDecoder that hands every JSON value to `onValue` with the 1-based line it started on.
 * Blank lines are skipped. Non-JSON lines are reported through ctx.problem.
 */
/** The same test of a one-line record, on its text and on its raw UTF-8 bytes. */
export interface UnusedRecord {
  text(line: string): boolean;
  bytes(buf: Buffer, start: number, end: number): boolean;
}

/**
 * `unused(line)` may say, from the raw text, that a one-line record carries nothing the engine
 * uses; such lines are counted as ignored without being parsed (most of a Sysmon log is events
 * the analytic does not need).
 */
export function jsonValues(
  ctx: DecodeContext,
  onValue: (value: unknown, line: number) => void,
  unused?: UnusedRecord,
): LineDecoder {
  let pending: string[] = [];
  let pendingChars = 0;
  let startLine = 0;
  const state = { depth: 0, inString: false, escape: false };
  // The line whose bytes `skip` has tested already: its text is not tested again.
  let tested = -1;

  const reset = () => {
    pending = [];
    pendingChars = 0;
    state.depth = 0;
    state.inString = false;
    state.escape = false;
  };

  const finish = (text: string, line: number) => {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      ctx.problem(`not valid JSON (${(e as Error).message.slice(0, 80)}); skipped`, { line });
      return;
    }
    onValue(v, line);
  };

  return {
    mode: 'lines',
    // The fast path's test below, on the raw bytes: a whole object on one line that `unused` rules out.
    skip:
      unused &&
      ((buf, start, end, lineNo) => {
        if (pending.length > 0) return false;
        tested = lineNo;
        let i = start;
        while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
        if (i === end || buf[i] !== 123 || buf[end - 1] !== 125 || !unused.bytes(buf, start, end))
          return false;
        ctx.ignored();
        return true;
      }),
    line(text, lineNo) {
      if (pending.length > 0) {
        // A complete one-line object means the pending "document" was a torn NDJSON line.
        if (text.charCodeAt(0) === 123 && text.charCodeAt(text.length - 1) === 125) {
          let v: unknown;
          try {
            v = JSON.parse(text);
          } catch {
            v = undefined;
          }
          if (v !== undefined) {
            ctx.problem('JSON line cut short (truncated or torn write); skipped', { line: startLine });
            reset();
            onValue(v, lineNo);
            return;
          }
        }
        pending.push(text);
        pendingChars += text.length;
        depthOf(text, state);
        if (state.depth <= 0 && !state.inString) {
          const doc = pending.join('\n');
          const line = startLine;
          reset();
          finish(doc, line);
        } else if (pendingChars > MAX_DOCUMENT_CHARS) {
          ctx.problem(`JSON document larger than ${MAX_DOCUMENT_CHARS} characters; skipped`, {
            line: startLine,
          });
          reset();
        }
        return;
      }
      // Fast path: a whole value on one line.
      let i = 0;
      while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (i === text.length) return;
      const c = text.charCodeAt(i);
      if (c !== 123 && c !== 91) {
        ctx.problem(`not JSON (line starts with ${JSON.stringify(text.slice(i, i + 12))}); skipped`, {
          line: lineNo,
        });
        return;
      }
      if (
        unused !== undefined &&
        tested !== lineNo &&
        c === 123 &&
        text.charCodeAt(text.length - 1) === 125 &&
        unused.text(text)
      ) {
        ctx.ignored();
        return;
      }
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch (e) {
        depthOf(text, state);
        if (state.depth > 0 || state.inString) {
          pending.push(text);
          pendingChars = text.length;
          startLine = lineNo;
          return;
        }
        reset();
        ctx.problem(`not valid JSON (${(e as Error).message.slice(0, 80)}); skipped`, { line: lineNo });
        return;
      }
      onValue(v, lineNo);
    },
    end() {
      if (pending.length > 0) {
        ctx.problem('input ends inside a JSON document (truncated?); skipped', { line: startLine });
        reset();
      }
    },
  };
}

/** The first complete JSON object in a sniffed head, for format detection; undefined if none. */
export function firstJsonObject(text: string): Record<string, unknown> | undefined {
  const dec: Array<Record<string, unknown>> = [];
  const ctx: DecodeContext = { file: '', problem() {}, emit() {}, ignored() {} };
  const d = jsonValues(ctx, (v) => {
    if (dec.length === 0) {
      const o = Array.isArray(v) ? v[0] : v;
      if (o && typeof o === 'object') dec.push(o as Record<string, unknown>);
    }
  });
  const lines = text.split('\n');
  // The last line of a head may be cut; skip it unless it is the only one.
  const n = lines.length > 1 ? lines.length - 1 : 1;
  for (let i = 0; i < n && dec.length === 0; i++) d.line(lines[i].replace(/\r$/, ''), i + 1);
  return dec[0];
}
