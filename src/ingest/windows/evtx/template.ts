// Compiles a binary XML token stream (a template definition, or a record without one) into a
// plan: the few operations that move substitution values into WinRecord fields. Nothing of the
// XML survives compilation except where each value goes, so a template read once costs almost
// nothing for every further record that instances it. Token and layout facts follow libyal's
// "Windows XML Event Log (EVTX)" description and MS-EVEN6.
import { T_BINXML, utf16 } from './values.ts';

/** Where an element sits in the event, which decides what its values mean. */
export const R_ROOT = 0;
export const R_EVENT = 1;
export const R_SYSTEM = 2;
export const R_PROVIDER = 3;
export const R_EVENTID = 4;
export const R_TIME = 5;
export const R_CHANNEL = 6;
export const R_COMPUTER = 7;
export const R_SECURITY = 8;
export const R_EVENTDATA = 9;
export const R_DATA = 10;
export const R_USERDATA = 11;
export const R_USERDATA_IN = 12;
export const R_OTHER = 13;
export const R_RECORDID = 14;

/** Operation kinds. */
export const OP_PROVIDER = 1;
export const OP_EVENTID = 2;
export const OP_TIME = 3;
export const OP_CHANNEL = 4;
export const OP_COMPUTER = 5;
export const OP_USERSID = 6;
/** data[name] = value (name null: the next unnamed "Data", "Data1", ...). */
export const OP_DATA = 7;
/** A substitution that may hold an embedded binary XML fragment, read in `role`. */
export const OP_EMBED = 8;
/** System/EventRecordID: the id Windows shows (record headers are renumbered by exports). */
export const OP_RECORDID = 9;

/** A literal text piece, or the index of a substitution value. */
export type Part = string | number;

export interface Op {
  k: number;
  parts: Part[];
  /** OP_DATA: literal name, or null when nameParts (or nothing: unnamed) gives it. */
  name: string | null;
  nameParts: Part[] | null;
  /** OP_EMBED / OP_DATA: the role an embedded fragment is read in. */
  role: number;
  /** OP_DATA: position of its value among the plan's data values. */
  slot: number;
  /**
   * OP_DATA: its sole substitution is optional. Windows (and evtxexport) leave out an element
   * whose optional substitution is NULL, so such a field is absent, not "".
   */
  optional: boolean;
  /** OP_EMBED: substitution index. Other ops: the index when `parts` is one substitution, else -1. */
  sub: number;
}

export interface Plan {
  ops: Op[];
  /**
   * When every data field of the plan has a literal name: builds the data object from the
   * values in op order as one object literal. Adding keys one by one to a fresh object is a
   * megamorphic store per field; a literal of known shape is a single allocation.
   */
  makeData: ((values: string[]) => Record<string, string>) | null;
  /** Number of data ops (the length makeData expects). */
  dataCount: number;
}

/** Builds `makeData` for literal names, or null when a name needs the generic path. */
function dataMaker(ops: Op[]): Plan['makeData'] {
  const names: string[] = [];
  for (const o of ops) {
    if (o.k !== OP_DATA) continue;
    // "__proto__" in a literal would set the prototype; such a plan takes the generic path.
    if (o.name === null || o.name === '__proto__') return null;
    names.push(o.name);
  }
  if (names.length === 0) return null;
  // Names are embedded as JSON string literals, which are valid, inert JS string literals.
  const body = `return {${names.map((n, i) => `${JSON.stringify(n)}: v[${i}]`).join(', ')}};`;
  let make = makers.get(body);
  if (!make) {
    // Shared by every chunk and file using the same field names, so it is compiled (and
    // optimized by V8) once. Bounded: hostile input cannot grow it without limit.
    if (makers.size >= MAX_MAKERS || makerChars + body.length > MAX_MAKER_CHARS) {
      makers.clear();
      makerChars = 0;
    }
    make = new Function('v', body) as (values: string[]) => Record<string, string>;
    makers.set(body, make);
    makerChars += body.length;
  }
  return make;
}

const MAX_MAKERS = 4096;
const MAX_MAKER_CHARS = 8 * 1024 * 1024;
let makerChars = 0;
const makers = new Map<string, (values: string[]) => Record<string, string>>();

/** What a chunk's readers share: its bytes, and names and plans already resolved in it. */
export interface ChunkState {
  buf: Buffer;
  /** Bytes of `buf` that belong to the chunk (less than 64 KiB for a truncated last chunk). */
  len: number;
  names: Map<number, string>;
  plans: Map<number, Plan>;
  /** Named data fields to render (EvtxSink.fields); null: every one. */
  fields: ReadonlySet<string> | null;
  /**
   * Token bytes this chunk may still compile. Hostile chunks can point many records at
   * overlapping "templates"; the budget keeps the work per chunk bounded.
   */
  budget: number;
  /**
   * Value bytes this chunk may still render. A hostile template can name one large value many
   * times; honest chunks render about their own size.
   */
  render: number;
  /** Plan operations this chunk may still run: many tiny records instancing a huge template. */
  ops: number;
}

/** Operations allowed per chunk: real chunks run a few ten thousand. */
export const CHUNK_OP_BUDGET = 1_000_000;

/** Rendering allowed per 64 KiB chunk. */
export const CHUNK_RENDER_BUDGET = 4 * 1024 * 1024;

/** Compile work allowed per 64 KiB chunk: many times what any real chunk needs. */
export const CHUNK_COMPILE_BUDGET = 8 * 1024 * 1024;

/** Thrown for malformed token streams; the record reader turns it into a problem report. */
export class EvtxFormatError extends Error {}

const MAX_DEPTH = 64;

const TOK_EOF = 0x00;
const TOK_OPEN = 0x01;
const TOK_CLOSE_START = 0x02;
const TOK_CLOSE_EMPTY = 0x03;
const TOK_END = 0x04;
const TOK_VALUE = 0x05;
const TOK_ATTR = 0x06;
const TOK_CDATA = 0x07;
const TOK_CHARREF = 0x08;
const TOK_ENTITY = 0x09;
const TOK_PI_TARGET = 0x0a;
const TOK_PI_DATA = 0x0b;
const TOK_TEMPLATE = 0x0c;
const TOK_SUBST = 0x0d;
const TOK_OPT_SUBST = 0x0e;
const TOK_FRAGMENT = 0x0f;
/** Marks a declared substitution type as optional (beyond the 8 bits of a value type). */
const OPTIONAL = 0x100;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function u16(b: Buffer, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

export function u32(b: Buffer, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
}

function childRole(parent: number, name: string): number {
  switch (parent) {
    case R_ROOT:
      return name === 'Event' ? R_EVENT : R_OTHER;
    case R_EVENT:
      if (name === 'System') return R_SYSTEM;
      if (name === 'EventData') return R_EVENTDATA;
      if (name === 'UserData') return R_USERDATA;
      return R_OTHER;
    case R_SYSTEM:
      switch (name) {
        case 'Provider':
          return R_PROVIDER;
        case 'EventID':
          return R_EVENTID;
        case 'TimeCreated':
          return R_TIME;
        case 'Channel':
          return R_CHANNEL;
        case 'Computer':
          return R_COMPUTER;
        case 'Security':
          return R_SECURITY;
        case 'EventRecordID':
          return R_RECORDID;
        default:
          return R_OTHER;
      }
    case R_EVENTDATA:
      return name === 'Data' ? R_DATA : R_OTHER;
    case R_USERDATA:
    case R_USERDATA_IN:
      return R_USERDATA_IN;
    default:
      return R_OTHER;
  }
}

function op(k: number, parts: Part[], role = R_OTHER): Op {
  const sole = parts.length === 1 && typeof parts[0] === 'number' ? parts[0] : -1;
  return { k, parts, name: null, nameParts: null, role, sub: sole, slot: -1, optional: false };
}

interface Frame {
  role: number;
  name: string;
  parts: Part[];
  /** Declared value type of each substitution part (0 for literals). */
  types: number[];
  nameParts: Part[] | null;
  hasChild: boolean;
}

/**
 * Reads the name structure a token points at. A name is stored inline the first time the chunk
 * uses it (its offset is then the current position) and referenced by offset afterwards.
 * Returns the name and the position after the token's name field.
 */
/** A name field met while compiling: where its offset lies, what it pointed at. */
export interface NameRef {
  /** Chunk offset of the 4-byte name offset field. */
  field: number;
  /** The name offset read there. */
  off: number;
  inline: boolean;
}

/** What a compilation depended on, so a plan can be reused for identical bytes elsewhere. */
export interface CompileTrace {
  names: NameRef[];
  /** False when the dependency-identifier layout had to be guessed (position-dependent). */
  regular: boolean;
}

let trace: CompileTrace | null = null;

function readName(st: ChunkState, nameOff: number, here: number): [string, number] {
  if (trace) trace.names.push({ field: here - 4, off: nameOff, inline: nameOff === here });
  if (nameOff < 0 || nameOff + 8 > st.len)
    throw new EvtxFormatError(`name offset ${nameOff} outside the chunk`);
  const n = u16(st.buf, nameOff + 6);
  const end = nameOff + 8 + n * 2;
  if (end > st.len) throw new EvtxFormatError(`name at ${nameOff} runs past the chunk`);
  let name = st.names.get(nameOff);
  if (name === undefined) {
    name = utf16(st.buf, nameOff + 8, end);
    st.names.set(nameOff, name);
  }
  return [name, nameOff === here ? end + 2 : here];
}

/**
 * Whether an element token at `p` carries the 2-byte dependency identifier. EVTX writes it, but
 * some fragments (MS-EVEN6's own examples) omit it; a name offset that is neither inline nor
 * earlier in the chunk tells which layout is real.
 */
function hasDependencyId(st: ChunkState, p: number): boolean {
  const withId = u32(st.buf, p + 7);
  if (withId === p + 11 || (withId >= 512 && withId < p)) return true;
  if (trace) trace.regular = false;
  const without = u32(st.buf, p + 5);
  return !(without === p + 9 || (without >= 512 && without < p));
}

/**
 * Compiles tokens in [start, end) read in `role`. `withValues` is false for records without a
 * template, where a substitution token would be meaningless.
 */
export function compile(
  st: ChunkState,
  start: number,
  end: number,
  role: number,
  withValues: boolean,
  tr: CompileTrace | null = null,
): Plan {
  trace = tr;
  try {
    return compileTokens(st, start, end, role, withValues);
  } finally {
    trace = null;
  }
}

function compileTokens(st: ChunkState, start: number, end: number, role: number, withValues: boolean): Plan {
  st.budget -= end - start;
  if (st.budget < 0) throw new EvtxFormatError('chunk exceeds its template compile budget (hostile?)');
  const b = st.buf;
  const ops: Op[] = [];
  const stack: Frame[] = [];
  let top: Frame | undefined;
  // Attribute being read: its role-relevant meaning, and its value parts.
  let attrParts: Part[] | null = null;
  let attrOwner: Frame | undefined;
  let attrName = '';
  let p = start;

  const need = (n: number) => {
    if (p + n > end) throw new EvtxFormatError(`token at ${p} runs past its fragment`);
  };
  const finishAttr = () => {
    if (!attrParts || !attrOwner) return;
    const r = attrOwner.role;
    if (r === R_PROVIDER && attrName === 'Name') ops.push(op(OP_PROVIDER, attrParts));
    else if (r === R_TIME && attrName === 'SystemTime') ops.push(op(OP_TIME, attrParts));
    else if (r === R_SECURITY && attrName === 'UserID') ops.push(op(OP_USERSID, attrParts));
    else if (r === R_DATA && attrName === 'Name') attrOwner.nameParts = attrParts;
    attrParts = null;
    attrOwner = undefined;
  };
  const addPart = (part: Part, type: number) => {
    if (attrParts) attrParts.push(part);
    else if (top) {
      top.parts.push(part);
      top.types.push(type);
    }
  };
  const close = () => {
    finishAttr();
    const f = stack.pop();
    if (!f) throw new EvtxFormatError(`end tag at ${p} without an open element`);
    top = stack[stack.length - 1];
    switch (f.role) {
      case R_EVENTID:
        ops.push(op(OP_EVENTID, f.parts));
        return;
      case R_CHANNEL:
        ops.push(op(OP_CHANNEL, f.parts));
        return;
      case R_COMPUTER:
        ops.push(op(OP_COMPUTER, f.parts));
        return;
      case R_RECORDID:
        ops.push(op(OP_RECORDID, f.parts));
        return;
      case R_DATA: {
        const o = op(OP_DATA, f.parts, f.role);
        o.optional = f.types.length === 1 && (f.types[0] & OPTIONAL) !== 0;
        if (f.nameParts) {
          if (f.nameParts.every((x) => typeof x === 'string')) o.name = f.nameParts.join('');
          else o.nameParts = f.nameParts;
        }
        ops.push(o);
        return;
      }
      case R_USERDATA_IN:
        if (!f.hasChild && f.parts.length > 0) {
          const o = op(OP_DATA, f.parts, f.role);
          o.optional = f.types.length === 1 && (f.types[0] & OPTIONAL) !== 0;
          o.optional = f.types.length === 1 && (f.types[0] & OPTIONAL) !== 0;
          o.name = f.name;
          ops.push(o);
          return;
        }
        break;
    }
    for (let i = 0; i < f.parts.length; i++) {
      if (typeof f.parts[i] === 'number' && (f.types[i] & 0xff) === T_BINXML) {
        const o = op(OP_EMBED, [], f.role);
        o.sub = f.parts[i] as number;
        ops.push(o);
      }
    }
  };

  while (p < end) {
    const tok = b[p];
    switch (tok & 0xbf) {
      case TOK_EOF:
        p = end;
        break;
      case TOK_FRAGMENT:
        p += 4;
        break;
      case TOK_OPEN: {
        finishAttr();
        need(11);
        const dep = hasDependencyId(st, p) ? 2 : 0;
        const here = p + 9 + dep;
        const [name, next] = readName(st, u32(b, p + 5 + dep), here);
        p = next;
        if (tok & 0x40) p += 4; // attribute list size
        if (stack.length >= MAX_DEPTH) throw new EvtxFormatError(`elements nested deeper than ${MAX_DEPTH}`);
        if (top) top.hasChild = true;
        top = {
          role: childRole(top ? top.role : role, name),
          name,
          parts: [],
          types: [],
          nameParts: null,
          hasChild: false,
        };
        stack.push(top);
        break;
      }
      case TOK_CLOSE_START:
        finishAttr();
        p += 1;
        break;
      case TOK_CLOSE_EMPTY:
      case TOK_END:
        close();
        p += 1;
        break;
      case TOK_ATTR: {
        finishAttr();
        need(5);
        const [name, next] = readName(st, u32(b, p + 1), p + 5);
        p = next;
        attrName = name;
        attrOwner = top;
        attrParts = [];
        break;
      }
      case TOK_VALUE: {
        need(4);
        const n = u16(b, p + 2);
        need(4 + n * 2);
        addPart(b[p + 1] === 0x01 ? b.toString('utf16le', p + 4, p + 4 + n * 2) : '', 0);
        p += 4 + n * 2;
        break;
      }
      case TOK_CDATA: {
        need(3);
        const n = u16(b, p + 1);
        need(3 + n * 2);
        addPart(b.toString('utf16le', p + 3, p + 3 + n * 2), 0);
        p += 3 + n * 2;
        break;
      }
      case TOK_CHARREF:
        need(3);
        addPart(String.fromCharCode(u16(b, p + 1)), 0);
        p += 3;
        break;
      case TOK_ENTITY: {
        need(5);
        const [name, next] = readName(st, u32(b, p + 1), p + 5);
        addPart(ENTITIES[name] ?? `&${name};`, 0);
        p = next;
        break;
      }
      case TOK_PI_TARGET: {
        finishAttr();
        need(5);
        p = readName(st, u32(b, p + 1), p + 5)[1];
        break;
      }
      case TOK_PI_DATA: {
        need(3);
        p += 3 + u16(b, p + 1) * 2;
        break;
      }
      case TOK_SUBST:
      case TOK_OPT_SUBST:
        need(4);
        if (!withValues) throw new EvtxFormatError(`substitution at ${p} outside a template`);
        addPart(u16(b, p + 1), b[p + 3] | (tok === TOK_OPT_SUBST ? OPTIONAL : 0));
        p += 4;
        break;
      case TOK_TEMPLATE:
        throw new EvtxFormatError(`template instance at ${p} inside another template`);
      default:
        throw new EvtxFormatError(`unknown token 0x${tok.toString(16)} at ${p}`);
    }
  }
  finishAttr();
  if (stack.length) throw new EvtxFormatError(`fragment ends with ${stack.length} element(s) open`);
  let slot = 0;
  for (const o of ops) if (o.k === OP_DATA) o.slot = slot++;
  return { ops, makeData: dataMaker(ops), dataCount: slot };
}
