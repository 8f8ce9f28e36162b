// Turns what the user typed (files, directories, globs, "-") into a list of inputs, and opens
// one input as a stream of raw bytes (gzip undone). Nothing here knows about formats.
import { createReadStream, type Dirent, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { globSync, isDynamicPattern } from 'tinyglobby';

export interface Input {
  /** Name shown in messages and evidence: the path as found, or "-" for stdin. */
  name: string;
  /** Absolute path; undefined for stdin. */
  path?: string;
  size?: number;
}

export interface ExpandResult {
  inputs: Input[];
  problems: Array<{ file: string; message: string }>;
}

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

function walk(dir: string, out: string[], seen: Set<string>): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!seen.has(p)) {
        seen.add(p);
        walk(p, out, seen);
      }
    } else if (e.isFile()) out.push(p);
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
  const add = (p: string) => {
    try {
      inputs.push({ name: p, path: resolve(p), size: statSync(p).size });
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
      const files: string[] = [];
      walk(arg, files, new Set([resolve(arg)]));
      const keep = files.filter(wanted);
      if (keep.length === 0) problems.push({ file: arg, message: 'directory holds no input files' });
      for (const f of keep) add(f);
    } else add(arg);
  }
  return { inputs, problems };
}

/** Raw bytes of an input, gunzipped when it starts with the gzip magic. Closes the file when abandoned. */
export async function* openBytes(input: Input, chunkSize = 1 << 20): AsyncGenerator<Buffer> {
  const stream = input.path ? createReadStream(input.path, { highWaterMark: chunkSize }) : process.stdin;
  let gunzip: ReturnType<typeof createGunzip> | undefined;
  const it = stream[Symbol.asyncIterator]();
  try {
    const head = await it.next();
    if (head.done) return;
    const buf = head.value as Buffer;
    if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
      const gz = createGunzip({ chunkSize: 1 << 18 });
      gunzip = gz;
      const feed = (async () => {
        if (!gz.write(buf)) await new Promise((r) => gz.once('drain', r));
        for (let r = await it.next(); !r.done; r = await it.next())
          if (!gz.write(r.value as Buffer)) await new Promise((r) => gz.once('drain', r));
        gz.end();
      })();
      feed.catch((e) => gz.destroy(e));
      for await (const c of gz) yield c as Buffer;
      return;
    }
    yield buf;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value as Buffer;
  } finally {
    gunzip?.destroy();
    if (input.path) (stream as ReturnType<typeof createReadStream>).destroy();
  }
}
