// CRC-32 (IEEE, the zlib polynomial) as EVTX uses it for the file header, chunk headers and
// chunk record data. Node's zlib.crc32 (native) when present; a table-driven fallback otherwise.
import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, initial?: number) => number;

const TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c >>> 0;
}

function crc32Js(data: Uint8Array, initial = 0): number {
  let c = ~initial >>> 0;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const native = (zlib as unknown as { crc32?: Crc32 }).crc32;

/** CRC-32 of `data`, continuing from `initial` (the CRC of the bytes before it). */
export const crc32: Crc32 = typeof native === 'function' ? native : crc32Js;
