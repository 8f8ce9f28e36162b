// Test driver: feeds bytes to the EVTX reader in pieces of the given sizes and collects what it
// says. Kept apart so every EVTX test reads files the same way.
import type { Position } from '../../../../src/ingest/reader.ts';
import { EvtxStream } from '../../../../src/ingest/windows/evtx/stream.ts';
import type { WinRecord } from '../../../../src/ingest/windows/record.ts';

export interface ReadResult {
  records: WinRecord[];
  offsets: number[];
  problems: Array<{ message: string } & Position>;
}

export function readEvtx(bytes: Buffer, pieceSize: number | (() => number) = 1 << 20): ReadResult {
  const out: ReadResult = { records: [], offsets: [], problems: [] };
  const s = new EvtxStream({
    record(rec, offset) {
      out.records.push(rec);
      out.offsets.push(offset);
    },
    problem(message, pos) {
      out.problems.push({ message, ...pos });
    },
  });
  for (let p = 0; p < bytes.length; ) {
    const n = Math.max(1, typeof pieceSize === 'number' ? pieceSize : pieceSize());
    s.write(bytes.subarray(p, p + n));
    p += n;
  }
  s.end();
  return out;
}
