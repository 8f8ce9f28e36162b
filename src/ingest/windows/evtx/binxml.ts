// Runs a record's binary XML: finds its template instance, reads the substitution values'
// descriptors, and applies the template's compiled plan, so values go straight into the
// WinRecord. Embedded fragments (BinXml-typed values, e.g. UserData) are run the same way, one
// level deeper, up to a fixed depth.
import type { WinRecord } from '../record.ts';
import { parseWinTime } from '../record.ts';
import { sharedTemplatePlan } from './plan-cache.ts';
import {
  type ChunkState,
  compile,
  EvtxFormatError,
  OP_CHANNEL,
  OP_COMPUTER,
  OP_DATA,
  OP_EMBED,
  OP_EVENTID,
  OP_PROVIDER,
  OP_RECORDID,
  OP_TIME,
  OP_USERSID,
  type Op,
  type Part,
  type Plan,
  u32,
} from './template.ts';
import {
  arrayItems,
  filetimeAt,
  renderValue,
  T_ARRAY,
  T_BINXML,
  T_FILETIME,
  T_NULL,
  T_STRING,
  T_UINT16,
  utf16,
} from './values.ts';

const MAX_NESTING = 8;
const TEMPLATE_HEADER = 24;

/** Substitution values of one template instance: where each lies in the chunk and its type. */
class Values {
  n = 0;
  off = new Int32Array(64);
  size = new Int32Array(64);
  type = new Uint8Array(64);
  reserve(n: number): void {
    if (n <= this.off.length) return;
    const cap = Math.max(n, this.off.length * 2);
    this.off = new Int32Array(cap);
    this.size = new Int32Array(cap);
    this.type = new Uint8Array(cap);
  }
}

const NONE = new Values();
/** Data values of the plan running at each nesting depth (see Plan.makeData). */
const dataValues: string[][] = [];
for (let i = 0; i <= MAX_NESTING + 1; i++) dataValues.push([]);
const pool: Values[] = [];
for (let i = 0; i <= MAX_NESTING; i++) pool.push(new Values());

/** Per-record scratch state: the record being filled and its unnamed-Data counter. */
export interface RecordFill {
  rec: WinRecord;
  unnamed: number;
  /** Whether rec.data is still the empty object the record started with. */
  dataEmpty: boolean;
  /** Operations this record may still run: bounds templates that embed one value many times. */
  budget: number;
}

/** Operations allowed per record; real records run a few dozen. */
export const RECORD_OP_BUDGET = 100_000;

function text(st: ChunkState, parts: Part[], v: Values): string {
  if (parts.length === 1) return part(st, parts[0], v);
  let s = '';
  for (let i = 0; i < parts.length; i++) s += part(st, parts[i], v);
  return s;
}

function part(st: ChunkState, p: Part, v: Values): string {
  if (typeof p === 'string') return p;
  if (p >= v.n) return '';
  const t = v.type[p];
  if (t === T_BINXML) return '';
  spend(st, v.size[p]);
  return renderValue(st.buf, v.off[p], v.size[p], t);
}

function spend(st: ChunkState, bytes: number): void {
  st.render -= bytes;
  if (st.render < 0) throw new EvtxFormatError('chunk exceeds its value rendering budget (hostile?)');
}

/** The op's sole substitution when the record has it, else -1. */
function soleSub(o: Op, v: Values): number {
  return o.sub < v.n ? o.sub : -1;
}

function execute(st: ChunkState, plan: Plan, v: Values, fill: RecordFill, depth: number): void {
  const rec = fill.rec;
  const b = st.buf;
  const ops = plan.ops;
  const dv = plan.makeData ? dataValues[depth] : null;
  let holes = false;
  // Each run costs at least one, so embedding an empty fragment many times is bounded too.
  fill.budget -= ops.length + 1;
  st.ops -= ops.length + 1;
  if (fill.budget < 0) throw new EvtxFormatError('record exceeds its operation budget (hostile?)');
  if (st.ops < 0) throw new EvtxFormatError('chunk exceeds its operation budget (hostile?)');
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i];
    switch (o.k) {
      case OP_DATA: {
        // The hot path: one substitution into one named field.
        const s = soleSub(o, v);
        let value: string;
        if (s >= 0) {
          const t = v.type[s];
          if (t === T_NULL && o.optional) {
            // An optional NULL value: the element is not rendered, so there is no field.
            if (dv) {
              dv[o.slot] = '';
              holes = true;
            }
            break;
          }
          if (t === T_BINXML) {
            embed(st, v, s, o.role, fill, depth);
            if (dv) {
              dv[o.slot] = '';
              holes = true;
            }
            break;
          }
          if (o.name !== null && st.fields !== null && !st.fields.has(o.name)) {
            // A field nothing reads: not rendered (undefined reads as absent).
            if (dv) dv[o.slot] = undefined as unknown as string;
            break;
          }
          spend(st, v.size[s]);
          value =
            t === T_STRING
              ? utf16(b, v.off[s], v.off[s] + v.size[s])
              : renderValue(b, v.off[s], v.size[s], t);
        } else value = text(st, o.parts, v);
        if (dv) {
          dv[o.slot] = value;
          break;
        }
        let name = o.name;
        if (name === null) {
          if (o.nameParts) name = text(st, o.nameParts, v);
          else if (s >= 0 && v.type[s] & T_ARRAY) {
            // Classic events: <Data>%1</Data> with a string array renders as one unnamed
            // <Data> per item (Data, Data1, ...), as Windows and evtxexport show them.
            for (const item of arrayItems(b, v.off[s], v.size[s], v.type[s])) {
              rec.data[fill.unnamed++ === 0 ? 'Data' : `Data${fill.unnamed - 1}`] = item;
            }
            fill.dataEmpty = false;
            break;
          } else name = fill.unnamed++ === 0 ? 'Data' : `Data${fill.unnamed - 1}`;
        }
        rec.data[name] = value;
        fill.dataEmpty = false;
        break;
      }
      case OP_EVENTID: {
        const s = soleSub(o, v);
        if (s >= 0 && v.type[s] === T_UINT16 && v.size[s] >= 2) {
          const at = v.off[s];
          rec.eventId = b[at] | (b[at + 1] << 8);
        } else {
          const t = text(st, o.parts, v).trim();
          rec.eventId = t === '' ? Number.NaN : Number(t);
        }
        break;
      }
      case OP_TIME: {
        const s = soleSub(o, v);
        if (s >= 0 && v.type[s] === T_FILETIME && v.size[s] >= 8) rec.time = filetimeAt(b, v.off[s]);
        else rec.time = parseWinTime(text(st, o.parts, v));
        break;
      }
      case OP_PROVIDER:
        rec.provider = text(st, o.parts, v) || undefined;
        break;
      case OP_CHANNEL:
        rec.channel = text(st, o.parts, v);
        break;
      case OP_COMPUTER:
        rec.computer = text(st, o.parts, v);
        break;
      case OP_RECORDID: {
        const t = text(st, o.parts, v).trim();
        if (t) rec.recordId = t;
        break;
      }
      case OP_USERSID:
        rec.userSid = text(st, o.parts, v) || undefined;
        break;
      case OP_EMBED:
        if (o.sub < v.n && v.type[o.sub] === T_BINXML) embed(st, v, o.sub, o.role, fill, depth);
        break;
    }
  }
  if (dv && plan.makeData) {
    let data: Record<string, string>;
    if (!holes) data = plan.makeData(dv);
    else {
      // Some data elements are not fields after all (an embedded fragment, an optional NULL):
      // assign the others in order, so a repeated name keeps its last rendered value.
      data = {};
      for (const o of ops) {
        if (o.k !== OP_DATA || o.name === null) continue;
        const t = o.sub >= 0 && o.sub < v.n ? v.type[o.sub] : -1;
        if (t === T_BINXML || (t === T_NULL && o.optional)) continue;
        data[o.name] = dv[o.slot];
      }
    }
    if (fill.dataEmpty) {
      fill.rec.data = data;
      fill.dataEmpty = false;
    } else Object.assign(fill.rec.data, data);
  }
}

function embed(st: ChunkState, v: Values, s: number, role: number, fill: RecordFill, depth: number): void {
  const size = v.size[s];
  if (size > 0) runFragment(st, v.off[s], v.off[s] + size, role, fill, depth + 1);
}

/** Compiles (once per chunk and role) the template whose definition starts at `defOff`. */
function templatePlan(st: ChunkState, defOff: number, role: number): Plan {
  const key = defOff * 16 + role;
  let plan = st.plans.get(key);
  if (plan) return plan;
  if (defOff < 512 || defOff + TEMPLATE_HEADER > st.len)
    throw new EvtxFormatError(`template offset ${defOff} outside the chunk`);
  const bodyEnd = defOff + TEMPLATE_HEADER + u32(st.buf, defOff + 20);
  if (bodyEnd > st.len) throw new EvtxFormatError(`template at ${defOff} runs past the chunk`);
  plan = sharedTemplatePlan(st, defOff, defOff + TEMPLATE_HEADER, bodyEnd, role);
  st.plans.set(key, plan);
  return plan;
}

/** Runs the binary XML fragment in [start, end) of the chunk, read in `role`. */
export function runFragment(
  st: ChunkState,
  start: number,
  end: number,
  role: number,
  fill: RecordFill,
  depth: number,
): void {
  if (depth > MAX_NESTING) throw new EvtxFormatError(`embedded fragments nested deeper than ${MAX_NESTING}`);
  const b = st.buf;
  let p = start;
  if (b[p] === 0x0f) p += 4;
  if (b[p] !== 0x0c) {
    // No template: plain elements. Rare (and never shared), so compiled for this record only.
    execute(st, compile(st, p, end, role, false), NONE, fill, depth);
    return;
  }
  if (p + 10 > end) throw new EvtxFormatError(`template instance at ${p} truncated`);
  const defOff = u32(b, p + 6);
  p += 10;
  if (defOff === p) {
    // The definition follows inline (first use in this chunk): step over it.
    if (p + TEMPLATE_HEADER > end) throw new EvtxFormatError(`template definition at ${p} truncated`);
    p += TEMPLATE_HEADER + u32(b, p + 20);
  }
  const plan = templatePlan(st, defOff, role);
  if (p + 4 > end) throw new EvtxFormatError(`template values at ${p} truncated`);
  const n = u32(b, p);
  p += 4;
  if (n * 4 > end - p) throw new EvtxFormatError(`${n} template values cannot fit in the record`);
  const v = pool[depth];
  v.reserve(n);
  let off = p + n * 4;
  for (let i = 0; i < n; i++) {
    const d = p + i * 4;
    const size = b[d] | (b[d + 1] << 8);
    v.off[i] = off;
    v.size[i] = size;
    v.type[i] = b[d + 2];
    off += size;
  }
  if (off > end) throw new EvtxFormatError(`template values run ${off - end} bytes past the record`);
  v.n = n;
  execute(st, plan, v, fill, depth);
  v.n = 0;
}
