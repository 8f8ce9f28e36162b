// The outputs ratchain writes, as the command line names them: kept apart from the sinks
// themselves (registry.ts) so a command's options load without loading every renderer.
import { RunError } from '../model/run-error.ts';
export type SinkId = 'ndjson' | 'ocsf' | 'ecs' | 'timeline' | 'navigator' | 'html' | 'terminal';

export interface SinkFlag {
  /** The option that asks for it ("" when no option does: the terminal report is stdout). */
  flag: string;
  /** The parsed option's name (commander camel-cases --output to output). */
  option: string;
  describe: string;
  /** Written record by record, so the live modes write it as the run goes. */
  stream: boolean;
}

export const SINK_FLAGS: Record<SinkId, SinkFlag> = {
  ndjson: {
    flag: '-o, --output <file>',
    option: 'output',
    describe: "findings as NDJSON in ratchain's schema",
    stream: true,
  },
  ocsf: {
    flag: '--ocsf <file>',
    option: 'ocsf',
    describe: 'findings as OCSF 1.8.0 Detection Findings (NDJSON)',
    stream: true,
  },
  ecs: {
    flag: '--ecs <file>',
    option: 'ecs',
    describe: 'findings as ECS 8.11 alert documents (NDJSON)',
    stream: true,
  },
  timeline: {
    flag: '--timeline <file>',
    option: 'timeline',
    describe: 'a Timesketch-ready timeline, one row per record behind each step (FILE.csv or FILE.jsonl)',
    stream: true,
  },
  navigator: {
    flag: '--navigator <file>',
    option: 'navigator',
    describe: 'an ATT&CK Navigator layer of the techniques seen (JSON, layer format 4.5)',
    stream: false,
  },
  html: { flag: '--html <file>', option: 'html', describe: 'a self-contained HTML report', stream: false },
  terminal: { flag: '', option: '', describe: 'the report people read', stream: false },
};

export interface SinkRequest {
  sink: SinkId;
  /** A file, or "-" for stdout. */
  path: string;
}

/** The requests a command's parsed options make. */
export function sinkRequests(options: object, ids: readonly SinkId[]): SinkRequest[] {
  const o = options as Record<string, unknown>;
  return ids.flatMap((sink) => {
    const path = o[SINK_FLAGS[sink].option];
    return typeof path === 'string' && path ? [{ sink, path }] : [];
  });
}

/** Refuses, before any work, a request no sink can satisfy (a timeline that is neither CSV nor JSONL). */
export function checkRequests(requests: readonly SinkRequest[]): void {
  for (const r of requests)
    if (r.sink === 'timeline' && r.path !== '-' && !/\.(csv|jsonl|ndjson|json)$/i.test(r.path))
      throw new RunError('usage', '--timeline wants a file ending in .csv or .jsonl', { file: r.path });
}
