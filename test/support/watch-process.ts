// `ratchain watch` run as a real process (the built CLI) until its stderr shows a 4-step chain,
// then stopped with SIGTERM as a service manager would: its exit code and log for the test.
import { spawn } from 'node:child_process';
import { builtCli } from './cli.ts';

export interface WatchRun {
  code: number | null;
  /** Everything it wrote on stderr. */
  log: string;
}

export async function watchUntilFourSteps(args: string[]): Promise<WatchRun> {
  const child = spawn(process.execPath, [builtCli(), 'watch', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        log += d.toString();
        if (/4-step/.test(log)) resolve();
      });
      child.once('exit', () => reject(new Error(`watch exited early: ${log}`)));
    });
    child.kill('SIGTERM');
    return { code: await exited, log };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
