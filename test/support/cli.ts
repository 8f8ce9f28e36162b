// Running the command line in tests: in-process through `main` with its output captured (fast:
// no process start-up), or, where a test needs a process of its own (signals, stdin, a heap cap),
// the built bundle dist/ratchain.mjs, rebuilt first when a source file is newer than it.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CliStream } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { REPO_ROOT } from './data.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(): CliStream & { text(): string } {
  const chunks: string[] = [];
  return {
    isTTY: false,
    write(chunk, cb) {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      if (cb) queueMicrotask(() => cb());
      return true;
    },
    once: () => undefined,
    text: () => chunks.join(''),
  };
}

/** `ratchain ...args` in this process; the working directory stays the test's. */
export async function runCli(...args: string[]): Promise<CliRun> {
  const stdout = capture();
  const stderr = capture();
  const code = await main(['node', 'ratchain', ...args], { stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

export const BUILT_CLI = join(REPO_ROOT, 'dist', 'ratchain.mjs');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

let checked = false;

/** The path of the built CLI, built first when missing or older than src/ or package.json. */
export function builtCli(): string {
  if (checked) return BUILT_CLI;
  let built = 0;
  try {
    built = statSync(BUILT_CLI).mtimeMs;
  } catch {
    // not built yet
  }
  const sources = Math.max(
    newestSource(join(REPO_ROOT, 'src')),
    statSync(join(REPO_ROOT, 'package.json')).mtimeMs,
  );
  if (built < sources) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`npm run build failed: ${r.stderr}`);
  }
  checked = true;
  return BUILT_CLI;
}

/**
 * The built CLI as a Node the package was not built with runs it: a copy of dist/ in `dir`
 * without the code cache, so it loads the module chunks (src/cli/code-cache.ts).
 */
export function chunkedCli(dir: string): string {
  const dist = join(REPO_ROOT, 'dist');
  builtCli();
  cpSync(dist, join(dir, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.cache') });
  return join(dir, 'dist', 'ratchain.mjs');
}
