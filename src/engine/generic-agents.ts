// Generic interpreters as agents (PowerShell, cmd, wscript, rundll32, python, bash...). They can
// be the RAT (an Empire or Meterpreter stager), but on an admin's host they do everything a RAT
// does, one instance at a time: download modules, register tasks, spawn whoami. So an instance
// agent of a generic program is an agent only with proof (G1 in docs/severity.md): the instance
// that beacons out (repeated or long external connections of its own) is one a persistence entry
// starts or re-runs, or runs below one. When that entry is itself a launcher (a shell told to run
// a hidden, encoded or download command line), one connection never seen to close is beacon
// enough. Without the proof the chain is a signal, never an alert.
import { fileName } from '../model/paths.ts';
import type { ProgramRoles } from '../rules/compile.ts';
import type { Agent, EgressDest, Proc } from './state.ts';

/** A beacon from a child of the instance the entry starts (cmd /c start powershell ...) still counts. */
const MAX_ENTRY_DEPTH = 4;

export interface InterpreterVerdict {
  proven: boolean;
  text: string;
}

/** The entry that starts or re-runs `p`, or one of its parents. */
function pointedAtOrBelow(a: Agent, p: Proc): { why: string; launcher: boolean } | undefined {
  let q: Proc | undefined = p;
  for (let i = 0; q && i <= MAX_ENTRY_DEPTH; i++, q = q.parent) {
    const entry = a.pointedAt.get(q.id);
    if (entry) return entry;
  }
  return undefined;
}

/** Undefined unless the agent is an instance of a generic program; then whether G1 holds, and why. */
export function interpreterVerdict(
  a: Agent,
  egress: EgressDest[],
  roles: ProgramRoles,
): InterpreterVerdict | undefined {
  const image = [...a.images][0];
  if (!a.instance || !image || !roles.isGeneric(image)) return undefined;
  const name = fileName(image);
  const beacons = egress.filter((d) => d.qualified && d.proc);
  for (const d of beacons) {
    const entry = pointedAtOrBelow(a, d.proc!);
    if (!entry || (d.qualified!.weak && !entry.launcher)) continue;
    const how = d.qualified!.weak ? 'holds a session to' : 'beacons to';
    return {
      proven: true,
      text: `generic interpreter ${name} is the agent: ${fileName(d.proc!.image)} ${how} ${d.name ?? d.ip}:${d.port ?? '?'} and ${entry.why} (docs/severity.md, G1)`,
    };
  }
  const missing = beacons.some((d) => !d.qualified!.weak)
    ? 'no persistence entry starts or re-runs the instance that beacons'
    : 'no beacon of its own (repeated or long external connections)';
  return {
    proven: false,
    text: `${name} is a generic program (a shell, interpreter or shared host): an agent only when the instance that beacons out is one a persistence entry starts or re-runs (docs/severity.md, G1); here ${missing}`,
  };
}
