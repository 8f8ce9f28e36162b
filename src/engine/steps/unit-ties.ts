// A systemd unit belongs to the agent it launches, whatever either is called. A unit file names
// no program the sensors see (its ExecStart is inside the file), so the tie comes from what
// happens around it:
//   - the manager starts the unit and, seconds later, starts a program (PID 1 or the user's
//     `systemd --user` as its parent): that program is the unit's;
//   - journald says which unit a process runs in (`_SYSTEMD_UNIT`);
//   - the unit file was written (tee, cat, cp, install, usually under sudo) in the same login
//     session that put the agent's binary in place.
// Pure decisions here; the persistence step keeps the facts and applies them.
import { posix } from 'node:path';

/** The manager starts a unit's program within this of logging "Starting"/"Started" (or SERVICE_START). */
export const UNIT_START_TIE_MS = 5_000;

export interface UnitStart {
  unit: string;
  time: number;
}

/** A process whose parent is the service manager: PID 1, or a user's `systemd --user`. */
export function startedByManager(parent: { pid?: number; image?: string } | undefined): boolean {
  if (!parent) return false;
  return parent.pid === 1 || /(^|\/)systemd$/.test(parent.image ?? '');
}

/**
 * The one service unit the manager started around `time`, when exactly one was: at boot many
 * start at once and none can be told apart, so none is named.
 */
export function unitStartedAt(time: number, starts: UnitStart[]): string | undefined {
  let found: string | undefined;
  for (const s of starts) {
    if (!s.unit.endsWith('.service') || Math.abs(s.time - time) > UNIT_START_TIE_MS) continue;
    if (found !== undefined && found !== s.unit) return undefined;
    found = s.unit;
  }
  return found;
}

const ARG = /"([^"]*)"|'([^']*)'|(\S+)/g;

function argv(commandLine: string): string[] {
  const out: string[] = [];
  for (const m of commandLine.slice(0, 4096).matchAll(ARG)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

const isAbs = (p: string | undefined): p is string =>
  p !== undefined && p.startsWith('/') && !p.endsWith('/');

/** The value after an option (`-o FILE`, `--output FILE`, `--output=FILE`, `-oFILE`). */
function optionValue(args: string[], short: string, long: string): string | undefined {
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a === short || a === long) return args[i + 1];
    if (a.startsWith(`${long}=`)) return a.slice(long.length + 1);
    if (a.startsWith(short) && a.length > short.length && !a.startsWith('--')) return a.slice(short.length);
    // combined short flags ending in the option: curl -fsSLo FILE
    if (/^-[a-zA-Z]+$/.test(a) && a.endsWith(short.slice(1)) && !a.startsWith('--')) return args[i + 1];
  }
  return undefined;
}

/**
 * Paths a command puts a program at: install/cp/mv's destination, curl -o / wget -O's file,
 * chmod +x's file. Only absolute paths (a relative one names nothing without its directory).
 */
export function installedPaths(image: string, commandLine: string | undefined): string[] {
  if (!commandLine) return [];
  const tool = posix.basename(image);
  const args = argv(commandLine);
  const operands = args.slice(1).filter((a) => !a.startsWith('-'));
  switch (tool) {
    case 'install':
    case 'cp':
    case 'mv': {
      // install -m 0755 and -o/-g take a value: drop those before reading the destination
      const plain: string[] = [];
      for (let i = 1; i < args.length; i++) {
        if (/^-(m|o|g|t|S)$/.test(args[i])) i++;
        else if (!args[i].startsWith('-')) plain.push(args[i]);
      }
      const dest = plain[plain.length - 1];
      return plain.length >= 2 && isAbs(dest) ? [posix.normalize(dest)] : [];
    }
    case 'curl': {
      const o = optionValue(args, '-o', '--output');
      return isAbs(o) ? [posix.normalize(o)] : [];
    }
    case 'wget': {
      const o = optionValue(args, '-O', '--output-document');
      return isAbs(o) ? [posix.normalize(o)] : [];
    }
    case 'chmod':
      return /^(\+x|[ugoa]*\+[rw]*x|[0-7]?[1357][0-7]{2})$/.test(operands[0] ?? '')
        ? operands
            .slice(1)
            .filter(isAbs)
            .map((p) => posix.normalize(p))
        : [];
    default:
      return [];
  }
}
