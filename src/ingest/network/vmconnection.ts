// Azure Monitor VM Insights `VMConnection` records: connections the Dependency agent aggregated
// per process and interval (TimeGenerated), with bytes both ways and link counts. A record with
// live links was still open when it was aggregated. The process is named, not numbered.
import type { Direction, NetworkEvent } from '../../model/event.ts';
import { firstJsonObject, jsonValues } from '../json-documents.ts';
import type { DecodeContext, Format } from '../reader.ts';

export const VMCONNECTION_FORMAT = 'vmconnection';

type Obj = Record<string, unknown>;

export function isVmConnection(o: Obj): boolean {
  if (o.Type === 'VMConnection') return true;
  return o.ConnectionId !== undefined && o.Direction !== undefined && o.LinksEstablished !== undefined;
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function toEvent(o: Obj, ctx: DecodeContext, line: number): NetworkEvent | string {
  const time = Date.parse(String(o.TimeGenerated ?? ''));
  if (!Number.isFinite(time)) return 'VMConnection record without a readable TimeGenerated';
  const srcIp = str(o.SourceIp);
  const dstIp = str(o.DestinationIp);
  if (!srcIp || !dstIp) return 'VMConnection record without SourceIp/DestinationIp';
  const host = str(o.Computer) ?? str(o.Machine);
  if (!host) return 'VMConnection record without Computer';
  const dir = String(o.Direction ?? '').toLowerCase();
  const direction: Direction = dir === 'outbound' ? 'outbound' : dir === 'inbound' ? 'inbound' : 'unknown';
  // Bytes are counted from the monitored machine's side; bytesOut means "sent by the originator".
  const sent = num(o.BytesSent);
  const received = num(o.BytesReceived);
  const image = str(o.ProcessName);
  const live = num(o.LinksLive);
  return {
    kind: 'network',
    time,
    host,
    // The record does not say the machine's OS (VM Insights covers Windows and Linux).
    platform: 'network',
    src: {
      file: ctx.file,
      format: VMCONNECTION_FORMAT,
      line,
      record: str(o.ConnectionId),
      eventId: 'VMConnection',
    },
    flow: true,
    direction,
    proc: image ? { image } : undefined,
    protocol: str(o.Protocol),
    srcIp,
    srcPort: num(o.SourcePort),
    dstIp,
    dstPort: num(o.DestinationPort),
    bytesOut: direction === 'inbound' ? received : sent,
    bytesIn: direction === 'inbound' ? sent : received,
    open: live !== undefined && live > 0 ? true : undefined,
  };
}

export const vmConnection: Format = {
  id: VMCONNECTION_FORMAT,
  description: 'Azure Monitor VM Insights VMConnection flow records (JSON)',
  sniff(_head, text) {
    const o = firstJsonObject(text);
    return o && isVmConnection(o) ? 0.96 : 0;
  },
  decoder(ctx: DecodeContext) {
    const handle = (v: unknown, line: number) => {
      if (Array.isArray(v)) {
        for (const x of v) handle(x, line);
        return;
      }
      if (!v || typeof v !== 'object') {
        ctx.problem('JSON value is not an object; skipped', { line });
        return;
      }
      const o = v as Obj;
      if (!isVmConnection(o)) {
        ctx.ignored();
        return;
      }
      const ev = toEvent(o, ctx, line);
      if (typeof ev === 'string') ctx.problem(`${ev}; skipped`, { line });
      else ctx.emit(ev);
    };
    return jsonValues(ctx, handle);
  },
};
