// Zeek dns.log: who asked (id.orig_h) for which name (query) and the addresses it got (answers,
// CNAME targets and other non-address answers dropped). Used to name flow destinations, so a
// destination can match a catalogue or allowlisted domain when no host sensor logged DNS.
import type { DnsEvent } from '../../model/event.ts';
import type { DecodeContext } from '../reader.ts';
import { list, type ReadResult, type Row, str, type ZeekLog, zeekTime } from './zeek-fields.ts';

export const ZEEK_DNS_FORMAT = 'zeek-dns';

/** An IPv4 or IPv6 literal (answers also hold CNAME targets, TXT strings, ...). */
function isAddress(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s) || (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s));
}

const FIELDS = ['ts', 'uid', 'id.orig_h', 'query', 'answers', 'rcode_name'] as const;
const TS = 0;
const UID = 1;
const ORIG_H = 2;
const QUERY = 3;
const ANSWERS = 4;

function read(r: Row, ctx: DecodeContext, line: number): ReadResult<DnsEvent> {
  const time = zeekTime(r[TS]);
  if (!Number.isFinite(time)) return `dns record without a readable ts (${JSON.stringify(r[TS])})`;
  const client = str(r[ORIG_H]);
  const query = str(r[QUERY]);
  const answers = list(r[ANSWERS]).filter(isAddress);
  // Failed lookups, PTR and TXT queries name no address: nothing for a flow to use.
  if (!client || !query || answers.length === 0) return undefined;
  return {
    kind: 'dns',
    time,
    host: client,
    platform: 'network',
    src: { file: ctx.file, format: ZEEK_DNS_FORMAT, line, record: str(r[UID]), eventId: 'dns' },
    query: query.toLowerCase(),
    answers,
    clientIp: client,
  };
}

export const dnsLog: ZeekLog<DnsEvent> = {
  path: 'dns',
  fields: FIELDS,
  required: ['ts', 'id.orig_h', 'query'],
  lists: ['answers'],
  looksLike: (o) =>
    o.query !== undefined && (o.qtype !== undefined || o.answers !== undefined || o.rcode !== undefined),
  read,
};
