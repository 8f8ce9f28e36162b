// A small EVTX writer for simulate, tests and benchmarks (it uses the reader's format constants,
// but lives with the simulator: writers are not readers). It makes files of any size and shape
// (template-based records, plain records, UserData as an embedded fragment, typed and array
// values, dirty headers) without committing anyone's real logs. Damage is made by patching its
// output; `rechecksum` then makes the patched file's CRCs consistent where a test wants that.
import { crc32 } from '../../ingest/windows/evtx/crc32.ts';
import {
  CHUNK_HEADER_SIZE,
  CHUNK_SIZE,
  FILE_HEADER_SIZE,
  FLAG_DIRTY,
} from '../../ingest/windows/evtx/header.ts';
import * as V from '../../ingest/windows/evtx/values.ts';

/** A typed substitution value; plain strings are UTF-16 strings. Text forms are what the reader renders. */
export type WriterValue =
  | string
  | { type: 'null' }
  | { type: 'u8' | 'u16' | 'u32' | 'i32' | 'bool'; value: number }
  | { type: 'u64' | 'i64' | 'hex32' | 'hex64'; value: bigint }
  | { type: 'guid' | 'sid' | 'ansi' | 'binary'; value: string }
  | { type: 'filetime'; value: number }
  | { type: 'strings'; value: string[] }
  | { type: 'u32s'; value: number[] };

export interface WriterEvent {
  recordId: number;
  /** ms since epoch. */
  time: number;
  eventId: number;
  provider: string;
  channel: string;
  computer: string;
  userSid?: string;
  /** EventData Data elements; a null name writes an unnamed <Data>. */
  data?: Array<[string | null, WriterValue]>;
  /** UserData as Windows writes it: one wrapper element, its leaves, in an embedded fragment. */
  userData?: { wrapper: string; fields: Array<[string, WriterValue]>; templateGuid?: string };
  /** Write this record as plain elements, without a template. */
  plain?: boolean;
  /** Write EventData as Sysmon does: one BinXml substitution of the Event holding its own template. */
  embedEventData?: boolean;
  /** Force the template GUID (32 hex digits): two different templates can then share one. */
  templateGuid?: string;
  /** Plain records: wrap an empty element in this many levels of nesting (hostile input). */
  nest?: number;
}

export interface WriterOptions {
  /** Chunk count written in the file header (a dirty file undercounts). Default: the real count. */
  headerChunkCount?: number;
  dirty?: boolean;
}

const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';
const EPOCH_DIFF_MS = 11644473600000n;

/** FNV-1a, 32 bits: a stable digest of a template's shape. */
function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** A template GUID derived from its shape (distinct shapes get distinct GUIDs), or forced. */
function templateGuid(key: string, forced?: string): Buffer {
  if (forced) return Buffer.from(forced.replace(/[{}-]/g, ''), 'hex');
  const g = Buffer.alloc(16);
  for (let i = 0; i < 4; i++) g.writeUInt32LE(fnv1a(key, 0x811c9dc5 + i * 0x9e3779b9), i * 4);
  return g;
}

/** The name hash Windows stores with each name (multiplier 65599 over UTF-16 units). */
function nameHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 65599) + s.charCodeAt(i)) >>> 0;
  return h & 0xffff;
}

function filetime(ms: number): bigint {
  return (BigInt(Math.round(ms)) + EPOCH_DIFF_MS) * 10000n;
}

/** Binary value bytes and type code of one writer value. */
function encodeValue(v: WriterValue): { type: number; bytes: Buffer } {
  if (typeof v === 'string') return { type: V.T_STRING, bytes: Buffer.from(v, 'utf16le') };
  const b8 = (n: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, n));
    return b;
  };
  switch (v.type) {
    case 'null':
      return { type: V.T_NULL, bytes: Buffer.alloc(0) };
    case 'u8':
      return { type: V.T_UINT8, bytes: Buffer.from([v.value & 0xff]) };
    case 'u16': {
      const b = Buffer.alloc(2);
      b.writeUInt16LE(v.value);
      return { type: V.T_UINT16, bytes: b };
    }
    case 'u32':
    case 'i32':
    case 'bool': {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(v.value >>> 0);
      return { type: v.type === 'u32' ? V.T_UINT32 : v.type === 'i32' ? V.T_INT32 : V.T_BOOL, bytes: b };
    }
    case 'hex32': {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(Number(v.value));
      return { type: V.T_HEX32, bytes: b };
    }
    case 'u64':
      return { type: V.T_UINT64, bytes: b8(v.value) };
    case 'i64':
      return { type: V.T_INT64, bytes: b8(v.value) };
    case 'hex64':
      return { type: V.T_HEX64, bytes: b8(v.value) };
    case 'filetime':
      return { type: V.T_FILETIME, bytes: b8(filetime(v.value)) };
    case 'guid': {
      const h = v.value.replace(/[{}-]/g, '');
      const b = Buffer.from(h, 'hex');
      b.subarray(0, 4).reverse();
      b.subarray(4, 6).reverse();
      b.subarray(6, 8).reverse();
      return { type: V.T_GUID, bytes: b };
    }
    case 'sid': {
      const [, rev, auth, ...subs] = v.value.split('-');
      const b = Buffer.alloc(8 + subs.length * 4);
      b[0] = Number(rev);
      b[1] = subs.length;
      b.writeUIntBE(Number(auth), 2, 6);
      subs.forEach((s, i) => {
        b.writeUInt32LE(Number(s), 8 + i * 4);
      });
      return { type: V.T_SID, bytes: b };
    }
    case 'ansi':
      return { type: V.T_ANSI, bytes: Buffer.from(v.value, 'latin1') };
    case 'binary':
      return { type: V.T_BINARY, bytes: Buffer.from(v.value, 'hex') };
    case 'strings':
      return {
        type: V.T_STRING | V.T_ARRAY,
        bytes: Buffer.from(v.value.map((s) => `${s}\0`).join(''), 'utf16le'),
      };
    case 'u32s': {
      const b = Buffer.alloc(v.value.length * 4);
      v.value.forEach((n, i) => {
        b.writeUInt32LE(n >>> 0, i * 4);
      });
      return { type: V.T_UINT32 | V.T_ARRAY, bytes: b };
    }
  }
}

/** Thrown when a record cannot fit in the chunk being written: the caller starts a new chunk. */
class ChunkFull extends Error {}

/** Writes binary XML into the chunk buffer at absolute chunk offsets (names need them). */
class ChunkBuilder {
  buf = Buffer.alloc(CHUNK_SIZE);
  pos = CHUNK_HEADER_SIZE;
  names = new Map<string, number>();
  templates = new Map<string, number>();
  private added: Array<[Map<string, number>, string]> = [];
  firstId = -1;
  lastId = -1;
  lastRecordOffset = 0;

  reserve(n: number): void {
    if (this.pos + n > CHUNK_SIZE) throw new ChunkFull();
  }
  u8(n: number): void {
    this.reserve(1);
    this.buf[this.pos++] = n;
  }
  u16(n: number): void {
    this.reserve(2);
    this.buf.writeUInt16LE(n, this.pos);
    this.pos += 2;
  }
  u32(n: number): void {
    this.reserve(4);
    this.buf.writeUInt32LE(n >>> 0, this.pos);
    this.pos += 4;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  remember(map: Map<string, number>, key: string, at: number): void {
    map.set(key, at);
    this.added.push([map, key]);
  }
  /** Forgets names and templates defined by a record that did not fit. */
  rollback(to: number): void {
    for (const [m, k] of this.added) m.delete(k);
    this.added = [];
    this.pos = to;
  }
  commit(): void {
    this.added = [];
  }

  /** A name field: an offset, followed by the name itself the first time the chunk uses it. */
  name(s: string): void {
    const known = this.names.get(s);
    if (known !== undefined) {
      this.u32(known);
      return;
    }
    const at = this.pos + 4;
    this.u32(at);
    this.remember(this.names, s, at);
    this.u32(0);
    this.u16(nameHash(s));
    this.u16(s.length);
    this.bytes(Buffer.from(s, 'utf16le'));
    this.u16(0);
  }
}

/** A template body, abstractly: elements whose content/attributes are text or substitutions. */
type Content = { text: string } | { sub: number; type: number; optional?: boolean };
interface Elem {
  name: string;
  attrs: Array<[string, Content]>;
  children: Array<Elem | Content>;
}

function el(name: string, attrs: Array<[string, Content]>, children: Array<Elem | Content> = []): Elem {
  return { name, attrs, children };
}

/**
 * XML-special characters in literal text, written as entity references. (Character references,
 * token 0x08, are valid too, but libevtx 20181227 cannot read them.)
 */
const SPECIAL: Record<string, string | number> = {
  '&': 'amp',
  '>': 'gt',
  '"': 'quot',
  '<': 'lt',
  "'": 'apos',
};

function writeText(w: ChunkBuilder, s: string): void {
  // Runs of plain text and references, each token flagged (0x40) when more content follows,
  // as MS-EVEN6's example encodes "def &< ghi".
  const pieces: Array<string | number> = [];
  let run = '';
  for (const ch of s) {
    const sp = SPECIAL[ch];
    if (sp === undefined) run += ch;
    else {
      if (run) pieces.push(run);
      run = '';
      pieces.push(typeof sp === 'number' ? sp : `&${sp}`);
    }
  }
  if (run || pieces.length === 0) pieces.push(run);
  pieces.forEach((pc, i) => {
    const more = i < pieces.length - 1 ? 0x40 : 0;
    if (typeof pc === 'number') {
      w.u8(0x08 | more);
      w.u16(pc);
    } else if (pc.startsWith('&') && pc.length > 1) {
      w.u8(0x09 | more);
      w.name(pc.slice(1));
    } else {
      w.u8(0x05 | more);
      w.u8(V.T_STRING);
      w.u16(pc.length);
      w.bytes(Buffer.from(pc, 'utf16le'));
    }
  });
}

function writeContent(w: ChunkBuilder, c: Content): void {
  if ('text' in c) {
    writeText(w, c.text);
  } else {
    w.u8(c.optional ? 0x0e : 0x0d);
    w.u16(c.sub);
    w.u8(c.type);
  }
}

function writeElem(w: ChunkBuilder, e: Elem): void {
  const start = w.pos;
  w.u8(e.attrs.length ? 0x41 : 0x01);
  w.u16(0xffff); // dependency identifier: none
  const sizeAt = w.pos;
  w.u32(0);
  w.name(e.name);
  let listAt = -1;
  if (e.attrs.length) {
    listAt = w.pos;
    w.u32(0);
  }
  e.attrs.forEach(([n, c], i) => {
    w.u8(i < e.attrs.length - 1 ? 0x46 : 0x06);
    w.name(n);
    writeContent(w, c);
  });
  if (listAt >= 0) w.buf.writeUInt32LE(w.pos - listAt - 4, listAt);
  if (e.children.length === 0) w.u8(0x03);
  else {
    w.u8(0x02);
    for (const c of e.children) {
      if ('name' in c) writeElem(w, c);
      else writeContent(w, c);
    }
    w.u8(0x04);
  }
  w.buf.writeUInt32LE(w.pos - sizeAt - 4, sizeAt);
  void start;
}

/** Writes fragment header, template instance (definition inline on first use) and values. */
function writeInstance(
  w: ChunkBuilder,
  key: string,
  body: Elem,
  values: Array<{ type: number; bytes: Buffer } | ((w: ChunkBuilder) => void)>,
  forcedGuid?: string,
): void {
  w.u8(0x0f);
  w.u8(1);
  w.u8(1);
  w.u8(0);
  w.u8(0x0c);
  w.u8(0x01);
  const guid = templateGuid(key, forcedGuid);
  w.u32(guid.readUInt32LE(0)); // template id: Windows uses the GUID's first 4 bytes
  const known = w.templates.get(key);
  if (known !== undefined) w.u32(known);
  else {
    const at = w.pos + 4;
    w.u32(at);
    w.remember(w.templates, key, at);
    w.u32(0); // next template in bucket
    w.bytes(guid);
    const sizeAt = w.pos;
    w.u32(0);
    w.u8(0x0f);
    w.u8(1);
    w.u8(1);
    w.u8(0);
    writeElem(w, body);
    w.u8(0x00);
    w.buf.writeUInt32LE(w.pos - sizeAt - 4, sizeAt);
  }
  w.u32(values.length);
  const descAt = w.pos;
  w.reserve(values.length * 4);
  w.pos += values.length * 4;
  values.forEach((v, i) => {
    const start = w.pos;
    let type: number;
    if (typeof v === 'function') {
      v(w);
      type = V.T_BINXML;
    } else {
      w.bytes(v.bytes);
      type = v.type;
    }
    if (w.pos - start > 0xffff) throw new Error('writer: value longer than 65535 bytes');
    w.buf.writeUInt16LE(w.pos - start, descAt + i * 4);
    w.buf[descAt + i * 4 + 2] = type;
    w.buf[descAt + i * 4 + 3] = 0;
  });
  w.u8(0x00); // end of fragment, after the values (libevtx reads it)
}

function sub(i: number, type: number, optional = false): Content {
  return { sub: i, type, optional };
}

/** Builds the event's template body and its values (in substitution order). */
function eventTemplate(e: WriterEvent): {
  key: string;
  body: Elem;
  values: Array<{ type: number; bytes: Buffer } | ((w: ChunkBuilder) => void)>;
} {
  const values: Array<{ type: number; bytes: Buffer } | ((w: ChunkBuilder) => void)> = [];
  const add = (v: WriterValue): Content => {
    const enc = encodeValue(v);
    values.push(enc);
    return sub(values.length - 1, enc.type, true);
  };
  const system = el(
    'System',
    [],
    [
      el('Provider', [['Name', add(e.provider)]]),
      el('EventID', [], [add({ type: 'u16', value: e.eventId })]),
      el('Level', [], [add({ type: 'u8', value: 4 })]),
      el('Keywords', [], [add({ type: 'hex64', value: 0x8000000000000000n })]),
      el('TimeCreated', [['SystemTime', add({ type: 'filetime', value: e.time })]]),
      el('EventRecordID', [], [add({ type: 'u64', value: BigInt(e.recordId) })]),
      el('Channel', [], [add(e.channel)]),
      el('Computer', [], [add(e.computer)]),
      el('Security', [['UserID', add(e.userSid ? { type: 'sid', value: e.userSid } : { type: 'null' })]]),
    ],
  );
  const kids: Array<Elem | Content> = [system];
  let key = `${e.provider}|${e.eventId}|${e.userSid ? 's' : ''}|${e.templateGuid ?? ''}`;
  if (e.data && e.embedEventData) {
    // Sysmon's layout: the whole <EventData> is one BinXml value holding its own template.
    const shape = e.data.map(([n, v]) => `${n}:${encodeValue(v).type}`).join(',');
    const innerValues = e.data.map(([, v]) => encodeValue(v));
    const inner = el(
      'EventData',
      [],
      e.data.map(([n], i) =>
        el('Data', n === null ? [] : [['Name', { text: n }]], [sub(i, innerValues[i].type, true)]),
      ),
    );
    const innerKey = `E:${shape}`;
    values.push((w) => writeInstance(w, innerKey, inner, innerValues));
    kids.push(sub(values.length - 1, V.T_BINXML, true));
    key += '|E';
  } else if (e.data) {
    kids.push(
      el(
        'EventData',
        [],
        e.data.map(([n, v]) => el('Data', n === null ? [] : [['Name', { text: n }]], [add(v)])),
      ),
    );
    key += `|D:${e.data.map(([n, v]) => `${n}:${encodeValue(v).type}`).join(',')}`;
  }
  if (e.userData) {
    const ud = e.userData;
    const inner = el(ud.wrapper, [['xmlns', { text: 'urn:ratchain-test' }]], []);
    const innerValues = ud.fields.map(([n, v], i) => {
      const enc = encodeValue(v);
      inner.children.push(el(n, [], [sub(i, enc.type, true)]));
      return enc;
    });
    const innerKey = `U:${ud.wrapper}|${ud.fields.map(([n, v]) => `${n}:${encodeValue(v).type}`).join(',')}|${ud.templateGuid ?? ''}`;
    values.push((w) => writeInstance(w, innerKey, inner, innerValues, ud.templateGuid));
    kids.push(el('UserData', [], [sub(values.length - 1, V.T_BINXML, true)]));
    key += `|${innerKey}`;
  }
  return { key, body: el('Event', [['xmlns', { text: EVENT_NS }]], kids), values };
}

/** The event as plain elements with literal text (no template): older or unusual writers. */
function plainEvent(e: WriterEvent): Elem {
  const t = (s: string): Content => ({ text: s });
  const sys = el(
    'System',
    [],
    [
      el('Provider', [['Name', t(e.provider)]]),
      el('EventID', [], [t(String(e.eventId))]),
      el('TimeCreated', [['SystemTime', t(new Date(e.time).toISOString())]]),
      el('EventRecordID', [], [t(String(e.recordId))]),
      el('Channel', [], [t(e.channel)]),
      el('Computer', [], [t(e.computer)]),
    ],
  );
  if (e.userSid) sys.children.push(el('Security', [['UserID', t(e.userSid)]]));
  const kids: Elem[] = [sys];
  if (e.data)
    kids.push(
      el(
        'EventData',
        [],
        e.data.map(([n, v]) =>
          el('Data', n === null ? [] : [['Name', t(n)]], typeof v === 'string' && v ? [t(v)] : []),
        ),
      ),
    );
  if (e.nest) {
    let deep = el('Deep', []);
    for (let i = 1; i < e.nest; i++) deep = el('Deep', [], [deep]);
    kids.push(deep);
  }
  return el('Event', [['xmlns', t(EVENT_NS)]], kids);
}

function writeRecord(w: ChunkBuilder, e: WriterEvent): void {
  const start = w.pos;
  w.u32(0x00002a2a);
  w.u32(0);
  w.reserve(16);
  w.buf.writeBigUInt64LE(BigInt(e.recordId), w.pos);
  w.buf.writeBigUInt64LE(filetime(e.time), w.pos + 8);
  w.pos += 16;
  if (e.plain) {
    w.u8(0x0f);
    w.u8(1);
    w.u8(1);
    w.u8(0);
    writeElem(w, plainEvent(e));
    w.u8(0x00);
  } else {
    const t = eventTemplate(e);
    writeInstance(w, t.key, t.body, t.values, e.templateGuid);
  }
  // Windows pads records to 8 bytes.
  while ((w.pos - start + 4) % 8) w.u8(0);
  const size = w.pos - start + 4;
  w.u32(size);
  w.buf.writeUInt32LE(size, start + 4);
}

/** Fills in a chunk's header and both its checksums. */
function finishChunk(w: ChunkBuilder): Buffer {
  const b = w.buf;
  b.write('ElfChnk\0', 0, 'latin1');
  b.writeBigUInt64LE(BigInt(w.firstId), 8);
  b.writeBigUInt64LE(BigInt(w.lastId), 16);
  b.writeBigUInt64LE(BigInt(w.firstId), 24);
  b.writeBigUInt64LE(BigInt(w.lastId), 32);
  b.writeUInt32LE(128, 40);
  b.writeUInt32LE(w.lastRecordOffset, 44);
  b.writeUInt32LE(w.pos, 48);
  chunkChecksums(b);
  return b;
}

function chunkChecksums(b: Buffer): void {
  const free = Math.min(b.readUInt32LE(48), CHUNK_SIZE);
  b.writeUInt32LE(crc32(b.subarray(CHUNK_HEADER_SIZE, Math.max(free, CHUNK_HEADER_SIZE))), 52);
  b.writeUInt32LE(crc32(b.subarray(128, 512), crc32(b.subarray(0, 120))), 124);
}

/** The 4 KiB file header. */
export function fileHeader(chunkCount: number, nextRecordId: number, opts: WriterOptions = {}): Buffer {
  const b = Buffer.alloc(FILE_HEADER_SIZE);
  b.write('ElfFile\0', 0, 'latin1');
  b.writeBigUInt64LE(0n, 8);
  b.writeBigUInt64LE(BigInt(Math.max(0, chunkCount - 1)), 16);
  b.writeBigUInt64LE(BigInt(nextRecordId), 24);
  b.writeUInt32LE(128, 32);
  b.writeUInt16LE(1, 36);
  b.writeUInt16LE(3, 38);
  b.writeUInt16LE(FILE_HEADER_SIZE, 40);
  b.writeUInt16LE(Math.min(opts.headerChunkCount ?? chunkCount, 0xffff), 42);
  b.writeUInt32LE(opts.dirty ? FLAG_DIRTY : 0, 120);
  b.writeUInt32LE(crc32(b.subarray(0, 120)), 124);
  return b;
}

/** Yields complete 64 KiB chunks holding `events`, in order (streaming: for large files). */
export function* evtxChunks(events: Iterable<WriterEvent>): Generator<Buffer> {
  let w = new ChunkBuilder();
  for (const e of events) {
    for (let attempt = 0; ; attempt++) {
      const start = w.pos;
      try {
        writeRecord(w, e);
        w.commit();
        if (w.firstId < 0) w.firstId = e.recordId;
        w.lastId = e.recordId;
        w.lastRecordOffset = start;
        break;
      } catch (err) {
        if (!(err instanceof ChunkFull)) throw err;
        w.rollback(start);
        if (attempt > 0 || w.firstId < 0)
          throw new Error(`writer: record ${e.recordId} does not fit in a chunk`);
        yield finishChunk(w);
        w = new ChunkBuilder();
      }
    }
  }
  if (w.firstId >= 0) yield finishChunk(w);
}

/** A whole EVTX file in memory (tests). */
export function writeEvtx(events: Iterable<WriterEvent>, opts: WriterOptions = {}): Buffer {
  const chunks = [...evtxChunks(events)];
  let next = 1;
  for (const c of chunks) next = Math.max(next, Number(c.readBigUInt64LE(32)) + 1);
  return Buffer.concat([fileHeader(chunks.length, next, opts), ...chunks]);
}

/** Recomputes the file header CRC and every chunk's CRCs in place (after a test patched bytes). */
export function rechecksum(file: Buffer): void {
  if (file.length >= 128) file.writeUInt32LE(crc32(file.subarray(0, 120)), 124);
  for (let o = FILE_HEADER_SIZE; o + CHUNK_SIZE <= file.length; o += CHUNK_SIZE)
    chunkChecksums(file.subarray(o, o + CHUNK_SIZE));
}
