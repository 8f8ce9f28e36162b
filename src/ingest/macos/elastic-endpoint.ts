// Elastic Endpoint (Elastic Defend) ECS documents: process, file and network events, as NDJSON
// from an export or as whatever Kibana users paste: search hits (`_source`), search responses
// (`hits.hits`), EQL responses (`hits.events`, `hits.sequences[].events`), lists, triple-quoted
// strings (see kibana-export.ts). Process identity is `process.entity_id`, which Endpoint makes
// unique per process instance, so it is the lineage guid.
import type {
  Direction,
  FileHashes,
  FileOp,
  ImageMeta,
  Platform,
  ProcRef,
  SourceRef,
} from '../../model/event.ts';
import type { DecodeContext, Format, LineDecoder } from '../reader.ts';
import { bool, capCommandLine, hasWord, isoTime, joinArgs, num, type Obj, obj, str } from './json-fields.ts';
import { kibanaDocuments } from './kibana-export.ts';

export const ELASTIC_ENDPOINT_FORMAT = 'elastic-endpoint';

/** Documents inside one parsed value: the value itself, list members, or a response's hits. */
function forEachDocument(v: unknown, each: (doc: Obj) => void, depth = 0): void {
  if (depth > 4) return;
  if (Array.isArray(v)) {
    for (const x of v) forEachDocument(x, each, depth + 1);
    return;
  }
  const o = obj(v);
  if (!o) return;
  const hits = obj(o.hits);
  if (hits && o['@timestamp'] === undefined && o._source === undefined) {
    if (Array.isArray(hits.hits)) forEachDocument(hits.hits, each, depth + 1);
    if (Array.isArray(hits.events)) forEachDocument(hits.events, each, depth + 1);
    if (Array.isArray(hits.sequences))
      for (const s of hits.sequences) forEachDocument(obj(s)?.events, each, depth + 1);
    return;
  }
  each(o);
}

function platformOf(doc: Obj): Platform {
  const os = obj(obj(doc.host)?.os);
  const family = str(os?.family)?.toLowerCase() ?? str(os?.platform)?.toLowerCase();
  if (family === 'windows') return 'windows';
  if (family === 'macos' || family === 'darwin') return 'macos';
  if (family && family !== 'macos') return 'linux';
  return 'macos';
}

function hashesOf(p: Obj): FileHashes | undefined {
  const h = obj(p.hash);
  if (!h) return undefined;
  const out: FileHashes = {};
  const sha256 = str(h.sha256);
  const sha1 = str(h.sha1);
  const md5 = str(h.md5);
  if (sha256) out.sha256 = sha256;
  if (sha1) out.sha1 = sha1;
  if (md5) out.md5 = md5;
  return sha256 || sha1 || md5 ? out : undefined;
}

function metaOf(p: Obj): ImageMeta | undefined {
  const cs = obj(p.code_signature);
  if (!cs) return undefined;
  const meta: ImageMeta = {};
  const signer = str(cs.subject_name);
  if (signer) meta.signer = signer;
  const exists = bool(cs.exists);
  if (exists !== undefined) meta.signed = exists;
  const signingId = str(cs.signing_id);
  if (signingId) meta.signingId = signingId;
  const teamId = str(cs.team_id);
  if (teamId) meta.teamId = teamId;
  return Object.keys(meta).length > 0 ? meta : undefined;
}

function procRef(p: Obj | undefined, user?: string): ProcRef | undefined {
  if (!p) return undefined;
  const ref: ProcRef = {};
  const guid = str(p.entity_id);
  if (guid) ref.guid = guid;
  const pid = num(p.pid);
  if (pid !== undefined) ref.pid = pid;
  const image = str(p.executable);
  if (image) ref.image = image;
  const cmd = capCommandLine(str(p.command_line)) ?? joinArgs(p.args);
  if (cmd) ref.commandLine = cmd;
  const start = isoTime(p.start);
  if (start !== undefined) ref.start = start;
  if (user) ref.user = user;
  return ref.guid || ref.pid !== undefined || ref.image ? ref : undefined;
}

const FILE_OPS: Record<string, FileOp> = {
  creation: 'create',
  modification: 'write',
  overwrite: 'write',
  rename: 'rename',
  deletion: 'delete',
};

function directionOf(net: Obj | undefined, action: string | undefined): Direction {
  const d = str(net?.direction)?.toLowerCase();
  if (d === 'outgoing' || d === 'outbound' || d === 'egress') return 'outbound';
  if (d === 'incoming' || d === 'inbound' || d === 'ingress') return 'inbound';
  if (action === 'connection_attempted') return 'outbound';
  if (action === 'connection_accepted') return 'inbound';
  return 'unknown';
}

/** Emits the events of one ECS document; answers a problem message or undefined. */
function decodeDocument(o: Obj, line: number, ctx: DecodeContext): string | undefined {
  const doc = obj(o._source) ?? o;
  if (obj(doc.winlog)) return 'a Winlogbeat document, not Elastic Endpoint';
  const event = obj(doc.event);
  const action = str(event?.action);
  const src: SourceRef = { file: ctx.file, format: ELASTIC_ENDPOINT_FORMAT, line };
  const record = str(o._id) ?? str(event?.id);
  if (record) src.record = record;
  if (action) src.eventId = action;
  const time = isoTime(doc['@timestamp']) ?? isoTime(event?.created);
  if (time === undefined) return 'no readable @timestamp';
  const hostObj = obj(doc.host);
  const host = str(hostObj?.name) ?? str(hostObj?.hostname) ?? '';
  const platform = platformOf(doc);
  const userName = str(obj(doc.user)?.name);
  const p = obj(doc.process);
  const category = event?.category;
  const type = event?.type;

  if (hasWord(category, 'process')) {
    if (!p) return 'process event without a process';
    if (hasWord(type, 'start') || action === 'exec' || action === 'fork') {
      const proc = procRef(p, userName);
      if (!proc?.image) return 'process start without process.executable';
      const parent = procRef(obj(p.parent));
      ctx.emit({
        time,
        host,
        platform,
        src,
        kind: 'process',
        proc: proc as ProcRef & { image: string },
        parent,
        commandLine: proc.commandLine,
        user: userName,
        integrity: num(obj(doc.user)?.id) === 0 ? 'root' : userName ? 'user' : undefined,
        cwd: str(p.working_directory),
        hashes: hashesOf(p),
        meta: metaOf(p),
        forkOnly: action === 'fork' ? true : undefined,
      });
      return undefined;
    }
    if (hasWord(type, 'end') || action === 'end') {
      const proc = procRef(p, userName);
      if (!proc) return 'process end without a process';
      ctx.emit({ time, host, platform, src, kind: 'process_end', proc });
      return undefined;
    }
    ctx.ignored();
    return undefined;
  }

  if (hasWord(category, 'file')) {
    const file = obj(doc.file);
    const path = str(file?.path);
    if (!path) return 'file event without file.path';
    let op = action ? FILE_OPS[action] : undefined;
    if (!op) {
      if (hasWord(type, 'creation')) op = 'create';
      else if (hasWord(type, 'deletion')) op = 'delete';
      else if (hasWord(type, 'change')) op = 'write';
    }
    if (!op) {
      ctx.ignored();
      return undefined;
    }
    const proc = procRef(p, userName);
    if (op === 'rename') {
      const from = str(obj(obj(file?.Ext)?.original)?.path);
      ctx.emit(
        from
          ? { time, host, platform, src, kind: 'file', proc, op, path: from, target: path }
          : { time, host, platform, src, kind: 'file', proc, op: 'create', path },
      );
      return undefined;
    }
    ctx.emit({ time, host, platform, src, kind: 'file', proc, op, path });
    return undefined;
  }

  if (hasWord(category, 'network')) {
    const dns = obj(doc.dns);
    const question = str(obj(dns?.question)?.name);
    if (question) {
      const answers: string[] = [];
      const resolved = dns?.resolved_ip;
      if (Array.isArray(resolved)) for (const a of resolved) if (typeof a === 'string') answers.push(a);
      ctx.emit({
        time,
        host,
        platform,
        src,
        kind: 'dns',
        proc: procRef(p, userName),
        query: question,
        answers,
      });
      return undefined;
    }
    const source = obj(doc.source);
    const dest = obj(doc.destination);
    const srcIp = str(source?.ip);
    const dstIp = str(dest?.ip);
    if (!srcIp || !dstIp) {
      ctx.ignored();
      return undefined;
    }
    const net = obj(doc.network);
    ctx.emit({
      time,
      host,
      platform,
      src,
      kind: 'network',
      proc: procRef(p, userName),
      direction: directionOf(net, action),
      protocol: str(net?.transport),
      srcIp,
      srcPort: num(source?.port),
      dstIp,
      dstPort: num(dest?.port),
      bytesOut: num(source?.bytes),
      bytesIn: num(dest?.bytes),
      state: action === 'disconnect_received' ? 'closed' : undefined,
    });
    return undefined;
  }

  ctx.ignored();
  return undefined;
}

export function elasticEndpointDecoder(ctx: DecodeContext): LineDecoder {
  return kibanaDocuments(ctx, (v, line) => {
    let n = 0;
    forEachDocument(v, (doc) => {
      n++;
      const problem = decodeDocument(doc, line, ctx);
      if (problem) ctx.problem(`Elastic document: ${problem}; skipped`, { line });
    });
    if (n === 0) ctx.problem('JSON value holds no Elastic document; skipped', { line });
  });
}

export const elasticEndpoint: Format = {
  id: ELASTIC_ENDPOINT_FORMAT,
  description:
    'Elastic Endpoint ECS documents (process, file, network), NDJSON or Kibana exports (hits, EQL responses, """ strings)',
  sniff(_head, text) {
    // Kibana exports are often not strict JSON, so decide on the text, not on a parse.
    if (!/^\s*[[{]/.test(text)) return 0;
    if (/"winlog"\s*:/.test(text)) return 0;
    if (/logs-endpoint\.events\.|"endpoint\.events\.(process|file|network)"/.test(text)) return 0.9;
    const endpoint =
      /"module"\s*:\s*"endpoint"/.test(text) || /"agent"\s*:\s*\{[^}]*"type"\s*:\s*"endpoint"/.test(text);
    if (/"@timestamp"\s*:/.test(text) && endpoint) return 0.85;
    if (/"@timestamp"\s*:/.test(text) && /"ecs"\s*:\s*\{/.test(text) && /"family"\s*:\s*"macos"/.test(text))
      return 0.7;
    return 0;
  },
  decoder: elasticEndpointDecoder,
};
