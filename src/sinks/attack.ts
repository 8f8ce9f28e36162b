// The ATT&CK techniques a finding shows, each tied to the record that shows it: T1219 for the
// chain itself, the persistence sub-technique of each entry (service, run key, task, unit, plist,
// cron), and the command and scripting interpreter of each shell the agent spawned. Used by the
// Navigator layer, OCSF finding_info.attacks and ECS threat.*.
import type { PersistenceMechanism } from '../model/event.ts';
import type { Evidence, Finding, StepId } from '../model/finding.ts';
import { baseName } from './finding-parts.ts';

export interface Technique {
  /** "T1543.003"; the parent is the part before the dot. */
  id: string;
  name: string;
  /** The parent technique's name, for sub-techniques. */
  parentName?: string;
  /** ATT&CK tactic short name (Navigator "tactic") and id. */
  tactic: string;
  tacticId: string;
}

const T = (id: string, name: string, tactic: string, tacticId: string, parentName?: string): Technique => ({
  id,
  name,
  tactic,
  tacticId,
  ...(parentName ? { parentName } : {}),
});

/** Tactic names by id, as ATT&CK writes them. */
export const TACTIC_NAME: Record<string, string> = {
  TA0002: 'Execution',
  TA0003: 'Persistence',
  TA0011: 'Command and Control',
};

export const REMOTE_ACCESS_TOOLS = T('T1219', 'Remote Access Tools', 'command-and-control', 'TA0011');

const CREATE_OR_MODIFY = 'Create or Modify System Process';
const AUTOSTART = 'Boot or Logon Autostart Execution';
const SCHEDULED = 'Scheduled Task/Job';
const INTERPRETER = 'Command and Scripting Interpreter';

const PERSISTENCE: Record<Exclude<PersistenceMechanism, 'launchd'>, Technique> = {
  service: T('T1543.003', 'Windows Service', 'persistence', 'TA0003', CREATE_OR_MODIFY),
  run_key: T('T1547.001', 'Registry Run Keys / Startup Folder', 'persistence', 'TA0003', AUTOSTART),
  startup_folder: T('T1547.001', 'Registry Run Keys / Startup Folder', 'persistence', 'TA0003', AUTOSTART),
  scheduled_task: T('T1053.005', 'Scheduled Task', 'persistence', 'TA0003', SCHEDULED),
  systemd: T('T1543.002', 'Systemd Service', 'persistence', 'TA0003', CREATE_OR_MODIFY),
  cron: T('T1053.003', 'Cron', 'persistence', 'TA0003', SCHEDULED),
};
const LAUNCH_AGENT = T('T1543.001', 'Launch Agent', 'persistence', 'TA0003', CREATE_OR_MODIFY);
const LAUNCH_DAEMON = T('T1543.004', 'Launch Daemon', 'persistence', 'TA0003', CREATE_OR_MODIFY);

/** Interpreters by executable name (lower case, without .exe). */
const SHELLS: Array<[RegExp, Technique]> = [
  [/^(powershell|pwsh|powershell_ise)$/, T('T1059.001', 'PowerShell', 'execution', 'TA0002', INTERPRETER)],
  [/^osascript$/, T('T1059.002', 'AppleScript', 'execution', 'TA0002', INTERPRETER)],
  [/^cmd$/, T('T1059.003', 'Windows Command Shell', 'execution', 'TA0002', INTERPRETER)],
  [
    /^(sh|bash|zsh|dash|ksh|csh|tcsh|fish|ash|busybox)$/,
    T('T1059.004', 'Unix Shell', 'execution', 'TA0002', INTERPRETER),
  ],
  [/^(wscript|cscript)$/, T('T1059.005', 'Visual Basic', 'execution', 'TA0002', INTERPRETER)],
  [/^(python|python[23](\.\d+)?)$/, T('T1059.006', 'Python', 'execution', 'TA0002', INTERPRETER)],
  [/^(node|nodejs|jsc)$/, T('T1059.007', 'JavaScript', 'execution', 'TA0002', INTERPRETER)],
];

export interface TechniqueSeen {
  technique: Technique;
  step: StepId;
  evidence?: Evidence;
}

function persistenceTechnique(e: Evidence): Technique | undefined {
  const m = e.entry?.mechanism;
  if (!m) return undefined;
  if (m !== 'launchd') return PERSISTENCE[m];
  const where = `${e.entry?.location ?? ''} ${e.file?.path ?? ''}`;
  return /launchdaemons/i.test(where) ? LAUNCH_DAEMON : LAUNCH_AGENT;
}

function shellTechnique(e: Evidence): Technique | undefined {
  const image = e.process?.image;
  if (!image) return undefined;
  const name = baseName(image)
    .toLowerCase()
    .replace(/\.exe$/, '');
  return SHELLS.find(([re]) => re.test(name))?.[1];
}

/** The technique one record shows at its step (persistence entry, spawned interpreter), if any. */
export function recordTechnique(step: StepId, e: Evidence): Technique | undefined {
  if (step === 'persistence') return persistenceTechnique(e);
  if (step === 'control') return shellTechnique(e);
  return undefined;
}

/** Each technique once per finding, with the first record that shows it. */
export function techniquesOf(f: Finding): TechniqueSeen[] {
  const out = new Map<string, TechniqueSeen>();
  out.set(REMOTE_ACCESS_TOOLS.id, { technique: REMOTE_ACCESS_TOOLS, step: 'execution' });
  for (const s of f.steps) {
    if (!s.seen) continue;
    for (const e of s.evidence) {
      const t = recordTechnique(s.step, e);
      if (t && !out.has(t.id)) out.set(t.id, { technique: t, step: s.step, evidence: e });
    }
  }
  return [...out.values()];
}
