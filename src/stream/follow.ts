// Follows one file like `tail -F`: reads what is there, then polls for appends. A file that
// shrinks was truncated (read again from the start); a path that now names another file (inode
// changed) or vanished was rotated: the old file is read to its end first, then the new one
// from its start. A file that does not exist yet is waited for. Polling, not fs.watch, because
// it behaves the same on every filesystem (network mounts, containers) and costs one stat.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

export type FollowReset = 'truncated' | 'rotated';

export interface FollowOptions {
  path: string;
  /** Wall time between polls. */
  pollMs: number;
  /** Start at the current end of the file (like `tail -f`) instead of its beginning. */
  fromEnd?: boolean;
  /** Most bytes read per poll, so one huge append cannot starve other inputs. */
  maxReadBytes?: number;
  onData(chunk: Buffer): void;
  /** Before the bytes of a new file (rotation) or of a rewritten one (truncation). */
  onReset(why: FollowReset): void;
  onError(message: string): void;
  signal: AbortSignal;
}

const CHUNK = 256 * 1024;

function inodeOf(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

/** Runs until the signal aborts; resolves once the file is closed. */
export async function follow(o: FollowOptions): Promise<void> {
  const buf = Buffer.allocUnsafe(CHUNK);
  const maxRead = o.maxReadBytes ?? 8 * CHUNK;
  let fd: number | undefined;
  let ino: number | undefined;
  let pos = 0;
  let first = true;
  let reported = false;

  const open = (): boolean => {
    try {
      fd = openSync(o.path, 'r');
      const st = fstatSync(fd);
      ino = st.ino;
      pos = first && o.fromEnd ? st.size : 0;
      first = false;
      reported = false;
      return true;
    } catch (e) {
      if (!reported && (e as NodeJS.ErrnoException).code !== 'ENOENT') o.onError((e as Error).message);
      reported = true;
      first = false; // a file created later is new: read it whole
      return false;
    }
  };

  /** Reads up to `limit` bytes from the open file; returns bytes read. */
  const readSome = (limit: number): number => {
    let total = 0;
    while (fd !== undefined && total < limit) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK, limit - total), pos);
      if (n <= 0) break;
      pos += n;
      total += n;
      o.onData(Buffer.from(buf.subarray(0, n)));
    }
    return total;
  };

  const close = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };

  const poll = (): boolean => {
    if (fd === undefined && !open()) return false;
    try {
      const size = fstatSync(fd!).size;
      if (size < pos) {
        pos = 0;
        o.onReset('truncated');
      }
      if (readSome(maxRead) >= maxRead) return true; // more to read: poll again at once
      const now = inodeOf(o.path);
      if (now !== ino) {
        readSome(Number.POSITIVE_INFINITY); // the rest of the rotated file
        close();
        if (now !== undefined && open()) {
          o.onReset('rotated');
          return true;
        }
        o.onReset('rotated');
      }
    } catch (e) {
      o.onError((e as Error).message);
      close();
    }
    return false;
  };

  try {
    while (!o.signal.aborted) {
      const busy = poll();
      if (!busy) await sleep(o.pollMs, o.signal);
      else await new Promise((r) => setImmediate(r));
    }
  } finally {
    close();
  }
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
