// osquery results as osqueryd's filesystem logger writes them (osqueryd.results.log), one JSON
// object per line, in its three shapes:
//   differential, event format: {name, hostIdentifier, calendarTime, unixTime, epoch, counter,
//     numerics, decorations, columns: {...}, action: "added"|"removed"}
//   differential, batch format: {..., diffResults: {added: [...], removed: [...]}}
//   snapshot: {..., snapshot: [...], action: "snapshot"}
// The query name is the user's (packs prefix it), so rows are recognised by their columns:
// process_events / es_process_events / processes, socket_events, process_open_sockets,
// file_events / es_process_file_events.
// Values are strings unless osqueryd ran with --log_numerics_as_numbers; both are read.
// Only rows that appeared are events: "removed" rows say a row went away, not that it happened.
import type { FileOp, ImageMeta, ProcRef, SourceRef } from '../../model/event.ts';
import { firstJsonObject } from '../json-documents.ts';
import type { DecodeContext, Format, LineDecoder } from '../reader.ts';
import { bool, capCommandLine, num, type Obj, obj, str } from './json-fields.ts';
import { ndjsonLines } from './ndjson-lines.ts';

export const OSQUERY_FORMAT = 'osquery';

interface RowContext {
  ctx: DecodeContext;
  host: string;
  /** Time of the query run (unixTime), for rows without their own `time`. */
  runTime: number | undefined;
  line: number;
  query: string;
}

/**
 * osquery event tables stamp rows with `time` in unix seconds; the `processes` table has the
 * process's own `start_time`; other snapshot rows are as old as the query run.
 */
function rowTime(row: Obj, rc: RowContext): number | undefined {
  const t = num(row.time) ?? num(row.start_time);
  if (t !== undefined && t > 0) return t * 1000;
  return rc.runTime;
}

function srcOf(rc: RowContext, table: string, row: Obj): SourceRef {
  const src: SourceRef = { file: rc.ctx.file, format: OSQUERY_FORMAT, line: rc.line, eventId: table };
  const eid = str(row.eid) ?? str(row.global_seq_num);
  if (eid) src.record = eid;
  return src;
}

/** es_process_events event_type values that start a process image. */
const ES_STARTS = new Set(['exec', 'fork']);

function processRow(row: Obj, rc: RowContext, table: string): void {
  const time = rowTime(row, rc);
  const path = str(row.path);
  const pid = num(row.pid);
  if (time === undefined || !path || pid === undefined) {
    rc.ctx.problem(`osquery ${table} row without time, path or pid; skipped`, { line: rc.line });
    return;
  }
  const src = srcOf(rc, table, row);
  const user = str(row.username) ?? str(row.euid) ?? str(row.uid);
  const esType = str(row.event_type);
  if (esType === 'exit') {
    rc.ctx.emit({
      time,
      host: rc.host,
      platform: 'macos',
      src,
      kind: 'process_end',
      proc: { pid, image: path },
    });
    return;
  }
  if (esType !== undefined && !ES_STARTS.has(esType)) {
    rc.ctx.ignored();
    return;
  }
  const commandLine = capCommandLine(str(row.cmdline));
  const proc: ProcRef & { image: string } = { pid, image: path, start: time };
  if (commandLine) proc.commandLine = commandLine;
  if (user) proc.user = user;
  const ppid = num(row.parent);
  const parent: ProcRef | undefined = ppid !== undefined && ppid >= 0 ? { pid: ppid } : undefined;
  let meta: ImageMeta | undefined;
  const signingId = str(row.signing_id);
  const teamId = str(row.team_id);
  const platformBinary = bool(row.platform_binary);
  if (signingId || teamId || platformBinary !== undefined) {
    meta = {};
    if (signingId) meta.signingId = signingId;
    if (teamId) meta.teamId = teamId;
    if (platformBinary !== undefined) meta.platformBinary = platformBinary;
  }
  const euid = num(row.euid);
  rc.ctx.emit({
    time,
    host: rc.host,
    platform: 'macos',
    src,
    kind: 'process',
    proc,
    parent,
    commandLine,
    user,
    integrity: euid === undefined ? undefined : euid === 0 ? 'root' : 'user',
    cwd: str(row.cwd),
    meta,
    forkOnly: esType === 'fork' ? true : undefined,
  });
}

/** An address worth a connection: not empty, not a wildcard. */
function realAddress(a: string | undefined): a is string {
  return a !== undefined && a !== '0.0.0.0' && a !== '::' && a !== '0';
}

/** socket_events (audit connect/accept) and process_open_sockets (current sockets). */
function socketRow(row: Obj, rc: RowContext, table: string): void {
  const action = str(row.action);
  const open = table === 'process_open_sockets';
  if (!open && action !== 'connect' && action !== 'accept') {
    rc.ctx.ignored();
    return;
  }
  // A failed connect is no session.
  if (!open && bool(row.success) === false) {
    rc.ctx.ignored();
    return;
  }
  const remote = str(row.remote_address);
  if (!realAddress(remote)) {
    rc.ctx.ignored();
    return;
  }
  const time = rowTime(row, rc);
  if (time === undefined) {
    rc.ctx.problem(`osquery ${table} row without time; skipped`, { line: rc.line });
    return;
  }
  const pid = num(row.pid);
  const path = str(row.path);
  const proc: ProcRef | undefined =
    pid !== undefined && pid > 0 ? (path ? { pid, image: path } : { pid }) : undefined;
  const protoNum = num(row.protocol);
  const protocol = protoNum === 6 ? 'tcp' : protoNum === 17 ? 'udp' : undefined;
  const local = str(row.local_address);
  const state = str(row.state);
  rc.ctx.emit({
    time,
    host: rc.host,
    platform: 'macos',
    src: srcOf(rc, table, row),
    kind: 'network',
    proc,
    direction: action === 'accept' ? 'inbound' : open && state === 'LISTEN' ? 'inbound' : 'outbound',
    protocol,
    srcIp: realAddress(local) ? local : '',
    srcPort: num(row.local_port),
    dstIp: remote,
    dstPort: num(row.remote_port),
    state,
    open: open ? true : undefined,
  });
}

/** file_events actions (FSEvents on macOS, inotify on Linux). */
const FILE_ACTIONS: Record<string, FileOp> = {
  CREATED: 'create',
  UPDATED: 'write',
  DELETED: 'delete',
  // A file moved into a watched place appears there: what persistence cares about.
  MOVED_TO: 'create',
  MOVED_FROM: 'delete',
};

function fileRow(row: Obj, rc: RowContext, table: string): void {
  const action = str(row.action);
  const op = action ? FILE_ACTIONS[action] : undefined;
  if (!op) {
    rc.ctx.ignored();
    return;
  }
  const path = str(row.target_path);
  const time = rowTime(row, rc);
  if (!path || time === undefined) {
    rc.ctx.problem(`osquery ${table} row without target_path or time; skipped`, { line: rc.line });
    return;
  }
  rc.ctx.emit({ time, host: rc.host, platform: 'macos', src: srcOf(rc, table, row), kind: 'file', op, path });
}

/** es_process_file_events (EndpointSecurity FIM) event types, by what they do to the file. */
const ES_FILE_OPS: Record<string, FileOp> = {
  create: 'create',
  rename: 'rename',
  write: 'write',
  truncate: 'write',
  unlink: 'delete',
};

/** es_process_file_events: file activity with the process that did it (pid, path). */
function esFileRow(row: Obj, rc: RowContext, table: string): void {
  const type = str(row.event_type);
  const op = type ? ES_FILE_OPS[type] : undefined;
  if (!op) {
    rc.ctx.ignored();
    return;
  }
  const path = str(row.filename);
  const time = rowTime(row, rc);
  const target = op === 'rename' ? str(row.dest_filename) : undefined;
  if (!path || time === undefined || (op === 'rename' && !target)) {
    rc.ctx.problem(`osquery ${table} row without filename, dest_filename or time; skipped`, {
      line: rc.line,
    });
    return;
  }
  const pid = num(row.pid);
  const image = str(row.path);
  const proc: ProcRef | undefined =
    pid !== undefined && pid > 0 ? (image ? { pid, image } : { pid }) : undefined;
  rc.ctx.emit({
    time,
    host: rc.host,
    platform: 'macos',
    src: srcOf(rc, table, row),
    kind: 'file',
    proc,
    op,
    path,
    target,
  });
}

/** Which table a row comes from, by its columns (query names are the user's). */
function tableOf(row: Obj, query: string): string | undefined {
  if (row.target_path !== undefined && row.action !== undefined) return 'file_events';
  if (row.filename !== undefined && row.event_type !== undefined) return 'es_process_file_events';
  if (row.remote_address !== undefined) {
    if (row.action !== undefined) return 'socket_events';
    return 'process_open_sockets';
  }
  if (row.path !== undefined && row.pid !== undefined) {
    if (row.cmdline !== undefined || row.parent !== undefined) {
      if (row.event_type !== undefined) return 'es_process_events';
      return row.time === undefined && row.start_time !== undefined ? 'processes' : 'process_events';
    }
  }
  if (/process_events/.test(query)) return 'process_events';
  return undefined;
}

function handleRow(row: unknown, rc: RowContext): void {
  const r = obj(row);
  if (!r) {
    rc.ctx.problem('osquery row is not an object; skipped', { line: rc.line });
    return;
  }
  const table = tableOf(r, rc.query);
  if (table === 'process_events' || table === 'es_process_events' || table === 'processes')
    processRow(r, rc, table);
  else if (table === 'socket_events' || table === 'process_open_sockets') socketRow(r, rc, table);
  else if (table === 'file_events') fileRow(r, rc, table);
  else if (table === 'es_process_file_events') esFileRow(r, rc, table);
  else rc.ctx.ignored();
}

/** A result line's run time: unixTime (seconds), else calendarTime ("Tue Sep 30 17:37:30 2014 UTC"). */
function runTimeOf(o: Obj): number | undefined {
  const u = num(o.unixTime);
  if (u !== undefined && u > 0) return u * 1000;
  const c = str(o.calendarTime);
  if (c && c.length < 64) {
    const t = Date.parse(c);
    if (Number.isFinite(t)) return t;
  }
  return undefined;
}

/** At most this many rows are read from one batch or snapshot line. */
const MAX_ROWS = 1_000_000;

export function osqueryDecoder(ctx: DecodeContext): LineDecoder {
  const handle = (v: unknown, line: number): void => {
    const o = obj(v);
    if (!o) {
      ctx.problem('osquery result line is not a JSON object; skipped', { line });
      return;
    }
    const rc: RowContext = {
      ctx,
      host: str(o.hostIdentifier) ?? str(obj(o.decorations)?.hostname) ?? '',
      runTime: runTimeOf(o),
      line,
      query: str(o.name) ?? '',
    };
    const columns = obj(o.columns);
    if (columns) {
      if (o.action === 'removed') ctx.ignored();
      else handleRow(columns, rc);
      return;
    }
    const diff = obj(o.diffResults);
    const rows = diff ? diff.added : o.snapshot;
    if (Array.isArray(rows)) {
      if (rows.length > MAX_ROWS)
        ctx.problem(`more than ${MAX_ROWS} rows in one result; rest skipped`, { line });
      const n = Math.min(rows.length, MAX_ROWS);
      for (let i = 0; i < n; i++) handleRow(rows[i], rc);
      if (diff && Array.isArray(diff.removed)) ctx.ignored(diff.removed.length);
      return;
    }
    if (diff) {
      ctx.ignored();
      return;
    }
    ctx.problem('osquery result line has no columns, diffResults or snapshot; skipped', { line });
  };
  return ndjsonLines(ctx, handle);
}

export const osquery: Format = {
  id: OSQUERY_FORMAT,
  description:
    'osquery results JSON lines (process_events, socket_events, file_events; event, batch and snapshot shapes)',
  sniff(_head, text) {
    const o = firstJsonObject(text);
    if (o) {
      if (o.hostIdentifier === undefined || o.name === undefined) return 0;
      return o.columns !== undefined || o.diffResults !== undefined || o.snapshot !== undefined ? 0.95 : 0;
    }
    // A snapshot line can be longer than the sniffed head.
    if (
      /^\s*\{/.test(text) &&
      /"hostIdentifier"\s*:/.test(text) &&
      /"(snapshot|diffResults|columns)"\s*:/.test(text)
    )
      return 0.85;
    return 0;
  },
  decoder: osqueryDecoder,
};
