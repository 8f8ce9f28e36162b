// The two fixed headers of an EVTX file: the file header (first 4 KiB) and the header of each
// 64 KiB chunk, with their CRC-32 checks. Layouts from libyal's EVTX format description.
import { crc32 } from './crc32.ts';
import { u32 } from './template.ts';

export const FILE_HEADER_SIZE = 4096;
export const CHUNK_SIZE = 65536;
export const CHUNK_HEADER_SIZE = 512;
export const FILE_MAGIC = 'ElfFile\0';
export const CHUNK_MAGIC = 'ElfChnk\0';
export const FLAG_DIRTY = 1;
export const FLAG_FULL = 2;

export interface FileHeader {
  firstChunk: number;
  lastChunk: number;
  nextRecordId: number;
  major: number;
  minor: number;
  /** Chunks the header says the file holds (a dirty file may hold more). */
  chunkCount: number;
  flags: number;
  checksumOk: boolean;
}

export interface ChunkHeader {
  firstRecordId: number;
  lastRecordId: number;
  lastRecordOffset: number;
  /** End of the record data: records lie in [512, freeSpaceOffset). */
  freeSpaceOffset: number;
  dataChecksum: number;
}

function u64n(b: Buffer, o: number): number {
  return u32(b, o) + u32(b, o + 4) * 0x100000000;
}

export function hasMagic(b: Buffer, o: number, magic: string): boolean {
  if (b.length < o + 8) return false;
  for (let i = 0; i < 8; i++) if (b[o + i] !== magic.charCodeAt(i)) return false;
  return true;
}

/** Reads the file header; a string says why the input is not EVTX. */
export function parseFileHeader(b: Buffer): FileHeader | string {
  if (!hasMagic(b, 0, FILE_MAGIC)) return 'no "ElfFile" signature: not an EVTX file';
  return {
    firstChunk: u64n(b, 8),
    lastChunk: u64n(b, 16),
    nextRecordId: u64n(b, 24),
    minor: b[36] | (b[37] << 8),
    major: b[38] | (b[39] << 8),
    chunkCount: b[42] | (b[43] << 8),
    flags: u32(b, 120),
    checksumOk: crc32(b.subarray(0, 120)) === u32(b, 124),
  };
}

/** Whether the first `len` bytes are all zero (a chunk the log never used). */
export function isBlank(b: Buffer, len: number): boolean {
  for (let i = 0; i < len; i++) if (b[i] !== 0) return false;
  return true;
}

/**
 * Checks a chunk's signature, header CRC (bytes 0-120 and 128-512) and free space offset.
 * A string says what is wrong. `len` is how many bytes of the chunk are present.
 */
export function parseChunkHeader(b: Buffer, len: number): ChunkHeader | string {
  if (len < CHUNK_HEADER_SIZE) return `chunk header truncated (${len} bytes)`;
  if (!hasMagic(b, 0, CHUNK_MAGIC)) return 'no "ElfChnk" signature';
  const want = u32(b, 124);
  const got = crc32(b.subarray(128, 512), crc32(b.subarray(0, 120)));
  if (want !== got)
    return `chunk header checksum mismatch (stored ${want.toString(16)}, computed ${got.toString(16)})`;
  const free = u32(b, 48);
  if (free < CHUNK_HEADER_SIZE || free > CHUNK_SIZE) return `impossible free space offset ${free}`;
  return {
    firstRecordId: u64n(b, 24),
    lastRecordId: u64n(b, 32),
    lastRecordOffset: u32(b, 44),
    freeSpaceOffset: free,
    dataChecksum: u32(b, 52),
  };
}

/** CRC-32 of the record data, as stored in the chunk header. */
export function recordDataChecksum(b: Buffer, freeSpaceOffset: number): number {
  return crc32(b.subarray(CHUNK_HEADER_SIZE, freeSpaceOffset));
}
