// Typed reads of parsed JSON for the macOS readers: sensors write numbers as strings (osquery),
// strings as null (eslogger team_id), and hostile input can put anything anywhere, so every read
// checks its type and answers undefined instead of throwing.

export type Obj = Record<string, unknown>;

/** The value as an object, or undefined (arrays and null are not objects here). */
export function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** A non-empty string, or a number written as one; undefined otherwise. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.length > 0 ? v : undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A non-empty string only (paths, names): a number where a path belongs is damage, not data. */
export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** A finite number, or a string holding one ("123"); undefined otherwise. */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.length > 0 && v.length < 32) {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A boolean, or osquery's "1"/"0" and 1/0; undefined otherwise. */
export function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === '1' || v === 'true') return true;
  if (v === 0 || v === '0' || v === 'false') return false;
  return undefined;
}

/** ms since epoch from an ISO-8601 string (any number of fraction digits); undefined if unreadable. */
export function isoTime(v: unknown): number | undefined {
  if (typeof v !== 'string' || v.length < 10 || v.length > 64) return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

/** ECS keyword lists are arrays or single strings: does `v` contain `word`? */
export function hasWord(v: unknown, word: string): boolean {
  if (v === word) return true;
  return Array.isArray(v) && v.includes(word);
}

/** Longest command line kept: whole scripts passed as arguments (`bash -c '...'`) stay bounded. */
export const MAX_COMMAND_LINE = 64 * 1024;

/** Arguments joined with spaces, as ECS `command_line` writes them; string members only. */
export function joinArgs(v: unknown): string | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  let out = '';
  for (const a of v) {
    if (typeof a !== 'string') continue;
    out = out.length === 0 ? a : `${out} ${a}`;
    if (out.length > MAX_COMMAND_LINE) return out.slice(0, MAX_COMMAND_LINE);
  }
  return out.length > 0 ? out : undefined;
}

/** Caps a command line at MAX_COMMAND_LINE characters. */
export function capCommandLine(s: string | undefined): string | undefined {
  return s !== undefined && s.length > MAX_COMMAND_LINE ? s.slice(0, MAX_COMMAND_LINE) : s;
}
