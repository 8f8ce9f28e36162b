// Turns what the user typed (files, directories, globs, "-") into a list of inputs, and opens
// one input as a stream of raw bytes (gzip undone). Nothing here knows about formats.
//
// Bounds: inside a directory only regular files are read; symbolic links are followed once
// (each file or directory is reached once, by its device and inode, so a loop ends) and counted;
// FIFOs, sockets and devices are skipped and reported, and read only when named on the command
// line, where a FIFO that no writer opens, or that sends nothing, is given up after
// FIRST_BYTE_TIMEOUT_MS. A gzip input that expands beyond MAX_INFLATE_RATIO times what was read
// of it (past MIN_INFLATE_LIMIT) is a decompression bomb: it is cut there, with a message.
import {
  closeSync,
  constants,
  createReadStream,
  type Dirent,
  open as openFd,
  openSync,
  readdirSync,
  readSync,
  type Stats,
  statSync,
} from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { basename, join, relative, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { globSync, isDynamicPattern } from 'tinyglobby';

/** A FIFO named on the command line must open and send its first byte within this time. */
export const FIRST_BYTE_TIMEOUT_MS = 10_000;
/** Real logs compress 5-50x; a gzip input expanding more than this was built to (a bomb). */
export const MAX_INFLATE_RATIO = 200;
/** Below this much output the ratio is not checked (small inputs have high ratios by chance). */
export const MIN_INFLATE_LIMIT = 64 << 20;

export interface Input {
  /** Name shown in messages and evidence: the path as found, or "-" for stdin. */
  name: string;
  /** Absolute path; undefined for stdin. */
  path?: string;
  size?: number;
  /** What the path is: a regular file can be read again; a FIFO or a device only once. */
  kind?: 'file' | 'fifo' | 'device';
}

export interface ExpandResult {
  inputs: Input[];
  problems: Array<{ file: string; message: string }>;
  /** Symbolic links followed inside directories (each target read once). */
  linksFollowed: number;
}

/** An input that cannot be read a second time (stdin, a FIFO, a device). */
export function readOnce(input: Input): boolean {
  return !input.path || (input.kind !== undefined && input.kind !== 'file');
}

/** Raised by openBytes with a message for the user (the reader reports it as a problem). */
export class InputBound extends Error {}

/**
 * The directory a glob starts from (its segments before the first with glob syntax) and the rest:
 * "logs/web/*.{xml,ndjson}" → ["logs/web", "*.{xml,ndjson}"]. Matches are named from there, as the
 * user wrote them.
 */
function splitGlob(pattern: string): [string, string] {
  const parts = pattern.split('/');
  let i = 0;
  while (i < parts.length - 1 && !isDynamicPattern(parts[i])) i++;
  const root = parts.slice(0, i).join('/') || (pattern.startsWith('/') ? '/' : '.');
  return [root, parts.slice(i).join('/')];
}

/** Files a glob (braces, `**`, `[!w]` classes) matches, sorted, minus the `!patterns` given. */
function globFiles(pattern: string, negated: string[]): string[] {
  const [root, rest] = splitGlob(pattern);
  const found = globSync(rest, {
    cwd: root,
    ignore: negated.map((n) => (root === '.' ? n : relative(root, resolve(n)))),
    onlyFiles: true,
    followSymbolicLinks: false,
    expandDirectories: false,
  });
  return found.map((f) => (root === '.' ? f : join(root, f))).sort();
}

interface Walk {
  out: string[];
  /** Files and directories reached, by device and inode. */
  seen: Set<string>;
  problems: ExpandResult['problems'];
  linksFollowed: number;
}

const identity = (st: { dev: number; ino: number }) => `${st.dev}:${st.ino}`;

function special(st: Stats): string | undefined {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return undefined;
}

function walk(dir: string, w: Walk): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    w.problems.push({ file: dir, message: `cannot read the directory: ${(e as Error).message}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    let st: Stats;
    try {
      st = statSync(p); // follows a link
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = e.isSymbolicLink()
        ? code === 'ELOOP'
          ? 'a symbolic link loop; not followed'
          : 'a symbolic link to nothing; skipped'
        : `cannot read: ${(err as Error).message}`;
      w.problems.push({ file: p, message: why });
      continue;
    }
    const id = identity(st);
    if (w.seen.has(id)) continue; // reached already (a link to it, or a loop back)
    w.seen.add(id);
    if (e.isSymbolicLink()) w.linksFollowed++;
    if (st.isDirectory()) walk(p, w);
    else if (st.isFile()) w.out.push(p);
    else
      w.problems.push({
        file: p,
        message: `${special(st) ?? 'not a regular file'} in a directory; skipped (name it on the command line to read it)`,
      });
  }
}

/** Hidden files and our own outputs are not telemetry. */
function wanted(p: string): boolean {
  const b = basename(p);
  return (
    !b.startsWith('.') && !/\.(md|yml|yaml|txt|LICENSE|license|html|png)$/i.test(b) && !/^LICENSE/i.test(b)
  );
}

export function expandInputs(args: string[]): ExpandResult {
  const inputs: Input[] = [];
  const problems: ExpandResult['problems'] = [];
  let linksFollowed = 0;
  const add = (p: string) => {
    try {
      const st = statSync(p);
      const kind = st.isFIFO() ? 'fifo' : special(st) ? 'device' : 'file';
      inputs.push({ name: p, path: resolve(p), size: kind === 'file' ? st.size : undefined, kind });
    } catch (e) {
      problems.push({ file: p, message: `cannot read: ${(e as Error).message}` });
    }
  };
  // "!pattern" leaves out files a glob matched ('logs/**' '!logs/old/**').
  const negated = args.filter((a) => a.startsWith('!') && a.length > 1).map((a) => a.slice(1));
  for (const arg of args) {
    if (arg.startsWith('!') && arg.length > 1) continue;
    if (arg === '-') {
      inputs.push({ name: '-' });
      continue;
    }
    if (isDynamicPattern(arg)) {
      const matched = globFiles(arg.startsWith('./') ? arg.slice(2) : arg, negated);
      if (matched.length === 0) problems.push({ file: arg, message: 'pattern matches no file' });
      for (const f of matched) add(f);
      continue;
    }
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(arg);
    } catch (e) {
      problems.push({ file: arg, message: `cannot read: ${(e as Error).message}` });
      continue;
    }
    if (st.isDirectory()) {
      const w: Walk = { out: [], seen: new Set([identity(st)]), problems, linksFollowed: 0 };
      walk(arg, w);
      linksFollowed += w.linksFollowed;
      const keep = w.out.filter(wanted);
      if (keep.length === 0) problems.push({ file: arg, message: 'directory holds no input files' });
      for (const f of keep) add(f);
    } else add(arg);
  }
  return { inputs, problems, linksFollowed };
}

const openRaw = (path: string, flags: number) =>
  new Promise<number>((ok, fail) => openFd(path, flags, (e, fd) => (e ? fail(e) : ok(fd))));

function timeout(ms: number): { done: Promise<'timeout'>; cancel(): void } {
  let t: NodeJS.Timeout | undefined;
  const done = new Promise<'timeout'>((r) => {
    t = setTimeout(() => r('timeout'), ms);
  });
  return { done, cancel: () => clearTimeout(t) };
}

const seconds = (ms: number) => `${ms / 1000} s`;

/**
 * A FIFO opened for reading, as a socket (epoll, not a blocked thread, so it can be given up).
 * Opening blocks until a writer opens the other end: after FIRST_BYTE_TIMEOUT_MS this process
 * opens it for writing for a moment, which lets its own open return, and gives up.
 */
async function openFifo(path: string, ms: number): Promise<Socket> {
  const pending = openRaw(path, constants.O_RDONLY);
  const t = timeout(ms);
  const fd = await Promise.race([pending, t.done]);
  t.cancel();
  if (fd === 'timeout') {
    const unblock = await openRaw(path, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => undefined);
    const mine = await pending.catch(() => undefined);
    for (const f of [unblock, mine]) if (f !== undefined) closeFd(f);
    throw new InputBound(`a FIFO that no writer opened within ${seconds(ms)}; skipped`);
  }
  return new Socket({ fd, readable: true, writable: false });
}

function closeFd(fd: number): void {
  try {
    closeSync(fd);
  } catch {}
}

/** The first chunk of a FIFO, or a bound error when none comes in time. */
async function firstChunk(it: AsyncIterator<unknown>, ms: number): Promise<IteratorResult<unknown>> {
  const t = timeout(ms);
  const r = await Promise.race([it.next(), t.done]);
  t.cancel();
  if (r === 'timeout') throw new InputBound(`a FIFO that sent nothing within ${seconds(ms)}; skipped`);
  return r;
}

function bombMessage(out: number, read: number): string {
  const mb = (n: number) => `${Math.round(n / (1 << 20))} MB`;
  return `gzip data expands beyond ${MAX_INFLATE_RATIO} times its size (${mb(out)} from ${mb(read)} read): a decompression bomb, or not a log; the rest is skipped`;
}

/**
 * A regular file's chunks, one read always in flight ahead of the consumer: the thread pool reads
 * the next chunk while this one is parsed (waiting for each read in turn left a 106 MB hunt idle
 * for about 180 ms of its second). While `recycle()` says the consumer is done with each chunk
 * before it asks for the next, two buffers take turns, the one read into never the one the
 * consumer holds: a fresh megabyte per read (what a read stream allocates) cost that hunt about
 * 0.3 CPU s in page faults and garbage collection.
 */
async function* fileChunks(path: string, chunkSize: number, recycle: () => boolean): AsyncGenerator<Buffer> {
  const fh = await openFile(path, 'r');
  const spares: (Buffer | undefined)[] = [undefined, undefined];
  let turn = 0;
  const readAhead = () => {
    let buf: Buffer;
    if (recycle()) {
      spares[turn] ??= Buffer.allocUnsafeSlow(chunkSize);
      buf = spares[turn] as Buffer;
    } else buf = Buffer.allocUnsafe(chunkSize);
    turn ^= 1;
    const read = fh.read(buf, 0, chunkSize, null);
    // Its failure is thrown where it is awaited; until then it must not count as unhandled.
    read.catch(() => undefined);
    return read;
  };
  let pending: ReturnType<typeof readAhead> | undefined = readAhead();
  try {
    for (;;) {
      const { bytesRead, buffer } = await pending;
      pending = undefined;
      if (bytesRead === 0) return;
      pending = readAhead();
      // A new view each time: readers that remember where they were in a buffer go by its identity.
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await pending?.catch(() => undefined);
    await fh.close();
  }
}

/**
 * Files below this size are read at once with blocking calls (a millisecond at most): the file
 * handle, the thread pool and the read ahead cost a small file more than its read. 49 files of
 * 69 KB spent about 40 ms opening, reading and closing through fs/promises.
 */
const SMALL_FILE = 256 * 1024;

/** A small file's bytes, read in one piece (more if it grew since it was listed). */
async function* smallFileChunks(path: string, size: number): AsyncGenerator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(size);
      const n = readSync(fd, buf, 0, size, null);
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads of a file smaller than this are not made smaller: the file may grow while it is read. */
const MIN_READ = 64 * 1024;

/**
 * A read no larger than the file (and one byte, so the first read ends it): a hunt of 49 files
 * of 69 KB allocated two 1 MiB buffers for each, and V8 collected garbage for the external memory.
 */
function readSize(chunkSize: number, size: number | undefined): number {
  return size === undefined ? chunkSize : Math.min(chunkSize, Math.max(MIN_READ, size + 1));
}

/**
 * Raw bytes of an input, gunzipped when it starts with the gzip magic. Closes the file when
 * abandoned. Bounds (a FIFO's first byte, gzip expansion) end it with an InputBound error.
 * `recycle` (consulted before each read after the first) tells whether the consumer keeps no
 * chunk once it asks for the next, so a regular file may be read into the same memory each time.
 */
export async function* openBytes(
  input: Input,
  chunkSize = 1 << 20,
  firstByteMs = FIRST_BYTE_TIMEOUT_MS,
  recycle: () => boolean = () => false,
): AsyncGenerator<Buffer> {
  let plain = false;
  const file = input.path !== undefined && input.kind === 'file';
  const stream: (NodeJS.ReadableStream & { destroy?(): void }) | undefined = !input.path
    ? process.stdin
    : input.kind === 'fifo'
      ? await openFifo(input.path, firstByteMs)
      : file
        ? undefined
        : createReadStream(input.path, { highWaterMark: chunkSize });
  let gunzip: ReturnType<typeof createGunzip> | undefined;
  const it: AsyncIterator<unknown> = stream
    ? stream[Symbol.asyncIterator]()
    : input.size !== undefined && input.size < SMALL_FILE
      ? smallFileChunks(input.path as string, readSize(chunkSize, input.size))
      : fileChunks(input.path as string, readSize(chunkSize, input.size), () => plain && recycle());
  try {
    const head = input.kind === 'fifo' ? await firstChunk(it, firstByteMs) : await it.next();
    if (head.done) return;
    const buf = head.value as Buffer;
    if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
      const gz = createGunzip({ chunkSize: 1 << 18 });
      gunzip = gz;
      let read = buf.length;
      const feed = (async () => {
        if (!gz.write(buf)) await new Promise((r) => gz.once('drain', r));
        for (let r = await it.next(); !r.done; r = await it.next()) {
          read += (r.value as Buffer).length;
          if (!gz.write(r.value as Buffer)) await new Promise((r) => gz.once('drain', r));
        }
        gz.end();
      })();
      feed.catch((e) => gz.destroy(e));
      let out = 0;
      for await (const c of gz) {
        out += (c as Buffer).length;
        if (out > MIN_INFLATE_LIMIT && out > MAX_INFLATE_RATIO * read)
          throw new InputBound(bombMessage(out, read));
        yield c as Buffer;
      }
      return;
    }
    // Only plain input may be recycled: gunzip keeps the chunks written to it.
    plain = true;
    yield buf;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value as Buffer;
  } finally {
    gunzip?.destroy();
    if (stream) {
      if (input.path) stream.destroy?.();
    } else await it.return?.(undefined);
  }
}
