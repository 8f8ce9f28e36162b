// Zeek conn.log records: one flow each, with duration, bytes and state but no process.
// Labelled exports add columns; they are not read.
import type { NetworkEvent } from '../../model/event.ts';
import type { DecodeContext } from '../reader.ts';
import { count, port, type Row, str, type ZeekLog, zeekTime } from './zeek-fields.ts';

export const ZEEK_CONN_FORMAT = 'zeek-conn';

const FIELDS = [
  'ts',
  'uid',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'proto',
  'duration',
  'orig_bytes',
  'resp_bytes',
  'conn_state',
  'local_orig',
] as const;
// Slots of the values array a record is read into (the order of FIELDS).
const TS = 0;
const UID = 1;
const ORIG_H = 2;
const ORIG_P = 3;
const RESP_H = 4;
const RESP_P = 5;
const PROTO = 6;
const DURATION = 7;
const ORIG_BYTES = 8;
const RESP_BYTES = 9;
const CONN_STATE = 10;
const LOCAL_ORIG = 11;

function read(r: Row, ctx: DecodeContext, line: number): NetworkEvent | string {
  const time = zeekTime(r[TS]);
  if (!Number.isFinite(time)) return `conn record without a readable ts (${JSON.stringify(r[TS])})`;
  const src = str(r[ORIG_H]);
  const dst = str(r[RESP_H]);
  if (!src || !dst) return 'conn record without id.orig_h/id.resp_h';
  const lo = r[LOCAL_ORIG];
  return {
    kind: 'network',
    time,
    host: src,
    platform: 'network',
    src: { file: ctx.file, format: ZEEK_CONN_FORMAT, line, record: str(r[UID]), eventId: 'conn' },
    flow: true,
    direction: lo === 'T' || lo === true ? 'outbound' : 'unknown',
    protocol: str(r[PROTO]),
    srcIp: src,
    srcPort: port(r[ORIG_P]),
    dstIp: dst,
    dstPort: port(r[RESP_P]),
    durationSec: count(r[DURATION]),
    bytesOut: count(r[ORIG_BYTES]),
    bytesIn: count(r[RESP_BYTES]),
    state: str(r[CONN_STATE]),
  };
}

export const connLog: ZeekLog<NetworkEvent> = {
  path: 'conn',
  fields: FIELDS,
  required: ['ts', 'id.orig_h', 'id.resp_h'],
  looksLike: (o) => o.conn_state !== undefined || o.history !== undefined || o.orig_ip_bytes !== undefined,
  read,
};
