// Image paths as identities: one spelling for the many ways sensors and registries write the
// same binary ("\??\C:\x.exe", "\device\harddiskvolume2\x.exe", "%SystemRoot%\x.exe",
// "\"C:\Program Files\x.exe\" -arg"). Keys drop the drive/volume and case, so a 5156 record and
// a Sysmon record of one binary meet. Path spelling is format knowledge shared by every stage, so it
// lives with the model, not in the engine.

const WIN_VARS: Record<string, string> = {
  '%systemroot%': 'c:\\windows',
  '%windir%': 'c:\\windows',
  '%comspec%': 'c:\\windows\\system32\\cmd.exe',
  '%programfiles%': 'c:\\program files',
  '%programfiles(x86)%': 'c:\\program files (x86)',
  '%programdata%': 'c:\\programdata',
  '%systemdrive%': 'c:',
  '%allusersprofile%': 'c:\\programdata',
  '%public%': 'c:\\users\\public',
};

/** Keys memoised like file names (below): a host's images come back all the time. */
const keys = new Map<string, string>();

/**
 * Lower-case, volume-free key of an image path: "\windows\system32\cmd.exe", "/usr/bin/x".
 * Memoised, so the processes of one image share one key string instead of each keeping its own.
 */
export function pathKey(path: string): string {
  const hit = keys.get(path);
  if (hit !== undefined) return hit;
  const key = computePathKey(path);
  if (keys.size > MAX_NAMES) keys.clear();
  keys.set(path, key);
  return key;
}

function computePathKey(path: string): string {
  let p = path.trim();
  if (p.startsWith('"')) p = p.slice(1, p.indexOf('"', 1) > 0 ? p.indexOf('"', 1) : undefined);
  p = p.toLowerCase();
  if (p.includes('%')) p = expandVars(p);
  if (p.startsWith('\\??\\')) p = p.slice(4);
  else if (p.startsWith('\\\\?\\')) p = p.slice(4);
  if (p.startsWith('\\systemroot\\')) p = `\\windows\\${p.slice(12)}`;
  const dev = /^\\device\\harddiskvolume\d+/.exec(p);
  if (dev) return p.slice(dev[0].length);
  if (p.length >= 2 && p[1] === ':' && p.charCodeAt(0) >= 97 && p.charCodeAt(0) <= 122) return p.slice(2);
  // Bare Windows file names (7045 ImagePath "cmd.exe") stay bare.
  return p;
}

function expandVars(p: string): string {
  return p.replace(/%%?[a-z0-9_()]+%%?/g, (v) => WIN_VARS[v.replace(/%%/g, '%')] ?? v);
}

/** File names memoised: a host's working set of images, cleared when full. */
const MAX_NAMES = 4096;
const names = new Map<string, string>();

/** File name of a path, lower-case (memoised: the same images come back all the time). */
export function fileName(path: string): string {
  const hit = names.get(path);
  if (hit !== undefined) return hit;
  const i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  const name = (i >= 0 ? path.slice(i + 1) : path).toLowerCase().replace(/"$/, '');
  if (names.size > MAX_NAMES) names.clear();
  names.set(path, name);
  return name;
}

export function isWindowsPath(p: string): boolean {
  return p.includes('\\') || /^[a-z]:/i.test(p);
}

/**
 * The program a registered command runs: the first token of a command line, quotes honoured,
 * and for unquoted Windows paths with spaces, the longest prefix ending in .exe/.com/.bat/...
 */
export function commandImage(command: string): string {
  const c = command.trim();
  if (c.startsWith('"')) {
    const end = c.indexOf('"', 1);
    return end > 0 ? c.slice(1, end) : c.slice(1);
  }
  // "%COMSPEC% /c ..." and "%SystemRoot%\x.exe -k": the variable-led first token is the program.
  if (c.startsWith('%')) {
    const sp = c.search(/\s/);
    return sp < 0 ? c : c.slice(0, sp);
  }
  const exe = /^(.*?\.(exe|com|bat|cmd|ps1|vbs|js|dll|scr))(\s|$|,)/i.exec(c);
  if (exe) return exe[1];
  const sp = c.search(/\s/);
  return sp < 0 ? c : c.slice(0, sp);
}

/** Arguments after the program in a command line (quotes of the program removed). */
export function commandArgs(command: string): string {
  const c = command.trim();
  const img = commandImage(c);
  const at = c.indexOf(img);
  const rest = at >= 0 ? c.slice(at + img.length) : '';
  return rest.replace(/^"/, '').trim();
}
