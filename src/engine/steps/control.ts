// S4: a child the agent spawned that gives someone interactive control (a shell, an
// interpreter, a recon command), and whether its command line is suspicious.
import { anyMatches, type Pattern } from '../../config/pattern.ts';
import type { SourceRef } from '../../model/event.ts';
import { fileName } from '../../model/paths.ts';
import { addStep } from '../chain.ts';
import type { EngineContext } from '../context.ts';
import { evidence, processFact, short } from '../evidence.ts';
import type { Agent, Proc } from '../state.ts';

export interface ControlRules {
  /** Children that count as interactive control (the packs' control.children, or ShellSpawnRegex.shells). */
  shells: Pattern;
  acceptable: Array<{ parent: Pattern; child: Pattern }>;
  suspicious: Pattern[];
}

/**
 * How deep below a newly known agent its earlier children are credited: agent → shell →
 * interpreter → tool covers an operator's session; deeper trees are the shell's own work.
 */
const MAX_CREDIT_DEPTH = 3;
/** A suspicious command line quoted in a reason: enough to recognise it. */
const REASON_COMMAND_CHARS = 120;

const self = (p: Pattern) => p;

export function isControlChild(rules: ControlRules, parentImage: string, childImage: string): boolean {
  const child = childImage.toLowerCase();
  if (!rules.shells.test(child)) return false;
  const parent = parentImage.toLowerCase();
  for (const a of rules.acceptable) if (a.parent.test(parent) && a.child.test(child)) return false;
  return true;
}

/** The first suspicious pattern the command line matches, or undefined. */
export function suspiciousCommand(rules: ControlRules, commandLine: string | undefined): Pattern | undefined {
  if (!commandLine || !anyMatches(rules.suspicious, self, commandLine)) return undefined;
  for (const r of rules.suspicious) if (r.test(commandLine)) return r;
  return undefined;
}

/** Records S4: `parent` (in agent `a`'s tree) spawned `child`, a control child. */
export function recordControl(
  ctx: EngineContext,
  a: Agent,
  parent: Proc,
  child: Proc,
  ev: { time: number; src: SourceRef },
  link?: string,
): void {
  const sus = suspiciousCommand(ctx.rules.control, child.commandLine);
  if (sus && !a.flags.has('suspicious_child')) {
    a.flags.set(
      'suspicious_child',
      `suspicious child command line: ${short(child.commandLine, REASON_COMMAND_CHARS)}`,
    );
  }
  const cmd = child.commandLine ? `: ${short(child.commandLine)}` : '';
  addStep(
    ctx,
    a,
    'control',
    evidence(
      ev.time,
      `${fileName(parent.image)} spawned ${fileName(child.image)}${cmd}${sus ? ' [suspicious]' : ''}`,
      ev.src,
      { process: processFact(child) },
    ),
    link ?? (parent.agentImage ? 'child of the agent process' : 'spawned inside the agent process tree'),
  );
}

/** Shells the process spawned before anyone knew it was an agent count now. */
export function creditChildren(ctx: EngineContext, a: Agent, p: Proc, depth = 0): void {
  if (depth > MAX_CREDIT_DEPTH) return;
  for (const c of p.children) {
    if (
      !c.forked &&
      c.startSrc &&
      c.start !== undefined &&
      isControlChild(ctx.rules.control, p.image, c.image)
    ) {
      recordControl(ctx, a, p, c, { time: c.start, src: c.startSrc });
    }
    creditChildren(ctx, a, c, depth + 1);
  }
}
