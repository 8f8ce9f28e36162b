// The records behind a finding as OCSF 1.8.0 evidences: each record's process (pid, uid, cmd_line,
// file with hashes, user, parent), file, scheduled job, endpoints and connection, in the objects
// OCSF defines for them; `data` keeps what OCSF has no object for (the step, the summary, the
// source location, a persistence entry, a registry value).
import { isIP } from 'node:net';
import type { SourceRef } from '../model/event.ts';
import type { Evidence, EvidenceEndpoint, EvidenceProcess, FindingStep } from '../model/finding.ts';
import { STEP_LABEL } from '../model/finding.ts';
import { type Account, accountOf, baseName, type Hash, parseHashes } from './finding-parts.ts';

/** OCSF fingerprint.algorithm_id. */
const HASH_ALGO: Record<string, { id: number; name: string }> = {
  md5: { id: 1, name: 'MD5' },
  sha1: { id: 2, name: 'SHA-1' },
  sha256: { id: 3, name: 'SHA-256' },
  sha512: { id: 4, name: 'SHA-512' },
  ssdeep: { id: 5, name: 'CTPH' },
  tlsh: { id: 6, name: 'TLSH' },
  sha384: { id: 9, name: 'SHA-384' },
  imphash: { id: 18, name: 'Imphash' },
};

/** OCSF file.type_id. */
export const FILE_TYPE = {
  regular: { id: 1, name: 'Regular File' },
  executable: { id: 8, name: 'Executable File' },
};

/** OCSF network_connection_info.direction_id. */
const DIRECTION = {
  inbound: { id: 1, name: 'Inbound' },
  outbound: { id: 2, name: 'Outbound' },
  unknown: { id: 0, name: 'Unknown' },
};

export interface OcsfFingerprint {
  algorithm_id: number;
  algorithm: string;
  value: string;
}

export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

export function fingerprints(hashes: Hash[]): OcsfFingerprint[] {
  return hashes.map((h) => {
    const known = HASH_ALGO[h.algorithm];
    return { algorithm_id: known?.id ?? 99, algorithm: known?.name ?? h.algorithm, value: h.value };
  });
}

export function ocsfUser(a: Account | undefined): object | undefined {
  return a ? defined({ name: a.name, uid: a.uid, domain: a.domain }) : undefined;
}

export function executableFile(path: string, hashes: Hash[] = []): object {
  return defined({
    name: baseName(path),
    path,
    type_id: FILE_TYPE.executable.id,
    type: FILE_TYPE.executable.name,
    hashes: hashes.length ? fingerprints(hashes) : undefined,
  });
}

/** An OCSF process needs a pid or a uid (at_least_one); without either there is no process object. */
export function ocsfProcess(p: EvidenceProcess): object | undefined {
  if (p.pid === undefined && p.guid === undefined) return undefined;
  const parent = p.parent;
  const parentProcess =
    parent && parent.pid !== undefined
      ? defined({
          pid: parent.pid,
          name: parent.image ? baseName(parent.image) : undefined,
          cmd_line: parent.commandLine,
          file: parent.image ? executableFile(parent.image) : undefined,
        })
      : undefined;
  return defined({
    pid: p.pid,
    uid: p.guid,
    name: baseName(p.image),
    cmd_line: p.commandLine,
    file: executableFile(p.image, parseHashes(p.hashes ?? [])),
    user: ocsfUser(accountOf({ user: p.user })),
    parent_process: parentProcess,
  });
}

function endpoint(ip: string | undefined, port: number | undefined, name?: string): object | undefined {
  if (!ip || isIP(ip) === 0) return name ? defined({ hostname: name, port }) : undefined;
  return defined({ ip, port, hostname: name });
}

/** The peer is the destination of an outbound connection and the source of an accepted one. */
function connection(e: EvidenceEndpoint): object {
  const inbound = e.direction === 'inbound';
  const peer = endpoint(e.ip, e.port, e.name);
  const own = endpoint(e.srcIp, e.srcPort);
  const dir = DIRECTION[e.direction ?? 'unknown'];
  return defined({
    dst_endpoint: inbound ? own : peer,
    src_endpoint: inbound ? peer : own,
    connection_info: defined({
      direction_id: dir.id,
      direction: dir.name,
      protocol_name: e.protocol?.toLowerCase(),
    }),
  });
}

function sourceData(src: SourceRef): object {
  return defined({
    file: src.file,
    format: src.format,
    line: src.line,
    offset: src.offset,
    record: src.record,
    event_id: src.eventId,
  });
}

export function evidenceUid(s: SourceRef): string {
  const pos = s.line !== undefined ? `:${s.line}` : s.offset !== undefined ? `@${s.offset}` : '';
  return `${s.file}${pos}${s.record ? `#${s.record}` : ''}`;
}

/** A file the entry lives in (unit file, plist), when its location is a path rather than a key. */
function entryFile(e: Evidence): string | undefined {
  if (e.file?.path) return e.file.path;
  const loc = e.entry?.location;
  return loc && /^(\/|[A-Za-z]:\\|~\/)/.test(loc) ? loc : undefined;
}

function recordEvidence(s: FindingStep, e: Evidence): object {
  const file = entryFile(e);
  const job =
    e.entry && (e.entry.mechanism === 'scheduled_task' || e.entry.mechanism === 'cron')
      ? defined({ name: e.entry.name, cmd_line: e.entry.command })
      : undefined;
  return defined({
    name: STEP_LABEL[s.step],
    uid: evidenceUid(e.src),
    process: e.process ? ocsfProcess(e.process) : undefined,
    file: file
      ? defined({
          name: baseName(file),
          path: file,
          type_id: FILE_TYPE.regular.id,
          type: FILE_TYPE.regular.name,
        })
      : undefined,
    job,
    ...(e.endpoint ? connection(e.endpoint) : {}),
    data: defined({
      step: s.step,
      time: e.time,
      summary: e.summary,
      link: s.link,
      source: sourceData(e.src),
      entry: e.entry,
      registry: e.registry,
      file_op: e.file?.op,
    }),
  });
}

/** One evidences entry per record behind a seen step. */
export function stepEvidences(s: FindingStep): object[] {
  return s.evidence.map((e) => recordEvidence(s, e));
}
