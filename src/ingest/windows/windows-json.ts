// The Windows JSON format: NDJSON or concatenated documents whose records are Winlogbeat/ECS,
// flattened Logstash/OTRF, or evtx_dump-style. The flavour is decided per record, so a file
// mixing exports still reads.
import { firstJsonObject, jsonValues } from '../json-documents.ts';
import type { DecodeContext, Format } from '../reader.ts';
import { emitWinRecord, MAPPED_EVENT_IDS } from './events.ts';
import { fromEvtxJson, isEvtxJson } from './evtx-json.ts';
import { fromFlatJson, isFlatWindows } from './flat-json.ts';
import type { WinRecord } from './record.ts';
import { fromWinlogbeat, isWinlogbeat } from './winlogbeat.ts';

type Obj = Record<string, unknown>;

function toRecord(o: Obj): { rec: WinRecord | string; flavour: string } | undefined {
  if (isWinlogbeat(o)) return { rec: fromWinlogbeat(o), flavour: 'winlogbeat' };
  if (isEvtxJson(o)) return { rec: fromEvtxJson(o), flavour: 'evtx-json' };
  if (isFlatWindows(o)) return { rec: fromFlatJson(o), flavour: 'flat-json' };
  return undefined;
}

const ID_KEYS = ['"event_id":', '"EventID":', '"EventId":'];
const ID_KEY_BYTES = ID_KEYS.map((k) => Buffer.from(k, 'latin1'));

/** The id an id key's value spells from `i` on (quotes and spaces skipped), when it is one. */
function unusedId(at: (i: number) => number, i: number): boolean {
  while (at(i) === 32 || at(i) === 34) i++;
  let id = 0;
  let digits = 0;
  for (let c = at(i); c >= 48 && c <= 57; c = at(++i)) {
    id = id * 10 + (c - 48);
    digits++;
  }
  return digits > 0 && digits < 7 && !MAPPED_EVENT_IDS.has(id);
}

/** True when the raw line names an event id the engine never uses (Winlogbeat or flat JSON). */
function unusedEventId(line: string): boolean {
  for (const key of ID_KEYS) {
    const i = line.indexOf(key);
    if (i >= 0) return unusedId((j) => line.charCodeAt(j), i + key.length);
  }
  return false;
}

/**
 * The same on a line's bytes. Each key's next place in the buffer is remembered, so a key that a
 * file never uses is searched for once per buffer, not once per line.
 */
function unusedEventIdBytes(): (buf: Buffer, start: number, end: number) => boolean {
  let last: Buffer | undefined;
  const next = ID_KEY_BYTES.map(() => -2);
  return (buf, start, end) => {
    if (buf !== last) {
      last = buf;
      next.fill(-2);
    }
    for (let k = 0; k < ID_KEY_BYTES.length; k++) {
      if (next[k] === -2 || (next[k] >= 0 && next[k] < start)) next[k] = buf.indexOf(ID_KEY_BYTES[k], start);
      const i = next[k];
      if (i >= 0 && i < end)
        return unusedId((j) => (j < end ? buf[j] : Number.NaN), i + ID_KEY_BYTES[k].length);
    }
    return false;
  };
}

export const windowsJson: Format = {
  id: 'windows-json',
  description:
    'Windows events as JSON: Winlogbeat/Elastic Agent (ECS), flattened Logstash/OTRF, evtx_dump style',
  sniff(_head, text) {
    const o = firstJsonObject(text);
    if (!o) return 0;
    if (isWinlogbeat(o) || isEvtxJson(o)) return 0.95;
    if (isFlatWindows(o)) return 0.9;
    return 0;
  },
  decoder(ctx: DecodeContext) {
    const one = (v: unknown, line: number) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) {
        ctx.problem('JSON value is not an object; skipped', { line });
        return;
      }
      const r = toRecord(v as Obj);
      if (!r) {
        ctx.problem(
          'JSON object is not a Windows event (no winlog, Event.System or EventID+Channel); skipped',
          { line },
        );
        return;
      }
      if (typeof r.rec === 'string') {
        ctx.problem(`${r.flavour} record: ${r.rec}; skipped`, { line });
        return;
      }
      emitWinRecord(
        r.rec,
        { file: ctx.file, format: r.flavour, line, record: r.rec.recordId, eventId: String(r.rec.eventId) },
        ctx,
      );
    };
    // A top-level array holds records; anything nested deeper is not a Windows export.
    const handle = (v: unknown, line: number) => {
      if (Array.isArray(v)) for (const x of v) one(x, line);
      else one(v, line);
    };
    return jsonValues(ctx, handle, { text: unusedEventId, bytes: unusedEventIdBytes() });
  },
};
