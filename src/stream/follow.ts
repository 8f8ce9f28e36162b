// Follows one path like `tail -F`, by file identity (device, inode, birth time), never skipping
// bytes:
// - rotation (the path now names another file, or none): the old file stays open and is read
//   until it has been idle for `rotatedIdleMs` (a writer may still be on it); files rotated in
//   between (two rotations inside one poll: the path's siblings, `app.log.1`, that appeared since
//   the last look) are read whole; then the new file is read from its start.
// - truncation: the file is smaller than what was read, or the bytes just before the read
//   position changed (truncated and regrown within one poll). A sibling that holds the old
//   bytes (copytruncate) gives the rest of them first; then the file is read from its start.
// Polling, not fs.watch, because it behaves the same on every filesystem and costs one stat.
import { closeSync, fstatSync, openSync, readdirSync, readSync, type Stats, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface FollowedFile {
  /** The path it was found at (messages, evidence). */
  name: string;
  id: string;
}

export type FollowEnd = 'rotated' | 'stopped';

export interface FollowOptions {
  path: string;
  /** Wall time between polls. */
  pollMs: number;
  /** Start at the current end of the file (like `tail -f`) instead of its beginning. */
  fromEnd?: boolean;
  /** Most bytes read per file per poll, so one huge append cannot starve other inputs. */
  maxReadBytes?: number;
  /** A rotated file is closed after this long without growth (default: 20 polls, at least 5 s). */
  rotatedIdleMs?: number;
  /** A file's bytes start (at its start, or at its end when following from the end). */
  onOpen(file: FollowedFile): void;
  onData(file: FollowedFile, chunk: Buffer): void;
  /** The file was truncated: its bytes start over. */
  onTruncate(file: FollowedFile): void;
  /** No more bytes will come from this file. */
  onClose(file: FollowedFile, why: FollowEnd): void;
  onError(message: string): void;
  signal: AbortSignal;
  /** The wall clock (tests). */
  now?: () => number;
}

const CHUNK = 256 * 1024;
/** Bytes before the read position compared at every poll, to see a rewrite that grew past it. */
const FINGERPRINT_BYTES = 64;
/** Rotated siblings compressed by the rotation are copies of what was read, not new bytes. */
const COMPRESSED = /\.(gz|bz2|xz|zst|lz4|z)$/i;

interface Tracked {
  file: FollowedFile;
  fd: number;
  pos: number;
  /** The last FINGERPRINT_BYTES bytes read, ending at `pos`. */
  tail: Buffer;
  lastGrowth: number;
}

const identity = (st: Stats) => `${st.dev}:${st.ino}:${st.birthtimeMs}`;

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Runs until the signal aborts; resolves once every file is closed. */
export async function follow(o: FollowOptions): Promise<void> {
  const buf = Buffer.allocUnsafe(CHUNK);
  const maxRead = o.maxReadBytes ?? 8 * CHUNK;
  const idleMs = o.rotatedIdleMs ?? Math.max(5000, 20 * o.pollMs);
  const now = o.now ?? Date.now;
  const dir = dirname(o.path);
  const base = basename(o.path);
  /** Every file identity met at this path or beside it: never read from its start twice. */
  const known = new Set<string>();
  let current: Tracked | undefined;
  const retired: Tracked[] = [];
  let first = true;
  let reported = false;

  const siblings = (): Array<{ path: string; st: Stats }> => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    const out: Array<{ path: string; st: Stats }> = [];
    for (const n of names) {
      if (n === base || !n.startsWith(base) || COMPRESSED.test(n)) continue;
      const st = statOf(join(dir, n));
      if (st?.isFile()) out.push({ path: join(dir, n), st });
    }
    return out;
  };
  // Rotated files already there are old: only those that appear later are read.
  for (const s of siblings()) known.add(identity(s.st));

  const track = (path: string, st: Stats, from: number): Tracked | undefined => {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      if (!reported && (e as NodeJS.ErrnoException).code !== 'ENOENT') o.onError((e as Error).message);
      reported = true;
      return undefined;
    }
    reported = false;
    known.add(identity(st));
    const t: Tracked = {
      file: { name: path, id: identity(st) },
      fd,
      pos: from,
      tail: Buffer.alloc(0),
      lastGrowth: now(),
    };
    if (from > 0)
      t.tail = readAt(fd, Math.max(0, from - FINGERPRINT_BYTES), Math.min(from, FINGERPRINT_BYTES));
    o.onOpen(t.file);
    return t;
  };

  const readSome = (t: Tracked, limit: number): number => {
    let total = 0;
    while (total < limit) {
      const n = readSync(t.fd, buf, 0, Math.min(CHUNK, limit - total), t.pos);
      if (n <= 0) break;
      t.pos += n;
      total += n;
      const chunk = Buffer.from(buf.subarray(0, n));
      t.tail = fingerprint(t.tail, chunk);
      o.onData(t.file, chunk);
    }
    if (total > 0) t.lastGrowth = now();
    return total;
  };

  const close = (t: Tracked, why: FollowEnd) => {
    try {
      closeSync(t.fd);
    } catch {}
    o.onClose(t.file, why);
  };

  /** A rotated file keeps being read through its descriptor; files rotated past it are read whole. */
  const rotate = (old: Tracked) => {
    readSome(old, Number.POSITIVE_INFINITY);
    retired.push(old);
    const between = siblings()
      .filter((s) => !known.has(identity(s.st)))
      .sort((a, b) => a.st.mtimeMs - b.st.mtimeMs);
    for (const s of between) {
      const t = track(s.path, s.st, 0);
      if (!t) continue;
      readSome(t, Number.POSITIVE_INFINITY);
      retired.push(t);
    }
  };

  /** Truncated, or rewritten past where it was read (the bytes before `pos` changed). */
  const truncated = (t: Tracked, size: number): boolean => {
    if (size < t.pos) return true;
    if (t.tail.length === 0) return false;
    return !readAt(t.fd, t.pos - t.tail.length, t.tail.length).equals(t.tail);
  };

  /** copytruncate: a new sibling holding what was read so far gives the bytes after it first. */
  const restOfCopy = (t: Tracked) => {
    for (const s of siblings()) {
      if (known.has(identity(s.st)) || s.st.size < t.pos) continue;
      let fd: number;
      try {
        fd = openSync(s.path, 'r');
      } catch {
        continue;
      }
      try {
        if (t.tail.length && !readAt(fd, t.pos - t.tail.length, t.tail.length).equals(t.tail)) continue;
        known.add(identity(s.st));
        const copy: Tracked = { ...t, fd };
        readSome(copy, Number.POSITIVE_INFINITY);
        return;
      } finally {
        closeSync(fd);
      }
    }
  };

  const poll = (): boolean => {
    const st = statOf(o.path);
    if (current && (!st || identity(st) !== current.file.id)) {
      rotate(current);
      current = undefined;
    }
    if (!current && st?.isFile()) {
      current = track(o.path, st, first && o.fromEnd ? st.size : 0);
      if (current) first = false;
    } else if (!st) first = false; // a file created later is new: read it whole
    // Older bytes first: what rotated files still give, then the current file.
    let busy = false;
    for (const t of [...retired]) {
      if (readSome(t, maxRead) >= maxRead) busy = true;
      else if (now() - t.lastGrowth >= idleMs) {
        retired.splice(retired.indexOf(t), 1);
        close(t, 'rotated');
      }
    }
    if (current) {
      try {
        if (truncated(current, fstatSync(current.fd).size)) {
          restOfCopy(current);
          current.pos = 0;
          current.tail = Buffer.alloc(0);
          o.onTruncate(current.file);
        }
        if (readSome(current, maxRead) >= maxRead) busy = true;
      } catch (e) {
        o.onError((e as Error).message);
        close(current, 'stopped');
        current = undefined;
      }
    }
    return busy;
  };

  try {
    while (!o.signal.aborted) {
      if (!poll()) await sleep(o.pollMs, o.signal);
      else await new Promise((r) => setImmediate(r));
    }
  } finally {
    // What rotated files still hold is read before they are closed.
    for (const t of retired) {
      readSome(t, Number.POSITIVE_INFINITY);
      close(t, 'rotated');
    }
    if (current) close(current, 'stopped');
  }
}

function readAt(fd: number, at: number, n: number): Buffer {
  const b = Buffer.alloc(n);
  let got = 0;
  while (got < n) {
    const r = readSync(fd, b, got, n - got, at + got);
    if (r <= 0) break;
    got += r;
  }
  return b.subarray(0, got);
}

function fingerprint(tail: Buffer, chunk: Buffer): Buffer {
  if (chunk.length >= FINGERPRINT_BYTES) return Buffer.from(chunk.subarray(chunk.length - FINGERPRINT_BYTES));
  const joined = Buffer.concat([tail, chunk]);
  return joined.subarray(Math.max(0, joined.length - FINGERPRINT_BYTES));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
