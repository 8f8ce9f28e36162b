// The ratchain command line: parsing and wiring only. Each subcommand's module is loaded when it
// runs, so `ratchain --help` loads commander and the option lists, nothing else.
import { Command, CommanderError } from 'commander';
import { terminalSafeLines } from '../sinks/terminal-text.ts';
import { catalogCommand } from './commands/catalog.ts';
import { configCommand } from './commands/config.ts';
import { diffCommand } from './commands/diff.ts';
import { dumpCommand } from './commands/dump.ts';
import { explainCommand } from './commands/explain.ts';
import { exportCommand } from './commands/export.ts';
import { formatsCommand } from './commands/formats.ts';
import { huntCommand } from './commands/hunt.ts';
import { publishCommand } from './commands/publish.ts';
import { rulesCommand } from './commands/rules.ts';
import { serveCommand } from './commands/serve.ts';
import { simulateCommand } from './commands/simulate.ts';
import { watchCommand } from './commands/watch.ts';
import { workerCommand } from './commands/worker.ts';
import { describeFailure, EXIT } from './exit.ts';
import type { CliContext, CliIO, CliStream } from './io.ts';

export const VERSION = '0.1.0';

/** Runs the command line `argv` (as process.argv: node, script, args...) and returns the exit code. */
export async function main(
  argv: string[],
  io: CliIO = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  // Every line on stderr may quote log text (file names, fields): control characters are shown
  // escaped, so a hostile log cannot drive the terminal (sinks/terminal-text.ts).
  const ctx: CliContext = {
    stdout: io.stdout,
    stderr: terminalSafeStream(io.stderr),
    rawStderr: io.stderr,
    exitCode: EXIT.ok,
  };
  const program = new Command('ratchain')
    .description('finds remote access tools by their behaviour chain (MITRE ATT&CK DET0496, T1219)')
    .version(VERSION)
    .addHelpText(
      'after',
      '\n`ratchain formats` lists the input formats; `ratchain COMMAND --help` the options.',
    );
  for (const make of [
    huntCommand,
    watchCommand,
    serveCommand,
    publishCommand,
    workerCommand,
    configCommand,
    explainCommand,
    dumpCommand,
    catalogCommand,
    rulesCommand,
    exportCommand,
    diffCommand,
    simulateCommand,
    formatsCommand,
  ])
    program.addCommand(make(ctx));
  configureTree(program, ctx);
  try {
    await program.parseAsync(argv);
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return commanderExit(e);
    const { code, line } = describeFailure(e);
    ctx.stderr.write(`${line}\n`);
    if (process.env.RATCHAIN_DEBUG && e instanceof Error && e.stack) ctx.stderr.write(`${e.stack}\n`);
    return code;
  }
}

function terminalSafeStream(s: CliStream): CliStream {
  return {
    write: (chunk, cb) => s.write(typeof chunk === 'string' ? terminalSafeLines(chunk) : chunk, cb),
    once: (event, listener) => s.once(event, listener),
    isTTY: s.isTTY,
  };
}

/**
 * Commander copies exitOverride and output settings only to commands made with `.command()`,
 * not to those added with `addCommand`, so every command of the tree is set up here: usage errors
 * are thrown (never process.exit) and printed as one line naming the command and its --help.
 */
function configureTree(cmd: Command, ctx: CliContext): void {
  cmd.exitOverride();
  cmd.configureOutput({
    writeOut: (s) => ctx.stdout.write(s),
    writeErr: (s) => ctx.stderr.write(s),
    outputError: (s, write) => write(`${usageLine(cmd, s)}\n`),
  });
  if (cmd.commands.length) {
    // A command group run without a subcommand says so in one line instead of printing its help.
    const help = cmd.help.bind(cmd);
    cmd.help = ((context?: { error: boolean }) => {
      if (!context?.error) return help(context);
      const names = cmd.commands.map((c) => c.name()).filter((n) => n !== 'help');
      return cmd.error(`give a command: ${names.join(', ')}`);
    }) as Command['help'];
  }
  for (const sub of cmd.commands) configureTree(sub, ctx);
}

function usageLine(cmd: Command, message: string): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  const text = message
    .trim()
    .replace(/^error:\s*/, '')
    .replace(/\s*\n\s*/g, ' ');
  return `${names.join(' ')}: ${text} (see \`${names.join(' ')} --help\`)`;
}

function commanderExit(e: CommanderError): number {
  // --help, --version, and help shown because it was asked for are success; the rest is usage.
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
  if (e.exitCode === 0) return EXIT.ok;
  return EXIT.usage;
}
