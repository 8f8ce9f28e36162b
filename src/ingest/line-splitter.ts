// Framing, once for every mode: bytes in, complete lines out (hunt's files, watch's followed
// files and stdin, serve's request bodies). A line is only complete once its newline arrives, so
// a record still being written (a half-flushed last line) is held, never decoded half-way. Lines
// longer than the limit are reported and skipped without being buffered whole. A byte-order mark
// at the start is dropped; UTF-16LE input (Windows exports) is decoded as such.
import { StringDecoder } from 'node:string_decoder';

export interface LineSplitter {
  /** Feeds bytes; calls `line` for every complete line (CR/LF stripped). Keeps no part of `chunk`. */
  write(chunk: Buffer): void;
  /** Bytes of the unfinished last line held so far. */
  pending(): number;
  /** Ends the input: the unfinished last line (if any) is returned as a final line. */
  end(): void;
  /** Lines seen so far (including skipped ones). */
  lines(): number;
  /** Forgets the unfinished line (the file was truncated or replaced under us). */
  reset(): void;
}

export interface LineSplitterOptions {
  maxLineBytes: number;
  /** Text encoding of the bytes (default utf8). */
  encoding?: 'utf8' | 'utf16le';
  line(text: string, lineNo: number): void;
  tooLong(lineNo: number): void;
  /**
   * Asked with the raw bytes of each UTF-8 line (line ending removed) before it is decoded:
   * true when the reader has dealt with it already (a record it can tell from its bytes that
   * the analytic never uses), so it is never turned into a string.
   */
  skip?(bytes: Buffer, start: number, end: number, lineNo: number): boolean;
}

export function createLineSplitter(o: LineSplitterOptions): LineSplitter {
  const encoding = o.encoding ?? 'utf8';
  if (o.skip && encoding === 'utf8') return byteLineSplitter(o, o.skip);
  let text = new StringDecoder(encoding);
  let carry = '';
  let lineNo = 0;
  let skipping = false;
  let first = true;

  const emit = (raw: string) => {
    lineNo++;
    if (skipping) {
      skipping = false;
      return;
    }
    let s = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (first) {
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      first = false;
    }
    o.line(s, lineNo);
  };

  return {
    write(chunk) {
      const s = text.write(chunk);
      let start = 0;
      for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', start)) {
        const part = s.slice(start, nl);
        const whole = carry ? carry + part : part;
        carry = '';
        start = nl + 1;
        emit(whole);
      }
      if (!skipping) carry += s.slice(start);
      if (carry.length > o.maxLineBytes) {
        o.tooLong(lineNo + 1);
        carry = '';
        skipping = true;
      }
    },
    pending: () => carry.length,
    lines: () => lineNo,
    end() {
      carry += text.end();
      if (carry && !skipping) emit(carry);
      carry = '';
    },
    reset() {
      text = new StringDecoder(encoding);
      carry = '';
      skipping = false;
    },
  };
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * The same framing on bytes: lines are found by their newline byte (which no UTF-8 sequence
 * contains), offered to `skip` raw, and only the rest are decoded, one line at a time. Decoding
 * every byte before any filter was a third of a Windows JSON hunt.
 */
function byteLineSplitter(
  o: LineSplitterOptions,
  skip: NonNullable<LineSplitterOptions['skip']>,
): LineSplitter {
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let lineNo = 0;
  let skipping = false;
  let first = true;

  const emit = (buf: Buffer, start: number, stop: number) => {
    lineNo++;
    if (skipping) {
      skipping = false;
      return;
    }
    const end = stop > start && buf[stop - 1] === 13 ? stop - 1 : stop;
    let from = start;
    if (first) {
      first = false;
      if (end - from >= 3 && buf[from] === BOM[0] && buf[from + 1] === BOM[1] && buf[from + 2] === BOM[2])
        from += 3;
    }
    if (!skip(buf, from, end, lineNo)) o.line(buf.toString('utf8', from, end), lineNo);
  };

  return {
    write(chunk) {
      let start = 0;
      for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
        if (carryBytes) {
          const whole = Buffer.concat([...carry, chunk.subarray(start, nl)]);
          carry = [];
          carryBytes = 0;
          emit(whole, 0, whole.length);
        } else emit(chunk, start, nl);
        start = nl + 1;
      }
      // A copy: the chunk's memory may be read into again once this returns.
      if (!skipping && start < chunk.length) {
        carry.push(Buffer.from(chunk.subarray(start)));
        carryBytes += chunk.length - start;
      }
      if (carryBytes > o.maxLineBytes) {
        o.tooLong(lineNo + 1);
        carry = [];
        carryBytes = 0;
        skipping = true;
      }
    },
    pending: () => carryBytes,
    lines: () => lineNo,
    end() {
      if (carryBytes && !skipping) {
        const rest = Buffer.concat(carry);
        emit(rest, 0, rest.length);
      }
      carry = [];
      carryBytes = 0;
    },
    reset() {
      carry = [];
      carryBytes = 0;
      skipping = false;
    },
  };
}
