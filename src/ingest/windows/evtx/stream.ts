// Streams an EVTX file: takes pieces of any size in order, keeps at most one 64 KiB chunk
// buffered, and hands each complete chunk to the chunk reader. Memory stays flat whatever the
// file size. Usable without the CLI or the engine: the benchmark and tests drive it directly.
import { type EvtxSink, readChunk } from './chunk.ts';
import {
  CHUNK_MAGIC,
  CHUNK_SIZE,
  FILE_HEADER_SIZE,
  FLAG_DIRTY,
  hasMagic,
  isBlank,
  parseFileHeader,
} from './header.ts';

export type { EvtxSink } from './chunk.ts';

export class EvtxStream {
  private readonly sink: EvtxSink;
  private readonly pending = Buffer.allocUnsafe(CHUNK_SIZE);
  private fill = 0;
  private inHeader = true;
  private dead = false;
  private chunkIndex = 0;
  private headerChunks = 0;
  private dirty = false;
  private extraReported = false;
  /** Records delivered so far. */
  records = 0;
  /** Chunks read (whether or not they held records). */
  chunks = 0;

  constructor(sink: EvtxSink) {
    this.sink = sink;
  }

  write(piece: Buffer): void {
    let p = 0;
    while (p < piece.length && !this.dead) {
      const need = this.inHeader ? FILE_HEADER_SIZE : CHUNK_SIZE;
      if (this.fill === 0 && piece.length - p >= need) {
        // A whole unit inside the piece: read it in place, no copy.
        this.unit(piece.subarray(p, p + need), need);
        p += need;
        continue;
      }
      const n = Math.min(need - this.fill, piece.length - p);
      piece.copy(this.pending, this.fill, p, p + n);
      this.fill += n;
      p += n;
      if (this.fill === need) {
        this.fill = 0;
        this.unit(this.pending, need);
      }
    }
  }

  end(): void {
    if (this.dead) return;
    if (this.inHeader) {
      if (this.fill > 0)
        this.sink.problem(`EVTX file header truncated (${this.fill} of ${FILE_HEADER_SIZE} bytes)`, {
          offset: 0,
        });
    } else if (this.fill > 0) {
      const offset = this.chunkOffset();
      const where = `chunk ${this.chunkIndex}`;
      this.sink.problem(
        `EVTX file truncated inside ${where} (${this.fill} of ${CHUNK_SIZE} bytes); reading its whole records`,
        { offset, where },
      );
      this.chunk(this.pending, this.fill);
    }
    this.fill = 0;
    if (!this.inHeader && this.dirty && this.chunks > this.headerChunks && !this.extraReported) {
      this.sink.problem(
        `EVTX header counts ${this.headerChunks} chunks but the file holds ${this.chunks} (dirty file); all were read`,
        { offset: 0 },
      );
    }
    if (!this.inHeader && this.chunkIndex < this.headerChunks) {
      this.sink.problem(
        `EVTX header counts ${this.headerChunks} chunks but the file holds ${this.chunkIndex} (truncated?)`,
        { offset: this.chunkOffset() },
      );
    }
    this.dead = true;
  }

  private chunkOffset(): number {
    return FILE_HEADER_SIZE + this.chunkIndex * CHUNK_SIZE;
  }

  private unit(b: Buffer, len: number): void {
    if (this.inHeader) {
      this.inHeader = false;
      const h = parseFileHeader(b);
      if (typeof h === 'string') {
        this.sink.problem(`EVTX: ${h}`, { offset: 0 });
        this.dead = true;
        return;
      }
      if (!h.checksumOk)
        this.sink.problem('EVTX file header checksum mismatch; reading the chunks anyway', { offset: 0 });
      if (h.major !== 3)
        this.sink.problem(`EVTX version ${h.major}.${h.minor} not 3.x; reading anyway`, { offset: 36 });
      this.headerChunks = h.chunkCount;
      this.dirty = (h.flags & FLAG_DIRTY) !== 0;
      return;
    }
    this.chunk(b, len);
  }

  private chunk(b: Buffer, len: number): void {
    const offset = this.chunkOffset();
    // Beyond the header's count a chunk is either never used (zeros, or stale) or, in a dirty
    // file, real and uncounted: read it when it is a chunk, stay silent when it is blank.
    if (this.chunkIndex >= this.headerChunks && !hasMagic(b, 0, CHUNK_MAGIC)) {
      if (!isBlank(b, len))
        this.sink.problem(
          `EVTX chunk ${this.chunkIndex} beyond the header's ${this.headerChunks} chunks is not a chunk; skipped`,
          { offset, where: `chunk ${this.chunkIndex}` },
        );
    } else {
      if (this.chunkIndex >= this.headerChunks && !this.dirty && !this.extraReported) {
        this.extraReported = true;
        this.sink.problem(`EVTX header counts ${this.headerChunks} chunks but more follow; reading them`, {
          offset,
          where: `chunk ${this.chunkIndex}`,
        });
      }
      this.chunks++;
      this.records += readChunk(b, len, this.chunkIndex, offset, this.sink);
    }
    this.chunkIndex++;
  }
}
