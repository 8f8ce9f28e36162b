// The options that say how inputs are read and judged, defined once so they mean the same on
// hunt, watch, serve and publish: the config, the format, the host for records that name none,
// the internal networks and extra catalogue files. (publish only reads: it takes the first three.)
import type { Command } from 'commander';

export interface InputFlags {
  config?: string;
  format?: string;
  host?: string;
  internal?: string[];
  catalog?: string[];
}

export type InputOption = keyof InputFlags;

const DEFINITIONS: Record<InputOption, [flags: string, description: string]> = {
  config: ['-c, --config <file>', 'YAML config (see `ratchain config init`)'],
  format: ['-f, --format <id>', 'force the input format instead of detecting it (`ratchain formats`)'],
  host: [
    '--host <name>',
    'host for records that name none (eslogger, auditd without node=); else the file name or sibling inputs',
  ],
  internal: [
    '--internal <cidr...>',
    'internal networks (replaces the config/default list; "!cidr" carves out)',
  ],
  catalog: ['--catalog <file...>', 'extra catalogue files (ratchain format or LOLRMM rmm_tools.json)'],
};

/** The engine's inputs too: what hunt, watch and serve take. */
export const ALL_INPUT_OPTIONS: InputOption[] = ['config', 'format', 'host', 'internal', 'catalog'];

export function addInputOptions(cmd: Command, which: readonly InputOption[] = ALL_INPUT_OPTIONS): Command {
  for (const k of which) cmd.option(...DEFINITIONS[k]);
  return cmd;
}
