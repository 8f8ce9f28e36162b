// The output options every command that writes findings takes, from the one list of sinks.
import type { Command } from 'commander';
import { SINK_FLAGS, type SinkId } from '../../sinks/sink-flags.ts';

/** The options LIVE_SINKS add to a live command. */
export interface LiveOutputFlags {
  output?: string;
  ocsf?: string;
  ecs?: string;
  timeline?: string;
}

/** What the live modes write as they go: the stream outputs. */
export const LIVE_SINKS: SinkId[] = ['ndjson', 'ocsf', 'ecs', 'timeline'];

/** `verb`: "write" (hunt, files written afresh) or "append" (live modes, files appended to). */
export function addSinkOptions(cmd: Command, ids: readonly SinkId[], verb: 'write' | 'append'): Command {
  for (const id of ids) {
    const s = SINK_FLAGS[id];
    if (!s.flag) continue;
    const when = verb === 'append' && !s.stream ? ' (written when it stops)' : '';
    cmd.option(s.flag, `${verb} ${s.describe}${when}`);
  }
  return cmd;
}
