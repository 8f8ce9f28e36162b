// Template plans shared across chunks. Each chunk stores its own copy of a template definition,
// at its own offset, with names either inline or pointing at earlier copies in that chunk. A
// plan compiled in one chunk is reused in another when the definition is provably the same:
// same GUID, size and bytes, with every name field inline at the same relative place or
// pointing at an identical name before the definition. Anything else compiles afresh.
import { type ChunkState, type CompileTrace, compile, EvtxFormatError, type Plan, u32 } from './template.ts';

interface NameCheck {
  /** Offset of the name field relative to the definition body. */
  rel: number;
  inline: boolean;
  /** A name earlier in the same body: its offset relative to the body, else -1. */
  inner: number;
  /** External names: character count and UTF-16 characters, as stored. */
  bytes: Buffer | null;
}

interface Entry {
  plan: Plan;
  body: Buffer;
  names: NameCheck[];
}

const MAX_ENTRIES = 4096;
/** Definition bytes kept: real logs use a few hundred templates of a few KiB. */
const MAX_BYTES = 16 * 1024 * 1024;
let cachedBytes = 0;
const cache = new Map<string, Entry>();

function same(a: Buffer, aStart: number, b: Buffer, bStart: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

function matches(st: ChunkState, e: Entry, start: number, end: number): boolean {
  const b = st.buf;
  const body = e.body;
  if (end - start !== body.length) return false;
  let cur = 0;
  for (const n of e.names) {
    if (!same(b, start + cur, body, cur, n.rel - cur)) return false;
    const off = u32(b, start + n.rel);
    if (n.inline) {
      if (off !== start + n.rel + 4) return false;
    } else if (n.inner >= 0) {
      // Its bytes lie in the body, compared with the rest of it.
      if (off !== start + n.inner) return false;
    } else {
      const want = n.bytes as Buffer;
      if (off < 512 || off >= start || off + 6 + want.length > st.len) return false;
      if (!same(b, off + 6, want, 0, want.length)) return false;
    }
    cur = n.rel + 4;
  }
  return same(b, start + cur, body, cur, body.length - cur);
}

/** The plan for the template definition at `defOff` (body [start, end)), read in `role`. */
export function sharedTemplatePlan(
  st: ChunkState,
  defOff: number,
  start: number,
  end: number,
  role: number,
): Plan {
  const b = st.buf;
  const key = `${b.toString('latin1', defOff + 4, defOff + 20)}|${end - start}|${role}`;
  const hit = cache.get(key);
  if (hit) {
    st.budget -= end - start;
    if (st.budget < 0) throw new EvtxFormatError('chunk exceeds its template compile budget (hostile?)');
    if (matches(st, hit, start, end)) return hit.plan;
  }
  const tr: CompileTrace = { names: [], regular: true };
  const plan = compile(st, start, end, role, true, tr);
  const names: NameCheck[] = [];
  for (const n of tr.names) {
    const rel = n.field - start;
    if (rel < 0 || rel + 4 > end - start) return plan;
    if (n.inline) names.push({ rel, inline: true, inner: -1, bytes: null });
    else if (n.off >= start && n.off < n.field)
      names.push({ rel, inline: false, inner: n.off - start, bytes: null });
    else if (n.off >= 512 && n.off < start) {
      const chars = b[n.off + 6] | (b[n.off + 7] << 8);
      names.push({
        rel,
        inline: false,
        inner: -1,
        bytes: Buffer.from(b.subarray(n.off + 6, n.off + 8 + chars * 2)),
      });
    } else return plan; // a forward or odd reference: not provably the same elsewhere
  }
  for (let i = 1; i < names.length; i++) if (names[i].rel < names[i - 1].rel + 4) return plan;
  if (!tr.regular) return plan;
  if (cache.size >= MAX_ENTRIES || cachedBytes + (end - start) > MAX_BYTES) {
    cache.clear();
    cachedBytes = 0;
  }
  cachedBytes += end - start;
  cache.set(key, { plan, body: Buffer.from(b.subarray(start, end)), names });
  return plan;
}
