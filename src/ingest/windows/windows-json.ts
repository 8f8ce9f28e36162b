// The Windows JSON format: NDJSON or concatenated documents whose records are Winlogbeat/ECS,
// flattened Logstash/OTRF, or evtx_dump-style. The flavour is decided per record, so a file
// mixing exports still reads.
import { firstJsonObject, jsonValues, type UnusedRecord } from '../json-documents.ts';
import type { DecodeContext, Format, LineDecoder } from '../reader.ts';
import { emitWinRecord } from './events.ts';
import { fromEvtxJson, isEvtxJson } from './evtx-json.ts';
import { fromFlatJson, isFlatWindows } from './flat-json.ts';
import type { WinRecord } from './record.ts';
import { unusedWindowsRecord } from './unused-json-record.ts';
import { fromWinlogbeat, isWinlogbeat } from './winlogbeat.ts';

type Obj = Record<string, unknown>;

function toRecord(o: Obj): { rec: WinRecord | string; flavour: string } | undefined {
  if (isWinlogbeat(o)) return { rec: fromWinlogbeat(o), flavour: 'winlogbeat' };
  if (isEvtxJson(o)) return { rec: fromEvtxJson(o), flavour: 'evtx-json' };
  if (isFlatWindows(o)) return { rec: fromFlatJson(o), flavour: 'flat-json' };
  return undefined;
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
  decoder: (ctx) => windowsJsonDecoder(ctx, unusedWindowsRecord()),
};

/** The decoder, with the prefilter that rules unused records out before parsing (tests pass none). */
export function windowsJsonDecoder(ctx: DecodeContext, unused?: UnusedRecord): LineDecoder {
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
  return jsonValues(ctx, handle, unused);
}
