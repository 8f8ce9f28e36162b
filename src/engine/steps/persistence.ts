// S2: what counts as making a program start again, on each platform. Readers report facts
// (a registry value set, a file created, a command run); this module says which facts are
// persistence and what program they will start.
import type { PersistenceMechanism } from '../../model/event.ts';

export interface PersistenceFact {
  mechanism: PersistenceMechanism;
  name: string;
  /** The command that will run, when the fact names it. */
  command?: string;
  /** Where the entry lives (registry key, file path), when the fact names it. */
  location?: string;
  /** Weaker kinds (cron) score less. */
  weak?: boolean;
  /** Notes for modifiers: hidden plist, Apple-lookalike label. */
  notes?: string[];
}

const RUN_KEY =
  /\\(software\\(wow6432node\\)?microsoft\\windows\\currentversion\\(run|runonce|runservices|runservicesonce|policies\\explorer\\run))\\([^\\]+)$/i;
const SERVICE_IMAGE = /\\(controlset\d{3}|currentcontrolset)\\services\\([^\\]+)\\imagepath$/i;
const WINLOGON = /\\software\\microsoft\\windows nt\\currentversion\\winlogon\\(userinit|shell)$/i;
const STARTUP_DIR = /\\(start menu\\programs\\startup)\\([^\\]+)$/i;

export function registryPersistence(key: string, data: string | undefined): PersistenceFact | undefined {
  let m = SERVICE_IMAGE.exec(key);
  if (m) return { mechanism: 'service', name: m[2], command: data, location: key };
  m = RUN_KEY.exec(key);
  if (m) return { mechanism: 'run_key', name: m[4], command: data, location: key };
  m = WINLOGON.exec(key);
  if (m) return { mechanism: 'run_key', name: `Winlogon ${m[1]}`, command: data, location: key };
  return undefined;
}

const SYSTEMD_DIRS =
  /^(\/etc\/systemd\/system|\/lib\/systemd\/system|\/usr\/lib\/systemd\/system|\/run\/systemd\/system|\/etc\/systemd\/user|\/usr\/lib\/systemd\/user|\/home\/[^/]+\/\.config\/systemd\/user|\/root\/\.config\/systemd\/user)\/(.+\.(service|timer|socket))$/;
const CRON =
  /^(\/etc\/crontab|\/etc\/cron\.(d|hourly|daily|weekly|monthly)\/[^/]+|\/var\/spool\/cron\/(crontabs\/)?[^/]+)$/;
const LAUNCHD =
  /^(\/library\/launch(agents|daemons)|\/system\/library\/launch(agents|daemons)|\/users\/[^/]+\/library\/launchagents|~\/library\/launchagents)\/([^/]+\.plist)$/i;

export function filePersistence(path: string): PersistenceFact | undefined {
  const lower = path.toLowerCase();
  let m = STARTUP_DIR.exec(path);
  if (m) return { mechanism: 'startup_folder', name: m[2], location: path };
  m = SYSTEMD_DIRS.exec(path);
  // A unit file, or the link `systemctl enable` makes in a .wants/ folder.
  if (m && (!m[2].includes('/') || /^[^/]+\.wants\/[^/]+$/.test(m[2]))) {
    return { mechanism: 'systemd', name: m[2].slice(m[2].lastIndexOf('/') + 1), location: path };
  }
  m = CRON.exec(path);
  if (m) return { mechanism: 'cron', name: path, location: path, weak: true };
  m = LAUNCHD.exec(lower);
  if (m) {
    const file = path.slice(path.lastIndexOf('/') + 1);
    const label = file.replace(/\.plist$/i, '');
    const notes: string[] = [];
    if (label.startsWith('.')) notes.push('hidden plist (leading dot)');
    if (/^com\.apple\./i.test(label) && !lower.startsWith('/system/'))
      notes.push(`Apple-lookalike label ${label} outside /System`);
    return { mechanism: 'launchd', name: label, location: path, notes };
  }
  return undefined;
}

/** Persistence made by running a command (systemctl enable, launchctl load, schtasks, sc, reg add). */
export function commandPersistence(
  image: string,
  commandLine: string | undefined,
): PersistenceFact | undefined {
  if (!commandLine) return undefined;
  const c = commandLine;
  let m =
    /\bsystemctl\b(?:\s+--\S+)*\s+(enable|start|restart|reenable|link)\s+(?:--now\s+)?([\w@.\-/]+)/i.exec(c);
  if (m) return { mechanism: 'systemd', name: m[2].replace(/^.*\//, '') };
  m =
    /\blaunchctl\s+(load|bootstrap|enable|submit)\b.*?([\w.\-~/ ]+\.plist|gui\/\d+\/[\w.-]+|system\/[\w.-]+|-l\s+[\w.-]+)/i.exec(
      c,
    );
  if (m)
    return {
      mechanism: 'launchd',
      name: m[2]
        .trim()
        .replace(/^.*\//, '')
        .replace(/\.plist$/i, '')
        .replace(/^-l\s+/, ''),
    };
  m = /\bschtasks(?:\.exe)?["']?\s+.*\/create\b/i.exec(c);
  if (m) {
    const tn = /\/tn\s+("([^"]+)"|(\S+))/i.exec(c);
    const tr = /\/tr\s+("((?:[^"\\]|\\.)*)"|'([^']+)'|(\S+))/i.exec(c);
    return {
      mechanism: 'scheduled_task',
      name: tn?.[2] ?? tn?.[3] ?? '?',
      command: tr?.[2] ?? tr?.[3] ?? tr?.[4],
    };
  }
  m = /\bsc(?:\.exe)?["']?\s+(?:\\\\\S+\s+)?create\s+("([^"]+)"|(\S+))/i.exec(c);
  if (m) {
    const bp = /binpath=\s*("((?:[^"\\]|\\.)*)"|(\S+))/i.exec(c);
    return { mechanism: 'service', name: m[2] ?? m[3], command: bp?.[2] ?? bp?.[3] };
  }
  m = /\breg(?:\.exe)?["']?\s+add\s+("([^"]+)"|(\S+))/i.exec(c);
  if (m) {
    const key = (m[2] ?? m[3]).replace(/^hkcu/i, 'HKCU').replace(/^hklm/i, 'HKLM');
    const v = /\/v\s+("([^"]+)"|(\S+))/i.exec(c);
    const d = /\/d\s+("((?:[^"\\]|\\.)*)"|(\S+))/i.exec(c);
    const fact = registryPersistence(`${key}\\${v?.[2] ?? v?.[3] ?? ''}`, d?.[2] ?? d?.[3]);
    if (fact) return fact;
  }
  m = /\bcrontab\b(?!\s+-l)/.exec(c);
  if (m && /(^|\/)crontab$/.test(image)) return { mechanism: 'cron', name: 'crontab', weak: true };
  return undefined;
}
