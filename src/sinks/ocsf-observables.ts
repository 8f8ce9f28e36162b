// OCSF observables: the pivot list of hosts, addresses, domains, accounts, paths, hashes and
// command lines found in an event, each naming the attribute it was read from
// ("evidences[3].dst_endpoint.ip"). Built by walking the objects ratchain fills, with the
// observable type ids OCSF 1.8.0 gives their attributes (the schema test checks every one).

// biome-ignore lint/suspicious/noExplicitAny: walks the OCSF event being built
type Json = any;

export interface OcsfObservable {
  name: string;
  type_id: number;
  type: string;
  value: string;
}

/** Observable type ids and captions of OCSF 1.8.0 (dictionary types and object attributes). */
const TYPE = {
  hostname: [1, 'Hostname'],
  ip: [2, 'IP Address'],
  username: [4, 'User Name'],
  hash: [8, 'Hash'],
  processName: [9, 'Process Name'],
  commandLine: [13, 'Command Line'],
  userUid: [31, 'User: Unique ID'],
  filePath: [45, 'File Path'],
  deviceUid: [47, 'Device: Unique ID'],
} as const;

type Kind =
  | 'device'
  | 'actor'
  | 'user'
  | 'process'
  | 'file'
  | 'fingerprint'
  | 'endpoint'
  | 'job'
  | 'evidence';

/** For each object kind: its scalar attributes that are observables, and its objects to walk into. */
const WALK: Record<Kind, { leaves?: Record<string, keyof typeof TYPE>; objects?: Record<string, Kind> }> = {
  device: { leaves: { hostname: 'hostname', uid: 'deviceUid', ip: 'ip' } },
  actor: { objects: { user: 'user', process: 'process' } },
  user: { leaves: { name: 'username', uid: 'userUid' } },
  process: {
    leaves: { name: 'processName', cmd_line: 'commandLine' },
    objects: { file: 'file', user: 'user', parent_process: 'process' },
  },
  file: { leaves: { path: 'filePath' }, objects: { hashes: 'fingerprint' } },
  fingerprint: { leaves: { value: 'hash' } },
  endpoint: { leaves: { ip: 'ip', hostname: 'hostname' } },
  job: { leaves: { cmd_line: 'commandLine' }, objects: { file: 'file' } },
  evidence: {
    objects: {
      process: 'process',
      file: 'file',
      dst_endpoint: 'endpoint',
      src_endpoint: 'endpoint',
      user: 'user',
      job: 'job',
    },
  },
};

/** Enough to pivot on; a finding with more distinct values keeps the first ones found. */
const MAX_OBSERVABLES = 100;

export function ocsfObservables(event: Json): OcsfObservable[] {
  const out: OcsfObservable[] = [];
  const seen = new Set<string>();
  const visit = (v: Json, path: string, kind: Kind) => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        visit(x, `${path}[${i}]`, kind);
      });
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const spec = WALK[kind];
    for (const [attr, type] of Object.entries(spec.leaves ?? {})) {
      const x = v[attr];
      if (x === undefined || x === null || x === '') continue;
      const [id, caption] = TYPE[type];
      const value = String(x);
      if (seen.has(`${id}\n${value}`) || out.length >= MAX_OBSERVABLES) continue;
      seen.add(`${id}\n${value}`);
      out.push({ name: `${path}.${attr}`, type_id: id, type: caption, value });
    }
    for (const [attr, k] of Object.entries(spec.objects ?? {})) visit(v[attr], `${path}.${attr}`, k);
  };
  visit(event.device, 'device', 'device');
  visit(event.actor, 'actor', 'actor');
  visit(event.evidences, 'evidences', 'evidence');
  return out;
}
