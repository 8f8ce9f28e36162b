// Reads the records of one 64 KiB chunk: checks the chunk, walks records by their size fields,
// and turns each record's binary XML into a WinRecord. A damaged record is reported (chunk,
// record, file offset) and skipped; a damaged chunk is reported and skipped whole.
import type { Position } from '../../reader.ts';
import type { WinRecord } from '../record.ts';
import { RECORD_OP_BUDGET, type RecordFill, runFragment } from './binxml.ts';
import { CHUNK_HEADER_SIZE, CHUNK_SIZE, parseChunkHeader, recordDataChecksum } from './header.ts';
import {
  CHUNK_COMPILE_BUDGET,
  CHUNK_OP_BUDGET,
  CHUNK_RENDER_BUDGET,
  type ChunkState,
  EvtxFormatError,
  R_ROOT,
  u32,
} from './template.ts';
import { filetimeAt } from './values.ts';

const RECORD_MAGIC = 0x00002a2a;
const RECORD_HEADER = 24;

/** Receives what the reader finds. `offset` is the record's byte offset in the file. */
export interface EvtxSink {
  record(rec: WinRecord, offset: number): void;
  problem(message: string, pos: Position): void;
  /**
   * The only named data fields the sink reads (the hunt: what the analytic maps). Others are
   * left undefined instead of rendered: most of a record's values are never read. Absent: all.
   */
  fields?: ReadonlySet<string>;
}

function recordIdString(b: Buffer, o: number): string {
  const lo = u32(b, o);
  const hi = u32(b, o + 4);
  if (hi < 0x200000) return String(hi * 0x100000000 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/**
 * Reads one chunk. `len` is how many of its bytes are present (less than 64 KiB when the file
 * is truncated: then the data checksum cannot be checked and only whole records are read).
 * Returns the number of records delivered.
 */
export function readChunk(
  buf: Buffer,
  len: number,
  index: number,
  fileOffset: number,
  sink: EvtxSink,
): number {
  const where = `chunk ${index}`;
  const head = parseChunkHeader(buf, len);
  if (typeof head === 'string') {
    sink.problem(`EVTX ${where}: ${head}; chunk skipped`, { offset: fileOffset, where });
    return 0;
  }
  const complete = len >= head.freeSpaceOffset;
  if (complete && recordDataChecksum(buf, head.freeSpaceOffset) !== head.dataChecksum) {
    sink.problem(`EVTX ${where}: record data checksum mismatch; chunk skipped`, {
      offset: fileOffset,
      where,
    });
    return 0;
  }
  const limit = Math.min(head.freeSpaceOffset, len);
  const st: ChunkState = {
    buf,
    len,
    names: new Map(),
    plans: new Map(),
    fields: sink.fields ?? null,
    budget: CHUNK_COMPILE_BUDGET,
    render: CHUNK_RENDER_BUDGET,
    ops: CHUNK_OP_BUDGET,
  };
  let count = 0;
  let skipped = 0;
  let stopped = false;
  let p = CHUNK_HEADER_SIZE;
  while (p + RECORD_HEADER <= limit) {
    const at = fileOffset + p;
    if (u32(buf, p) !== RECORD_MAGIC) {
      // Slack after the last record is normal in a dirty file; anything else is damage.
      if (p <= head.lastRecordOffset) {
        sink.problem(`EVTX ${where}: no record signature at chunk offset ${p}; rest of chunk skipped`, {
          offset: at,
          where,
        });
        stopped = true;
      }
      break;
    }
    const size = u32(buf, p + 4);
    if (size < RECORD_HEADER + 4 || p + size > limit) {
      const why = p + size > len && !complete ? 'file truncated inside it' : `impossible size ${size}`;
      sink.problem(`EVTX ${where}: record at chunk offset ${p}: ${why}; rest of chunk skipped`, {
        offset: at,
        where,
      });
      stopped = true;
      break;
    }
    if (u32(buf, p + size - 4) !== size) {
      const rwhere = `${where} record ${recordIdString(buf, p + 8)}`;
      sink.problem(
        `EVTX ${rwhere}: size fields disagree (${size} vs ${u32(buf, p + size - 4)}); record skipped`,
        { offset: at, where: rwhere },
      );
      skipped++;
      p += size;
      continue;
    }
    const rec: WinRecord = {
      channel: '',
      provider: undefined,
      eventId: Number.NaN,
      // Set from System/EventRecordID, else from the record header (below).
      recordId: undefined,
      time: Number.NaN,
      computer: '',
      data: {},
      userSid: undefined,
    };
    const fill: RecordFill = { rec, unnamed: 0, dataEmpty: true, budget: RECORD_OP_BUDGET };
    try {
      runFragment(st, p + RECORD_HEADER, p + size - 4, R_ROOT, fill, 0);
    } catch (e) {
      const rwhere = `${where} record ${recordIdString(buf, p + 8)}`;
      const msg = e instanceof EvtxFormatError ? e.message : `unreadable (${(e as Error).message})`;
      if (st.budget < 0 || st.render < 0 || st.ops < 0) {
        // The chunk's work is spent: one report, not one per remaining record.
        sink.problem(`EVTX ${rwhere}: ${msg}; rest of chunk skipped`, { offset: at, where: rwhere });
        stopped = true;
        break;
      }
      sink.problem(`EVTX ${rwhere}: ${msg}; record skipped`, { offset: at, where: rwhere });
      skipped++;
      p += size;
      continue;
    }
    if (!Number.isFinite(rec.time)) rec.time = filetimeAt(buf, p + 16);
    if (rec.recordId === undefined) rec.recordId = recordIdString(buf, p + 8);
    if (!Number.isInteger(rec.eventId)) {
      const rwhere = `${where} record ${rec.recordId}`;
      sink.problem(`EVTX ${rwhere}: no EventID; record skipped`, { offset: at, where: rwhere });
      skipped++;
    } else {
      sink.record(rec, at);
      count++;
    }
    p += size;
  }
  // Record ids run without gaps inside a chunk: fewer records than the header announces means
  // some were lost (e.g. a consistent-looking header with a shortened free space offset).
  const announced = head.lastRecordId - head.firstRecordId + 1;
  if (!stopped && complete && announced > count + skipped && announced <= CHUNK_SIZE / 28) {
    sink.problem(`EVTX ${where}: header announces ${announced} records, ${count + skipped} found`, {
      offset: fileOffset,
      where,
    });
  }
  return count;
}
