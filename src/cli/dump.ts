// `ratchain dump FILE.evtx`: prints every record of an EVTX file as one JSON object per line
// (the WinRecord plus where it lies), and problems on stderr. For looking inside evidence and
// for comparing the reader with other tools.
import { createReadStream } from 'node:fs';
import { CHUNK_SIZE, FILE_HEADER_SIZE } from '../ingest/windows/evtx/header.ts';
import { EvtxStream } from '../ingest/windows/evtx/stream.ts';
import { EXIT } from './exit.ts';
import type { CliIO, CliStream } from './io.ts';

/** Streams `path` through the EVTX reader, writing JSON lines to `out`. Returns counts. */
export async function dumpEvtx(
  path: string,
  out: CliStream,
  err: CliStream,
): Promise<{ records: number; problems: number }> {
  let problems = 0;
  let lines: string[] = [];
  const stream = new EvtxStream({
    record(rec, offset) {
      // Position first (file, chunk, byte offset), then the record; time as ISO 8601 (UTC).
      const chunk = Math.floor((offset - FILE_HEADER_SIZE) / CHUNK_SIZE);
      const time =
        Number.isFinite(rec.time) && Math.abs(rec.time) <= 8.64e15 ? new Date(rec.time).toISOString() : null;
      lines.push(JSON.stringify({ file: path, chunk, offset, ...rec, time }));
    },
    problem(message, pos) {
      problems++;
      err.write(`${path}: ${message}${pos.offset !== undefined ? ` (offset ${pos.offset})` : ''}\n`);
    },
  });
  const flush = async () => {
    if (!lines.length) return;
    const text = `${lines.join('\n')}\n`;
    lines = [];
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  for await (const piece of createReadStream(path, { highWaterMark: 1 << 18 })) {
    stream.write(piece as Buffer);
    await flush();
  }
  stream.end();
  await flush();
  return { records: stream.records, problems };
}

export async function runDumpCommand(file: string, io: CliIO): Promise<number> {
  try {
    const r = await dumpEvtx(file, io.stdout, io.stderr);
    io.stderr.write(`${file}: ${r.records} records, ${r.problems} problems\n`);
    return EXIT.ok;
  } catch (e) {
    io.stderr.write(`${file}: cannot read: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
}
