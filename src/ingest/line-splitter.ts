// Framing, once for every mode: bytes in, complete lines out (hunt's files, watch's followed
// files and stdin, serve's request bodies). A line is only complete once its newline arrives, so
// a record still being written (a half-flushed last line) is held, never decoded half-way. Lines
// longer than the limit are reported and skipped without being buffered whole. A byte-order mark
// at the start is dropped; UTF-16LE input (Windows exports) is decoded as such.
import { StringDecoder } from 'node:string_decoder';

export interface LineSplitter {
  /** Feeds bytes; calls `line` for every complete line (CR/LF stripped). */
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
}

export function createLineSplitter(o: LineSplitterOptions): LineSplitter {
  const encoding = o.encoding ?? 'utf8';
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
