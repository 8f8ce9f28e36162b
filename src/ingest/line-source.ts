// Decodes one live line stream (a followed file, stdin, one HTTP request) with the registered
// readers: the format is named or sniffed from the first non-empty line, then every line goes
// through that format's LineDecoder. No parsing happens here; binary formats (EVTX) are refused
// because a live line stream cannot carry them.

import type { RatEvent } from '../model/event.ts';
import { formatById } from './formats.ts';
import { InputError } from './input-error.ts';
import type { Decoder, Format, Problem } from './reader.ts';
import { sniffFormat } from './source.ts';

export interface LineSourceOptions {
  /** Input name used in evidence and problems. */
  name: string;
  /** Format id; sniffed from the first non-empty line when absent. */
  format?: string;
  onEvent(ev: RatEvent): void;
  onProblem(p: Problem): void;
}

export interface LineSource {
  line(text: string, lineNo: number): void;
  /** Offers a line's raw bytes to the decoder first (LineDecoder.skip): true when it dealt with them. */
  skip(bytes: Buffer, start: number, end: number, lineNo: number): boolean;
  end(): void;
  /** The format in use, once known. */
  format(): string | undefined;
  /** Why this source cannot be decoded (unknown or unsniffable format), once decided. */
  failed(): string | undefined;
  counts(): { events: number; problems: number; ignored: number };
}

const SNIFF_ATTEMPTS = 8;

export function createLineSource(o: LineSourceOptions): LineSource {
  let format: Format | undefined;
  let decoder: Decoder | undefined;
  let failure: string | undefined;
  let attempts = 0;
  const counts = { events: 0, problems: 0, ignored: 0 };
  const problem = (message: string, pos: { line?: number; offset?: number; where?: string }) => {
    counts.problems++;
    o.onProblem({ file: o.name, format: format?.id ?? '?', message, ...pos });
  };

  const start = (f: Format): void => {
    format = f;
    decoder = f.decoder({
      file: o.name,
      problem,
      emit(ev) {
        counts.events++;
        o.onEvent(ev);
      },
      ignored(n = 1) {
        counts.ignored += n;
      },
    });
    if (decoder.mode !== 'lines') {
      failure = `format ${f.id} is binary and cannot be read as a live line stream; use hunt`;
      decoder = undefined;
      problem(failure, {});
    }
  };

  if (o.format) {
    const f = formatById(o.format);
    if (!f) {
      failure = `unknown format "${o.format}"`;
      problem(failure, {});
    } else start(f);
  }

  return {
    line(text, lineNo) {
      if (failure) return;
      if (!decoder) {
        if (!text.trim()) return;
        const s = sniffFormat(Buffer.from(`${text}\n`));
        if (s.format && s.score >= 0.5) start(s.format);
        else {
          problem('format not recognised from this line; skipped', { line: lineNo });
          if (++attempts >= SNIFF_ATTEMPTS) failure = 'format not recognised (name it with --format)';
          return;
        }
      }
      try {
        (decoder as Decoder & { mode: 'lines' }).line(text, lineNo);
      } catch (e) {
        throw new InputError(o.name, { line: lineNo }, `the ${format?.id} reader failed`, e);
      }
    },
    skip(bytes, start, end, lineNo) {
      const d = failure ? undefined : decoder;
      return d?.mode === 'lines' && d.skip !== undefined && d.skip(bytes, start, end, lineNo);
    },
    end() {
      decoder?.end();
      // Input that ended before any line could be recognised is of no known format.
      if (!format && !failure && attempts > 0) failure = 'format not recognised (name it with --format)';
    },
    format: () => format?.id,
    failed: () => failure,
    counts: () => ({ ...counts }),
  };
}
