// What kind of program an image is, for identity and for the control step. A generic program
// (a shell or a shared host like svchost) is never an agent identity by path: every cmd.exe on
// a host is not one agent. Such an agent is one process instance instead.
import { fileName } from './paths.ts';

const SHELLS = new Set([
  'cmd.exe',
  'powershell.exe',
  'pwsh.exe',
  'powershell_ise.exe',
  'wscript.exe',
  'cscript.exe',
  'bash',
  'sh',
  'dash',
  'zsh',
  'ksh',
  'fish',
  'tcsh',
  'csh',
  'ash',
  'busybox',
  'osascript',
  'bash.exe',
  'sh.exe',
  'wsl.exe',
  'pwsh',
]);

const HOSTS = new Set([
  'svchost.exe',
  'rundll32.exe',
  'regsvr32.exe',
  'dllhost.exe',
  'mshta.exe',
  'msiexec.exe',
  'wmiprvse.exe',
  'taskhostw.exe',
  'conhost.exe',
  'java',
  'java.exe',
  'javaw.exe',
  'node',
  'node.exe',
  'python',
  'python3',
  'python.exe',
  'pythonw.exe',
  'perl',
  'ruby',
  'php',
  'php-cgi',
  'electron',
  'sudo',
  'su',
  'env',
  'nohup',
  'setsid',
  'timeout',
  'xargs',
  'launchd',
  'systemd',
  'init',
  'services.exe',
  'explorer.exe',
  'userinit.exe',
  'winlogon.exe',
  'lsass.exe',
  'smss.exe',
  'csrss.exe',
  'wininit.exe',
  'sihost.exe',
  'runtimebroker.exe',
  'searchindexer.exe',
  'searchprotocolhost.exe',
  'wsmprovhost.exe',
  'cron',
  'crond',
  'sshd',
  'login',
  'gnome-shell',
  'kernel_task',
]);

/** Tools that only carry out a persistence change for whoever ran them. */
const TOOLS = new Set([
  'sc.exe',
  'reg.exe',
  'schtasks.exe',
  'at.exe',
  'systemctl',
  'launchctl',
  'cp',
  'mv',
  'install',
  'tee',
  'crontab',
  'sudo',
  'ln',
  'chmod',
  'touch',
  'cat',
  'echo',
  'plutil',
  'defaults',
]);

/** The system itself: when it writes a persistence entry, it does so on someone else's behalf. */
const SYSTEM_WRITERS = new Set([
  'services.exe',
  'svchost.exe',
  'trustedinstaller.exe',
  'tiworker.exe',
  'wmiprvse.exe',
  'launchd',
  'systemd',
  'init',
  'backgroundtaskmanagementagent',
  'smd',
]);

export function isShell(image: string): boolean {
  return SHELLS.has(fileName(image));
}

/** Shells and shared hosts: identities are per process, never per path. */
export function isGeneric(image: string): boolean {
  const n = fileName(image);
  return SHELLS.has(n) || HOSTS.has(n) || /^python[0-9.]*(\.exe)?$/.test(n);
}

/** Shells never become agents just because they spawn a child: that is their job. */
export function spawnsShellsByDesign(image: string): boolean {
  const n = fileName(image);
  return (
    SHELLS.has(n) ||
    n === 'explorer.exe' ||
    n === 'services.exe' ||
    n === 'userinit.exe' ||
    n === 'sshd' ||
    n === 'login' ||
    n === 'launchd' ||
    n === 'systemd' ||
    n === 'init' ||
    n === 'cron' ||
    n === 'crond' ||
    n === 'sudo' ||
    n === 'su' ||
    n === 'winlogon.exe' ||
    n === 'wininit.exe' ||
    n === 'smss.exe' ||
    INSTALLERS.has(n)
  );
}

/** Programs that write executables on a user's behalf (downloads, attachments): never the agent's writer. */
const DOWNLOADERS = new Set([
  'chrome.exe',
  'msedge.exe',
  'firefox.exe',
  'iexplore.exe',
  'brave.exe',
  'opera.exe',
  'explorer.exe',
  'outlook.exe',
  'teams.exe',
  'ms-teams.exe',
  'slack.exe',
  'onedrive.exe',
  'dropbox.exe',
  'bitsadmin.exe',
  'svchost.exe',
  'chrome',
  'firefox',
  'firefox-bin',
  'safari',
  'google chrome',
  'microsoft edge',
  'brave browser',
  'finder',
  'mail',
  'nautilus',
  'wget',
  'curl',
  'curl.exe',
]);

export function isDownloader(image: string): boolean {
  return DOWNLOADERS.has(fileName(image));
}

/** Installers run package scripts in shells by design. */
const INSTALLERS = new Set([
  'msiexec.exe',
  'installer',
  'package_script_service',
  'system_installd',
  'installd',
  'dpkg',
  'rpm',
  'apt',
  'apt-get',
  'yum',
  'dnf',
  'snapd',
  'packagekitd',
  'softwareupdated',
]);

export function isInstaller(image: string): boolean {
  return INSTALLERS.has(fileName(image));
}

export function isTool(image: string): boolean {
  return TOOLS.has(fileName(image));
}

/** The system itself or a package installer: writes persistence on someone else's behalf. */
export function isSystemWriter(image: string): boolean {
  const n = fileName(image);
  return SYSTEM_WRITERS.has(n) || INSTALLERS.has(n);
}
