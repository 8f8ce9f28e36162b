// Strict NDJSON for sensors that write exactly one JSON object per line (eslogger, osqueryd):
// a line that does not parse is reported and skipped on its own. Unlike the lenient splitter in
// json-documents.ts it never joins lines, so a cut line cannot swallow the records after it.
import type { DecodeContext, LineDecoder } from '../reader.ts';

export function ndjsonLines(
  ctx: DecodeContext,
  onValue: (value: unknown, line: number) => void,
): LineDecoder {
  return {
    mode: 'lines',
    line(text, lineNo) {
      let i = 0;
      while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (i === text.length) return;
      if (text.charCodeAt(i) !== 123) {
        ctx.problem(
          `not a JSON object (line starts with ${JSON.stringify(text.slice(i, i + 12))}); skipped`,
          {
            line: lineNo,
          },
        );
        return;
      }
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch (e) {
        ctx.problem(`not valid JSON (${(e as Error).message.slice(0, 80)}); skipped`, { line: lineNo });
        return;
      }
      onValue(v, lineNo);
    },
    end() {},
  };
}
