// S4: a child the agent spawned that gives someone interactive control (a shell, an
// interpreter, a recon command), and whether its command line is suspicious.
import type { Config } from '../../config/schema.ts';

export interface ControlRules {
  shells: RegExp;
  acceptable: Array<{ parent: RegExp; child: RegExp }>;
  suspicious: RegExp[];
}

export function controlRules(
  c: Config,
  defaults: { shells: RegExp; acceptable: Array<{ parent: RegExp; child: RegExp }>; suspicious: RegExp[] },
): ControlRules {
  return {
    shells: c.ShellSpawnRegex.shells ?? defaults.shells,
    acceptable: [...defaults.acceptable, ...c.ShellSpawnRegex.acceptable],
    suspicious: c.SuspiciousChildProcesses ?? defaults.suspicious,
  };
}

export function isControlChild(rules: ControlRules, parentImage: string, childImage: string): boolean {
  const child = childImage.toLowerCase();
  if (!rules.shells.test(child)) return false;
  const parent = parentImage.toLowerCase();
  for (const a of rules.acceptable) if (a.parent.test(parent) && a.child.test(child)) return false;
  return true;
}

/** The first suspicious pattern the command line matches, or undefined. */
export function suspiciousCommand(rules: ControlRules, commandLine: string | undefined): RegExp | undefined {
  if (!commandLine) return undefined;
  for (const r of rules.suspicious) if (r.test(commandLine)) return r;
  return undefined;
}
