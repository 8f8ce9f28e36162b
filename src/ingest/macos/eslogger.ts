// eslogger: the NDJSON Apple's `eslogger` prints for Endpoint Security events, one es_message_t
// per line: `time`, `process` (the es_process_t that caused the event), `event` holding one key
// named after the event (`exec`, `fork`, `exit`, `create`, ...), `event_type`, `seq_num`,
// `global_seq_num`, `schema_version`. The event is identified by that key, not by the integer
// `event_type`, whose numbering grows with each SDK (and hand-made files get it wrong).
//
// Process identity is the audit token: pid plus pidversion, which the kernel bumps on every exec
// and fork, so a reused pid never links two strangers. An exec's `target` is the new image with
// its new pidversion; its `parent_audit_token` names the parent as that parent's own exec or fork
// event named it. eslogger records carry no host name: events leave here with host '', for the
// hunt to replace with the input's host label (the DecodeContext has no host to give yet).

import type { FileOp, ImageMeta, ProcRef, SourceRef } from '../../model/event.ts';
import type { DecodeContext, Format, LineDecoder } from '../reader.ts';
import { bool, isoTime, joinArgs, num, type Obj, obj, str, text } from './json-fields.ts';
import { ndjsonLines } from './ndjson-lines.ts';

export const ESLOGGER_FORMAT = 'eslogger';

/** `${pid}:${pidversion}` of an audit token; undefined without both. */
export function auditTokenGuid(token: unknown): string | undefined {
  const t = obj(token);
  if (!t) return undefined;
  const pid = num(t.pid);
  const ver = num(t.pidversion);
  return pid === undefined || ver === undefined ? undefined : `${pid}:${ver}`;
}

/** The ProcRef of an es_process_t: audit-token guid, pid, image, start time, effective uid. */
function procRef(p: Obj | undefined): ProcRef | undefined {
  if (!p) return undefined;
  const token = obj(p.audit_token);
  const ref: ProcRef = {};
  const guid = auditTokenGuid(token);
  if (guid) ref.guid = guid;
  const pid = num(token?.pid);
  if (pid !== undefined) ref.pid = pid;
  const image = text(obj(p.executable)?.path);
  if (image) ref.image = image;
  const start = isoTime(p.start_time);
  if (start !== undefined) ref.start = start;
  const user = str(token?.euid);
  if (user) ref.user = user;
  return ref;
}

/** Signing facts of an es_process_t. team_id is null for platform binaries and unsigned code. */
function imageMeta(p: Obj): ImageMeta | undefined {
  const signingId = str(p.signing_id);
  const teamId = str(p.team_id);
  const platformBinary = bool(p.is_platform_binary);
  if (signingId === undefined && teamId === undefined && platformBinary === undefined) return undefined;
  const meta: ImageMeta = {};
  if (signingId) meta.signingId = signingId;
  if (teamId) meta.teamId = teamId;
  if (platformBinary !== undefined) meta.platformBinary = platformBinary;
  return meta;
}

/** The parent as the child names it: parent_audit_token when present (ES v4+), else ppid. */
function parentRef(p: Obj): ProcRef | undefined {
  const ref: ProcRef = {};
  const guid = auditTokenGuid(p.parent_audit_token);
  if (guid) ref.guid = guid;
  const pid = num(obj(p.parent_audit_token)?.pid) ?? num(p.ppid);
  if (pid !== undefined) ref.pid = pid;
  return ref.guid || ref.pid !== undefined ? ref : undefined;
}

/** Path of an es_file_t. */
function filePath(f: unknown): string | undefined {
  return text(obj(f)?.path);
}

/** Destination of create/rename: `existing_file` or `new_path` {dir, filename}. */
function destinationPath(dest: unknown): string | undefined {
  const d = obj(dest);
  if (!d) return undefined;
  const existing = filePath(d.existing_file);
  if (existing) return existing;
  const np = obj(d.new_path);
  if (!np) return undefined;
  const dir = filePath(np.dir);
  const name = text(np.filename);
  if (!dir || !name) return undefined;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** es_btm_item_type_t, by value. */
const BTM_ITEM_TYPES = ['user_item', 'app', 'login_item', 'agent', 'daemon'];

/** A plain path from a BTM item URL: "file:///Library/LaunchDaemons/x.plist" or relative to app_url. */
function urlPath(url: string, base?: string): string {
  let u = url;
  if (!/^[a-z]+:\/\//i.test(u) && !u.startsWith('/') && base)
    u = base.endsWith('/') ? base + u : `${base}/${u}`;
  if (u.startsWith('file://')) {
    u = u.slice(7);
    try {
      u = decodeURIComponent(u);
    } catch {
      // A malformed %-escape: keep the raw text, it still names the item.
    }
  }
  return u;
}

/** The launchd label a BTM item stands for: the plist file name without `.plist`. */
function btmItemName(itemPath: string): string {
  const trimmed = itemPath.endsWith('/') ? itemPath.slice(0, -1) : itemPath;
  const base = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return base.replace(/\.plist$/i, '');
}

/**
 * BTM names the program as a bare path, and macOS paths have spaces ("Application Support"):
 * quoted, the registered command reads as one program, not a program and arguments.
 */
function commandOf(path: string | undefined): string | undefined {
  if (!path) return undefined;
  return /\s/.test(path) && !path.startsWith('"') ? `"${path}"` : path;
}

export function esloggerDecoder(ctx: DecodeContext): LineDecoder {
  const handle = (v: unknown, line: number): void => {
    const o = obj(v);
    if (!o) {
      ctx.problem('eslogger line is not a JSON object; skipped', { line });
      return;
    }
    const ev = obj(o.event);
    let name: string | undefined;
    if (ev)
      for (const k in ev) {
        name = k;
        break;
      }
    if (!ev || !name) {
      ctx.problem('eslogger record has no event object; skipped', { line });
      return;
    }
    switch (name) {
      case 'exec':
      case 'fork':
      case 'exit':
      case 'create':
      case 'rename':
      case 'write':
      case 'close':
      case 'unlink':
      case 'btm_launch_item_add':
        break;
      default:
        ctx.ignored();
        return;
    }
    const body = obj(ev[name]);
    const seq = str(o.global_seq_num) ?? str(o.seq_num);
    const src: SourceRef =
      seq === undefined
        ? { file: ctx.file, format: ESLOGGER_FORMAT, line, eventId: name }
        : { file: ctx.file, format: ESLOGGER_FORMAT, line, eventId: name, record: seq };
    const time = isoTime(o.time);
    const proc = obj(o.process);
    if (time === undefined) {
      ctx.problem(`eslogger ${name} record has no readable time; skipped`, { line });
      return;
    }
    if (!body) {
      ctx.problem(`eslogger ${name} record has no event body; skipped`, { line });
      return;
    }
    if (name === 'exec') {
      const target = obj(body.target);
      const image = text(obj(target?.executable)?.path);
      if (!target || !image) {
        ctx.problem('eslogger exec has no target executable path; skipped', { line });
        return;
      }
      const p = procRef(target) as ProcRef & { image: string };
      const commandLine = joinArgs(body.args);
      if (commandLine) p.commandLine = commandLine;
      const euid = num(obj(target.audit_token)?.euid);
      ctx.emit({
        time,
        host: '',
        platform: 'macos',
        src,
        kind: 'process',
        proc: p,
        parent: parentRef(target),
        commandLine,
        user: p.user,
        integrity: euid === undefined ? undefined : euid === 0 ? 'root' : 'user',
        cwd: filePath(body.cwd),
        meta: imageMeta(target),
      });
      return;
    }

    if (name === 'fork') {
      const child = obj(body.child);
      const parent = procRef(proc);
      const image = text(obj(child?.executable)?.path) ?? parent?.image;
      if (!child || !image) {
        ctx.problem('eslogger fork has no child process; skipped', { line });
        return;
      }
      const p = procRef(child) as ProcRef & { image: string };
      p.image = image;
      const euid = num(obj(child.audit_token)?.euid);
      ctx.emit({
        time,
        host: '',
        platform: 'macos',
        src,
        kind: 'process',
        proc: p,
        parent: parent ?? parentRef(child),
        user: p.user,
        integrity: euid === undefined ? undefined : euid === 0 ? 'root' : 'user',
        meta: imageMeta(child),
        forkOnly: true,
      });
      return;
    }

    const actor = procRef(proc);
    if (name === 'exit') {
      if (!actor) {
        ctx.problem('eslogger exit has no process; skipped', { line });
        return;
      }
      ctx.emit({ time, host: '', platform: 'macos', src, kind: 'process_end', proc: actor });
      return;
    }

    if (name === 'btm_launch_item_add') {
      const item = obj(body.item);
      const url = str(item?.item_url);
      if (!item || !url) {
        ctx.problem('eslogger btm_launch_item_add has no item URL; skipped', { line });
        return;
      }
      const appUrl = str(item.app_url);
      const itemPath = urlPath(url, appUrl ? urlPath(appUrl) : undefined);
      const type = num(item.item_type);
      const startType = type !== undefined ? (BTM_ITEM_TYPES[type] ?? String(type)) : str(item.item_type);
      // The instigator registered the item; the event's own process is usually the BTM daemon.
      const instigator =
        procRef(obj(body.instigator)) ??
        (auditTokenGuid(body.instigator_token)
          ? { guid: auditTokenGuid(body.instigator_token), pid: num(obj(body.instigator_token)?.pid) }
          : undefined);
      ctx.emit({
        time,
        host: '',
        platform: 'macos',
        src,
        kind: 'persistence',
        mechanism: 'launchd',
        name: btmItemName(itemPath),
        command: commandOf(str(body.executable_path)),
        actor: instigator,
        startType,
        account: str(item.uid),
      });
      return;
    }

    // File events.
    let op: FileOp;
    let path: string | undefined;
    let target: string | undefined;
    if (name === 'create') {
      op = 'create';
      path = destinationPath(body.destination);
    } else if (name === 'rename') {
      op = 'rename';
      path = filePath(body.source);
      target = destinationPath(body.destination);
      if (!target) {
        ctx.problem('eslogger rename has no destination; skipped', { line });
        return;
      }
    } else if (name === 'unlink') {
      op = 'delete';
      path = filePath(body.target);
    } else {
      // write, or close of a file that was modified: both say "the content changed".
      if (name === 'close' && body.modified !== true) {
        ctx.ignored();
        return;
      }
      op = 'write';
      path = filePath(body.target);
    }
    if (!path) {
      ctx.problem(`eslogger ${name} has no file path; skipped`, { line });
      return;
    }
    ctx.emit({ time, host: '', platform: 'macos', src, kind: 'file', proc: actor, op, path, target });
  };
  return ndjsonLines(ctx, handle);
}

export const eslogger: Format = {
  id: ESLOGGER_FORMAT,
  description:
    'macOS eslogger NDJSON (Endpoint Security: exec, fork, exit, create, rename, write, close, btm_launch_item_add)',
  sniff(_head, sample) {
    // Exec lines with their environment run past the 64 KiB head, so decide on the sample of the
    // first record rather than on a parse of it.
    let i = 0;
    while (i < sample.length && i < 256 && /\s/.test(sample[i])) i++;
    if (sample[i] !== '{') return 0;
    const first = sample.slice(i, sample.indexOf('\n', i) > 0 ? sample.indexOf('\n', i) : undefined);
    if (!/"event_type"\s*:\s*\d/.test(first) || !/"audit_token"\s*:\s*\{/.test(first)) return 0;
    if (!/"event"\s*:\s*\{\s*"[a-z_]+"\s*:/.test(first)) return 0;
    return /"schema_version"\s*:/.test(first) || /"mach_time"\s*:/.test(first) ? 0.95 : 0.9;
  },
  decoder: esloggerDecoder,
};
