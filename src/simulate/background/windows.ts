// A Windows user's ordinary day: browsers and Office talking to clouds, long Teams/OneDrive
// sessions, a developer's editor running PowerShell, cmd.exe for ipconfig, Windows services
// phoning home, nightly updaters, and now and then an installer that creates a service or a
// Run key. Each of these touches one or two DET0496 steps at most (or only allowlisted
// infrastructure), which is what makes them the false-positive test.
import type { HostActivity } from '../activity.ts';
import { BENIGN_CLOUDS, type Cloud, cloudAddress, webAddress } from '../infrastructure.ts';
import type { SimImageMeta, SimProc } from '../model.ts';

const cloud = (id: string): Cloud => BENIGN_CLOUDS.find((c) => c.id === id)!;

interface App {
  image: (user: string) => string;
  cmd: string;
  meta: SimImageMeta;
  clouds: string[];
  /** Share of connections to ordinary (non-allowlisted) web servers. */
  web: number;
  long: boolean;
}

const APPS: App[] = [
  {
    image: () => 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    cmd: '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"',
    meta: {
      originalFileName: 'chrome.exe',
      product: 'Google Chrome',
      company: 'Google LLC',
      description: 'Google Chrome',
      fileVersion: '131.0.6778.86',
    },
    clouds: ['google'],
    web: 0.6,
    long: false,
  },
  {
    image: () => 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    cmd: '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" --single-argument',
    meta: {
      originalFileName: 'msedge.exe',
      product: 'Microsoft Edge',
      company: 'Microsoft Corporation',
      description: 'Microsoft Edge',
      fileVersion: '131.0.2903.70',
    },
    clouds: ['microsoft'],
    web: 0.6,
    long: false,
  },
  {
    image: () => 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE',
    cmd: '"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE"',
    meta: {
      originalFileName: 'Outlook.exe',
      product: 'Microsoft Outlook',
      company: 'Microsoft Corporation',
      description: 'Microsoft Outlook',
      fileVersion: '16.0.18129.20158',
    },
    clouds: ['microsoft'],
    web: 0,
    long: true,
  },
  {
    image: (u) => `C:\\Users\\${u}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe`,
    cmd: '--system-initiated',
    meta: {
      originalFileName: 'Teams.exe',
      product: 'Microsoft Teams',
      company: 'Microsoft Corporation',
      description: 'Microsoft Teams',
      fileVersion: '1.7.0.33761',
    },
    clouds: ['microsoft'],
    web: 0,
    long: true,
  },
  {
    image: () => 'C:\\Program Files\\Zoom\\bin\\Zoom.exe',
    cmd: '"C:\\Program Files\\Zoom\\bin\\Zoom.exe"',
    meta: {
      originalFileName: 'Zoom.exe',
      product: 'Zoom',
      company: 'Zoom Video Communications, Inc.',
      description: 'Zoom Meetings',
      fileVersion: '6.2.11.50938',
    },
    clouds: ['zoom'],
    web: 0,
    long: true,
  },
  {
    image: () => 'C:\\Program Files\\Dropbox\\Client\\Dropbox.exe',
    cmd: '"C:\\Program Files\\Dropbox\\Client\\Dropbox.exe" /systemstartup',
    meta: {
      originalFileName: 'Dropbox.exe',
      product: 'Dropbox',
      company: 'Dropbox, Inc.',
      description: 'Dropbox',
      fileVersion: '212.4.5767',
    },
    clouds: ['dropbox'],
    web: 0,
    long: true,
  },
];

const CODE: App = {
  image: (u) => `C:\\Users\\${u}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe`,
  cmd: '',
  meta: {
    originalFileName: 'electron.exe',
    product: 'Visual Studio Code',
    company: 'Microsoft Corporation',
    description: 'Visual Studio Code',
    fileVersion: '1.95.3',
  },
  clouds: ['github', 'microsoft'],
  web: 0,
  long: true,
};

const SHELL_COMMANDS = [
  'ipconfig /all',
  'whoami',
  'ping -n 4 intranet.corp.example',
  'nslookup mail.corp.example',
  'net use',
  'tasklist',
];

function workTime(act: HostActivity, day: number): number {
  return day + 7.5 * 3_600_000 + act.rng.next() * 10 * 3_600_000;
}

function appSession(act: HostActivity, day: number, app: App): void {
  const { rng, host } = act;
  const t = workTime(act, day);
  const image = app.image(host.user);
  const p = act.spawn(
    t,
    act.shell,
    image,
    app.cmd.startsWith('"') ? app.cmd : `"${image}" ${app.cmd}`.trim(),
    {
      meta: app.meta,
      cwd: image.slice(0, image.lastIndexOf('\\') + 1),
    },
  );
  const life = app.long ? rng.int(3600, 4 * 3600) : rng.int(300, 3600);
  const conns = rng.int(2, 7);
  for (let i = 0; i < conns; i++) {
    const ct = t + rng.int(1, life - 60) * 1000;
    if (rng.chance(app.web)) {
      act.connect(ct, p, webAddress(rng), 443, rng.int(1, 90), rng.int(800, 4000), rng.int(5000, 900_000));
    } else {
      const c = cloud(rng.pick(app.clouds));
      const long = app.long && i === 0;
      act.connect(
        long ? t + 2000 : ct,
        p,
        cloudAddress(rng, c),
        443,
        long ? life - 5 : rng.int(1, 240),
        rng.int(1000, 60_000),
        rng.int(5000, 2_000_000),
      );
    }
  }
  act.end(t + life * 1000, p);
}

function userShell(act: HostActivity, day: number): void {
  const { rng } = act;
  const t = workTime(act, day);
  const cmd = act.spawn(t, act.shell, 'C:\\Windows\\System32\\cmd.exe', '"C:\\Windows\\system32\\cmd.exe" ', {
    meta: {
      originalFileName: 'Cmd.Exe',
      product: 'Microsoft® Windows® Operating System',
      company: 'Microsoft Corporation',
      description: 'Windows Command Processor',
      fileVersion: '10.0.19041.4355',
    },
  });
  const line = rng.pick(SHELL_COMMANDS);
  const exe = line.split(' ')[0];
  const child = act.spawn(t + rng.int(5, 120) * 1000, cmd, `C:\\Windows\\System32\\${exe}.exe`, line, {
    meta: {
      originalFileName: `${exe}.exe`,
      product: 'Microsoft® Windows® Operating System',
      company: 'Microsoft Corporation',
      description: exe,
      fileVersion: '10.0.19041.1',
    },
  });
  act.end(child.start + 800, child);
  act.end(child.start + rng.int(10, 600) * 1000, cmd);
}

function serviceTelemetry(act: HostActivity, day: number): void {
  const { rng } = act;
  const t = day + rng.next() * 86_400_000;
  act.connect(
    t,
    act.svchost,
    cloudAddress(rng, cloud('microsoft')),
    443,
    rng.int(1, 30),
    rng.int(500, 5000),
    rng.int(500, 20_000),
  );
}

function nightlyUpdater(act: HostActivity, day: number): void {
  const { rng } = act;
  const t = day + rng.int(1, 5) * 3_600_000 + rng.int(0, 3599) * 1000;
  const image = 'C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe';
  const p = act.spawn(t, act.svchost, image, `"${image}" /ua /installsource scheduler`, {
    user: 'NT AUTHORITY\\SYSTEM',
    integrity: 'System',
    meta: {
      originalFileName: 'GoogleUpdate.exe',
      product: 'Google Update',
      company: 'Google LLC',
      description: 'Google Installer',
      fileVersion: '1.3.36.372',
    },
  });
  act.connect(
    t + 2000,
    p,
    cloudAddress(rng, cloud('google')),
    443,
    rng.int(2, 60),
    rng.int(2000, 9000),
    rng.int(5000, 90_000_000),
  );
  act.end(t + rng.int(30, 300) * 1000, p);
}

/** An installer from Downloads that registers a service, which then talks to its vendor's cloud. */
function installer(act: HostActivity, day: number): void {
  const { rng, host } = act;
  const t = workTime(act, day);
  const setup = act.spawn(
    t,
    act.shell,
    `C:\\Users\\${host.user}\\Downloads\\ZoomInstallerFull.exe`,
    `"C:\\Users\\${host.user}\\Downloads\\ZoomInstallerFull.exe"`,
    {
      meta: {
        originalFileName: 'ZoomInstallerFull.exe',
        product: 'Zoom',
        company: 'Zoom Video Communications, Inc.',
        description: 'Zoom Installer',
        fileVersion: '6.2.11.50938',
      },
    },
  );
  const msi = act.spawn(
    t + 4000,
    act.services,
    'C:\\Windows\\System32\\msiexec.exe',
    'C:\\Windows\\system32\\msiexec.exe /V',
    {
      user: 'NT AUTHORITY\\SYSTEM',
      integrity: 'System',
    },
  );
  const svcImage = 'C:\\Program Files\\Zoom\\bin\\CptService.exe';
  act.file(t + 9000, msi, svcImage);
  act.service(
    t + 12_000,
    msi,
    'ZoomCptService',
    `"${svcImage}" -user_path "C:\\Users\\${host.user}\\AppData\\Roaming\\Zoom"`,
    'demand start',
  );
  const svc = act.spawn(
    t + 15_000,
    act.services,
    svcImage,
    `"${svcImage}" -user_path "C:\\Users\\${host.user}\\AppData\\Roaming\\Zoom"`,
    {
      user: 'NT AUTHORITY\\SYSTEM',
      integrity: 'System',
      meta: {
        originalFileName: 'CptService.exe',
        product: 'Zoom',
        company: 'Zoom Video Communications, Inc.',
        description: 'Zoom Sharing Service',
        fileVersion: '6.2.11.50938',
      },
    },
  );
  act.connect(
    t + 17_000,
    svc,
    cloudAddress(rng, cloud('zoom')),
    443,
    rng.int(600, 3600),
    rng.int(5000, 50_000),
    rng.int(5000, 80_000),
  );
  act.end(t + 60_000, setup);
  act.end(t + 70_000, msi);
}

/** OneDrive re-registers its Run key and syncs for hours: S1 and S2 of a benign agent, no S3. */
function oneDrive(act: HostActivity, day: number): void {
  const { rng, host } = act;
  const t = workTime(act, day);
  const image = `C:\\Users\\${host.user}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe`;
  const p = act.spawn(t, act.shell, image, `"${image}" /background`, {
    meta: {
      originalFileName: 'OneDrive.exe',
      product: 'Microsoft OneDrive',
      company: 'Microsoft Corporation',
      description: 'Microsoft OneDrive',
      fileVersion: '24.211.1020.0001',
    },
  });
  act.reg(
    t + 3000,
    p,
    `HKU\\S-1-5-21-1004336348-1177238915-682003330-${1000 + host.index}\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\OneDrive`,
    `"${image}" /background`,
  );
  act.connect(
    t + 5000,
    p,
    { ip: cloudAddress(rng, cloud('microsoft')).ip, name: 'onedrive.live.com' },
    443,
    rng.int(3600, 6 * 3600),
    rng.int(10_000, 9_000_000),
    rng.int(10_000, 9_000_000),
  );
}

function developer(act: HostActivity, day: number): void {
  const { rng, host } = act;
  const t = workTime(act, day);
  const image = CODE.image(host.user);
  const code: SimProc = act.spawn(t, act.shell, image, `"${image}"`, { meta: CODE.meta });
  act.connect(
    t + 3000,
    code,
    cloudAddress(rng, cloud('github')),
    443,
    rng.int(1, 60),
    rng.int(1000, 9000),
    rng.int(5000, 200_000),
  );
  for (let i = rng.int(1, 3); i > 0; i--) {
    const pt = t + rng.int(60, 3000) * 1000;
    const ps = act.spawn(
      pt,
      code,
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -NoLogo -NoProfile',
      {
        meta: {
          originalFileName: 'PowerShell.EXE',
          product: 'Microsoft® Windows® Operating System',
          company: 'Microsoft Corporation',
          description: 'Windows PowerShell',
          fileVersion: '10.0.19041.3996',
        },
      },
    );
    act.end(pt + rng.int(60, 1800) * 1000, ps);
  }
  act.end(t + 4 * 3_600_000, code);
}

/** One day of ordinary activity; `rate` is roughly the number of records for the day. */
export function windowsDay(act: HostActivity, day: number, rate: number): void {
  const { rng, host } = act;
  const sessions = Math.max(1, Math.round(rate / 14));
  for (let i = 0; i < sessions; i++) appSession(act, day, rng.pick(APPS));
  for (let i = Math.max(1, Math.round(rate / 60)); i > 0; i--) userShell(act, day);
  for (let i = Math.max(1, Math.round(rate / 30)); i > 0; i--) serviceTelemetry(act, day);
  nightlyUpdater(act, day);
  if (host.index % 5 === 0) developer(act, day);
  if (rng.chance(0.03)) installer(act, day);
  if (rng.chance(0.1)) oneDrive(act, day);
}
