// Zeek dhcp.log (Zeek 3.0 and later, DHCP::Info): one DHCP "conversation" per record, with the
// name the client gave (option 12 host_name, option 81 client_fqdn) and the address it got
// (assigned_addr, with lease_time) or used (client_addr). Each becomes a lease: flows from that
// address belong to that host while it holds (the engine's address book).
import type { LeaseEvent } from '../../model/event.ts';
import type { DecodeContext } from '../reader.ts';
import { count, list, type ReadResult, type Row, str, type ZeekLog, zeekTime } from './zeek-fields.ts';

export const ZEEK_DHCP_FORMAT = 'zeek-dhcp';

const FIELDS = [
  'ts',
  'uids',
  'client_addr',
  'assigned_addr',
  'mac',
  'host_name',
  'client_fqdn',
  'lease_time',
  'msg_types',
] as const;
const TS = 0;
const UIDS = 1;
const CLIENT = 2;
const ASSIGNED = 3;
const MAC = 4;
const HOST_NAME = 5;
const FQDN = 6;
const LEASE = 7;
const MSG_TYPES = 8;

/** Message types after which the client holds no address: it gave it back or was refused one. */
const ENDS_LEASE = new Set(['RELEASE', 'DECLINE', 'NAK']);

function read(r: Row, ctx: DecodeContext, line: number): ReadResult<LeaseEvent> {
  const time = zeekTime(r[TS]);
  if (!Number.isFinite(time)) return `dhcp record without a readable ts (${JSON.stringify(r[TS])})`;
  // The FQDN says more than the bare name (it tells WKS6.corp from WKS6.lab).
  const name = str(r[FQDN]) ?? str(r[HOST_NAME]);
  const msgs = list(r[MSG_TYPES]).map((m) => m.toUpperCase());
  const acked = msgs.includes('ACK');
  const ip = (acked ? str(r[ASSIGNED]) : undefined) ?? str(r[CLIENT]);
  // A conversation without a name or an address binds nothing (a DISCOVER that got no answer).
  if (!name || !ip || ip === '0.0.0.0') return undefined;
  const ended = msgs.some((m) => ENDS_LEASE.has(m)) && !acked;
  const lease = count(r[LEASE]);
  return {
    kind: 'lease',
    time,
    host: name,
    platform: 'network',
    src: { file: ctx.file, format: ZEEK_DHCP_FORMAT, line, record: list(r[UIDS])[0], eventId: 'dhcp' },
    ip,
    mac: str(r[MAC]),
    leaseSec: ended ? 0 : acked ? lease : undefined,
  };
}

export const dhcpLog: ZeekLog<LeaseEvent> = {
  path: 'dhcp',
  fields: FIELDS,
  required: ['ts'],
  lists: ['uids', 'msg_types'],
  looksLike: (o) =>
    o.msg_types !== undefined ||
    o.assigned_addr !== undefined ||
    (o.client_addr !== undefined && o.mac !== undefined),
  read,
};
