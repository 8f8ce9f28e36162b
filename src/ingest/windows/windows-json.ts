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

/** True when the raw line names an event id the engine never uses (Winlogbeat or flat JSON). */
function unusedEventId(line: string): boolean {
  for (const key of ID_KEYS) {
    let i = line.indexOf(key);
    if (i < 0) continue;
    i += key.length;
    while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 34) i++;
    let id = 0;
    let digits = 0;
    for (let c = line.charCodeAt(i); c >= 48 && c <= 57; c = line.charCodeAt(++i)) {
      id = id * 10 + (c - 48);
      digits++;
    }
    return digits > 0 && digits < 7 && !MAPPED_EVENT_IDS.has(id);
  }
  return false;
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
    return jsonValues(ctx, handle, unusedEventId);
  },
};
