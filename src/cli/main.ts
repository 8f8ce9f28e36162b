// The ratchain command line: parsing and wiring only.
import { Command } from 'commander';
import { catalogCommand } from './catalog.ts';
import { configCommand } from './config.ts';
import { dumpCommand } from './dump.ts';
import { EXIT } from './exit.ts';
import { explainCommand } from './explain.ts';
import { huntCommand } from './hunt.ts';
import { publishCommand } from './publish.ts';
import { serveCommand } from './serve.ts';
import { simulateCommand } from './simulate.ts';
import { watchCommand } from './watch.ts';
import { workerCommand } from './worker.ts';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('ratchain')
    .description('finds remote access tools by their behaviour chain (MITRE ATT&CK DET0496, T1219)')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(huntCommand());
  program.addCommand(watchCommand());
  program.addCommand(serveCommand());
  program.addCommand(publishCommand());
  program.addCommand(workerCommand());
  program.addCommand(configCommand());
  program.addCommand(explainCommand());
  program.addCommand(dumpCommand());
  program.addCommand(catalogCommand());
  program.addCommand(simulateCommand());
  try {
    await program.parseAsync(argv);
  } catch (e) {
    const code = (e as { exitCode?: number; code?: string }).exitCode;
    if (
      (e as { code?: string }).code === 'commander.helpDisplayed' ||
      (e as { code?: string }).code === 'commander.version'
    )
      return EXIT.ok;
    return code === 0 ? EXIT.ok : EXIT.usage;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
}
