// Zeek conn.log in its TSV form (header lines, #fields/#types as Zeek 3-6 write them): one line
// per connection of every host that crosses the sensor, with duration and bytes.
import type { SimHost, SimRecord } from '../model.ts';
import { LineSink } from './sink.ts';

export const ZEEK_CONN_FIELDS = [
  'ts',
  'uid',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'proto',
  'service',
  'duration',
  'orig_bytes',
  'resp_bytes',
  'conn_state',
  'local_orig',
  'local_resp',
  'missed_bytes',
  'history',
  'orig_pkts',
  'orig_ip_bytes',
  'resp_pkts',
  'resp_ip_bytes',
  'tunnel_parents',
];
const TYPES = [
  'time',
  'string',
  'addr',
  'port',
  'addr',
  'port',
  'enum',
  'string',
  'interval',
  'count',
  'count',
  'string',
  'bool',
  'bool',
  'count',
  'string',
  'count',
  'count',
  'count',
  'count',
  'set[string]',
];

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function zeekTime(t: number): string {
  return `${Math.floor(t / 1000)}.${String(t % 1000).padStart(3, '0')}${String((t * 7) % 1000).padStart(3, '0')}`;
}

export class ZeekConnWriter {
  readonly id = 'zeek-conn';
  private readonly sink: LineSink;
  private n = 0;

  constructor(path: string, open: number) {
    this.sink = new LineSink(path, this.id);
    const d = new Date(open).toISOString();
    const stamp = `${d.slice(0, 10)}-${d.slice(11, 13)}-${d.slice(14, 16)}-${d.slice(17, 19)}`;
    for (const l of [
      '#separator \\x09',
      '#set_separator\t,',
      '#empty_field\t(empty)',
      '#unset_field\t-',
      '#path\tconn',
      `#open\t${stamp}`,
    ])
      this.sink.line(l);
    this.sink.line(`#fields\t${ZEEK_CONN_FIELDS.join('\t')}`);
    this.sink.line(`#types\t${TYPES.join('\t')}`);
    this.close = this.close.bind(this);
  }

  private uid(): string {
    let x = (++this.n * 2654435761) >>> 0;
    let y = (this.n * 40503 + 12345) >>> 0;
    let s = 'C';
    for (let i = 0; i < 17; i++) {
      const v = i % 2 ? x : y;
      s += B62[v % 62];
      if (i % 2) x = Math.floor(x / 62) || (x ^ 0x5bd1e995) >>> 0;
      else y = Math.floor(y / 62) || (y ^ 0x1b873593) >>> 0;
    }
    return s;
  }

  write(r: SimRecord, h: SimHost): number {
    if (r.k !== 'conn' || r.hostOnly) return 0;
    const pktsOut = Math.max(3, Math.round(r.bytesOut / 1200));
    const pktsIn = Math.max(2, Math.round(r.bytesIn / 1400));
    const service = r.dstPort === 443 ? 'ssl' : r.dstPort === 80 ? 'http' : '-';
    this.sink.line(
      `${zeekTime(r.t)}\t${this.uid()}\t${h.ip}\t${r.srcPort}\t${r.dstIp}\t${r.dstPort}\ttcp\t${service}\t${r.durationSec.toFixed(6)}\t${r.bytesOut}\t${r.bytesIn}\tSF\t-\t-\t0\tShADadFf\t${pktsOut}\t${r.bytesOut + pktsOut * 52}\t${pktsIn}\t${r.bytesIn + pktsIn * 52}\t-`,
    );
    return 1;
  }

  close(end?: number) {
    const d = new Date(end ?? Date.now()).toISOString();
    this.sink.line(`#close\t${d.slice(0, 10)}-${d.slice(11, 13)}-${d.slice(14, 16)}-${d.slice(17, 19)}`);
    this.sink.close();
    return [this.sink.stat];
  }
}
