// `ratchain formats`: the input format ids `--format` takes, and the check every command with a
// --format option makes before it reads anything.
import { FORMATS, formatById } from '../ingest/formats.ts';
import { EXIT } from './exit.ts';
import type { CliIO } from './io.ts';

export function runFormatsCommand(io: CliIO): number {
  const width = Math.max(...FORMATS.map((f) => f.id.length));
  for (const f of FORMATS) io.stdout.write(`${f.id.padEnd(width)}  ${f.description}\n`);
  return EXIT.ok;
}

/** True when `id` is absent or a known format; otherwise says so on stderr. */
export function knownFormat(id: string | undefined, io: CliIO): boolean {
  if (id === undefined || formatById(id)) return true;
  io.stderr.write(`ratchain: --format "${id}" is not a format id; \`ratchain formats\` lists them\n`);
  return false;
}
