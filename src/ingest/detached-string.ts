// Strings cut from a line are V8 "sliced strings": they keep the whole chunk the line came from
// (64 KiB and more) alive. Events outlive their line (the engine keeps images, command lines,
// addresses of live processes and chains), so a few retained fields could pin most of an input.
// Readers that slice lines detach the strings they put into events; parsed JSON needs none.
import type { RatEvent } from '../model/event.ts';

/** A copy of `s` that shares no storage with the string it was cut from. */
export function detach(s: string): string;
export function detach(s: string | undefined): string | undefined;
export function detach(s: string | undefined): string | undefined {
  // V8 copies slices under 13 characters anyway. Concatenation then slicing flattens into a new
  // string of the slice's own length.
  return s === undefined || s.length < 13 ? s : ` ${s}`.slice(1);
}

function detachFields(o: Record<string, unknown>): void {
  for (const k in o) {
    const v = o[k];
    // src.file is the input name the reader was given, shared by all its events: not a slice.
    if (typeof v === 'string' && k !== 'file') o[k] = detach(v);
  }
}

/** Detaches every string of an event and of its process references and source reference. */
export function detachEvent<E extends RatEvent>(ev: E): E {
  const o = ev as unknown as Record<string, unknown>;
  for (const k in o) {
    const v = o[k];
    if (typeof v === 'string') o[k] = detach(v);
    else if (v && typeof v === 'object' && !Array.isArray(v)) detachFields(v as Record<string, unknown>);
  }
  return ev;
}
