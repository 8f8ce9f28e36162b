// Winlogbeat 7/8 and Elastic Agent documents as Elasticsearch stores them after Elastic's ingest
// pipelines (or Winlogbeat 7's in-beat module scripts): the Sysmon and Security pipelines move
// most of `winlog.event_data` into ECS fields (`process.executable`, `source.ip`, `file.path`,
// `registry.path`, `dns.question.name`, ...) and delete the originals, keeping only what ECS has
// no place for. This module puts the moved values back under their event-data names, so every
// Windows record reaches events.ts in one shape: a raw document and its ingested twin read the
// same. Values still in `winlog.event_data` always win; ECS only fills what is missing.
import type { ChannelKind } from './events.ts';
import type { WinRecord } from './record.ts';

type Obj = Record<string, unknown>;

/** Event-data name → the ECS field the pipeline moved it to. */
type FieldMap = ReadonlyArray<readonly [name: string, ecs: string]>;

const PROCESS: FieldMap = [
  ['Image', 'process.executable'],
  ['ProcessGuid', 'process.entity_id'],
  ['ProcessId', 'process.pid'],
];

const SYSMON_PROCESS_CREATE: FieldMap = [
  ...PROCESS,
  ['CommandLine', 'process.command_line'],
  ['CurrentDirectory', 'process.working_directory'],
  ['ParentImage', 'process.parent.executable'],
  ['ParentProcessGuid', 'process.parent.entity_id'],
  ['ParentProcessId', 'process.parent.pid'],
  ['ParentCommandLine', 'process.parent.command_line'],
  ['OriginalFileName', 'process.pe.original_file_name'],
  ['Product', 'process.pe.product'],
  ['Company', 'process.pe.company'],
  ['Description', 'process.pe.description'],
];

const SYSMON_NETWORK: FieldMap = [
  ...PROCESS,
  ['Protocol', 'network.transport'],
  ['SourceIp', 'source.ip'],
  ['SourcePort', 'source.port'],
  ['SourceHostname', 'source.domain'],
  ['DestinationIp', 'destination.ip'],
  ['DestinationPort', 'destination.port'],
  ['DestinationHostname', 'destination.domain'],
];

const REGISTRY: FieldMap = [...PROCESS, ['TargetObject', 'registry.path']];

/** Sysmon event id → fields its pipeline moves (beyond the computed ones below). */
const SYSMON: Record<number, FieldMap> = {
  1: SYSMON_PROCESS_CREATE,
  3: SYSMON_NETWORK,
  5: PROCESS,
  11: [...PROCESS, ['TargetFilename', 'file.path']],
  12: REGISTRY,
  13: REGISTRY,
  14: REGISTRY,
  22: [...PROCESS, ['QueryName', 'dns.question.name']],
};

/** Security event id → fields the Security pipeline moves (4688 keeps CommandLine and the creator's ProcessId). */
const SECURITY: Record<number, FieldMap> = {
  4688: [
    ['NewProcessName', 'process.executable'],
    ['NewProcessId', 'process.pid'],
    ['ParentProcessName', 'process.parent.executable'],
    ['ProcessId', 'process.parent.pid'],
    ['CommandLine', 'process.command_line'],
  ],
  4689: [
    ['ProcessName', 'process.executable'],
    ['ProcessId', 'process.pid'],
  ],
  4697: [['ServiceName', 'service.name']],
  5156: [
    ['Application', 'process.executable'],
    ['ProcessID', 'process.pid'],
    ['SourceAddress', 'source.ip'],
    ['SourcePort', 'source.port'],
    ['DestAddress', 'destination.ip'],
    ['DestPort', 'destination.port'],
    ['Protocol', 'network.transport'],
  ],
};

const SYSTEM: Record<number, FieldMap> = { 7045: [['ServiceName', 'service.name']] };

/** Top-level ECS objects the pipelines write; a document with none of them needs no work. */
const ECS_ROOTS = ['process', 'source', 'destination', 'file', 'registry', 'dns', 'service', 'network'];

function get(o: Obj, dotted: string): unknown {
  let v: unknown = o;
  for (const k of dotted.split('.')) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Obj)[k];
  }
  return v;
}

function asText(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (Array.isArray(v)) return v.length ? asText(v[0]) : undefined;
  return typeof v === 'object' ? undefined : String(v);
}

/** Sysmon's "SHA1=..,MD5=..,SHA256=..,IMPHASH=.." from `process.hash.*` and `process.pe.imphash`. */
function hashes(o: Obj): string | undefined {
  const h = get(o, 'process.hash');
  const parts: string[] = [];
  if (h && typeof h === 'object')
    for (const [k, v] of Object.entries(h as Obj))
      if (typeof v === 'string') parts.push(`${k.toUpperCase()}=${v}`);
  const imphash = asText(get(o, 'process.pe.imphash'));
  if (imphash) parts.push(`IMPHASH=${imphash}`);
  return parts.length ? parts.join(',') : undefined;
}

/** `network.direction` → Sysmon's Initiated (egress/ingress since 7.x, outbound/inbound before). */
function initiated(o: Obj): string | undefined {
  const d = asText(get(o, 'network.direction'))?.toLowerCase();
  if (d === 'egress' || d === 'outbound') return 'true';
  if (d === 'ingress' || d === 'inbound') return 'false';
  return undefined;
}

/**
 * Sysmon's Details from `registry.data`: the pipeline turns "DWORD (0x00000001)" into the decimal
 * "1" of type SZ_DWORD; put the Sysmon spelling back. Strings and "Binary Data" pass as they are.
 */
function registryDetails(o: Obj): string | undefined {
  const s = asText(get(o, 'registry.data.strings'));
  if (s === undefined || get(o, 'registry.data.type') !== 'SZ_DWORD' || !/^\d+$/.test(s)) return s;
  return `DWORD (0x${Number(s).toString(16).padStart(8, '0')})`;
}

/** `dns.resolved_ip` (addresses only, as the pipeline keeps them) → Sysmon's QueryResults. */
function queryResults(o: Obj): string | undefined {
  const ips = get(o, 'dns.resolved_ip');
  if (!Array.isArray(ips) || ips.length === 0) return undefined;
  return `${ips.filter((x) => typeof x === 'string').join(';')};`;
}

/** Sysmon's User ("DOMAIN\\name") from `user.domain` and `user.name`. */
function sysmonUser(o: Obj): string | undefined {
  const name = asText(get(o, 'user.name'));
  const domain = asText(get(o, 'user.domain'));
  return name && domain ? `${domain}\\${name}` : undefined;
}

/** Values computed from ECS rather than copied, per channel kind and event id. */
function computed(o: Obj, kind: ChannelKind, id: number): Array<[string, string | undefined]> {
  if (kind === 'sysmon') {
    const out: Array<[string, string | undefined]> = [['User', sysmonUser(o)]];
    if (id === 1) out.push(['Hashes', hashes(o)]);
    if (id === 3) out.push(['Initiated', initiated(o)]);
    if (id === 13) out.push(['Details', registryDetails(o)]);
    if (id === 22) out.push(['QueryResults', queryResults(o)]);
    return out;
  }
  if (kind === 'security' && id === 5156) {
    const i = initiated(o);
    return [['Direction', i === 'true' ? 'Outbound' : i === 'false' ? 'Inbound' : undefined]];
  }
  return [];
}

function fieldMap(kind: ChannelKind, id: number): FieldMap | undefined {
  if (kind === 'sysmon') return SYSMON[id];
  if (kind === 'security') return SECURITY[id];
  if (kind === 'system') return SYSTEM[id];
  return undefined;
}

/**
 * The record's event data with what the ingest pipeline moved into ECS put back. Returns the
 * same object when the document carries no ECS fields (raw Winlogbeat output), a copy otherwise.
 */
export function withEcsEventData(o: Obj, rec: WinRecord, kind: ChannelKind): Record<string, string> {
  if (!ECS_ROOTS.some((k) => o[k] && typeof o[k] === 'object')) return rec.data;
  const map = fieldMap(kind, rec.eventId);
  if (!map) return rec.data;
  let out: Record<string, string> | undefined;
  const fill = (name: string, value: string | undefined) => {
    if (value === undefined) return;
    const have = rec.data[name] as unknown;
    if (have !== undefined && have !== null && have !== '') return;
    out ??= { ...rec.data };
    out[name] = value;
  };
  for (const [name, ecs] of map) fill(name, asText(get(o, ecs)));
  for (const [name, value] of computed(o, kind, rec.eventId)) fill(name, value);
  return out ?? rec.data;
}
