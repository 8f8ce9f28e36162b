// A Mac user's ordinary day: Safari, Chrome, Slack and Zoom talking to their clouds, a terminal
// with git, the system's own update daemons, and now and then an installer that drops a
// LaunchDaemon that launchd then starts (S2 and S1 of a benign daemon, allowlisted egress).
import type { HostActivity } from '../activity.ts';
import { BENIGN_CLOUDS, type Cloud, cloudAddress, webAddress } from '../infrastructure.ts';

const cloud = (id: string): Cloud => BENIGN_CLOUDS.find((c) => c.id === id)!;

const APPS: Array<{ image: string; clouds: string[]; web: number; signingId: string; teamId: string }> = [
  {
    image: '/Applications/Safari.app/Contents/MacOS/Safari',
    clouds: ['apple'],
    web: 0.6,
    signingId: 'com.apple.Safari',
    teamId: '',
  },
  {
    image: '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    clouds: ['google'],
    web: 0.6,
    signingId: 'com.google.Chrome',
    teamId: 'EQHXZ8M8AV',
  },
  {
    image: '/Applications/zoom.us.app/Contents/MacOS/zoom.us',
    clouds: ['zoom'],
    web: 0,
    signingId: 'us.zoom.xos',
    teamId: 'BJ4HAAB9B3',
  },
  {
    image: '/Applications/Microsoft Outlook.app/Contents/MacOS/Microsoft Outlook',
    clouds: ['microsoft'],
    web: 0,
    signingId: 'com.microsoft.Outlook',
    teamId: 'UBF8T346G9',
  },
];

function app(act: HostActivity, day: number): void {
  const { rng } = act;
  const a = rng.pick(APPS);
  const t = day + 7.5 * 3_600_000 + rng.next() * 10 * 3_600_000;
  const p = act.spawn(t, act.init, a.image, a.image, {
    meta: { signingId: a.signingId, teamId: a.teamId || undefined, platformBinary: a.teamId === '' },
    user: act.host.user,
    uid: 501,
    integrity: 'Medium',
  });
  const life = rng.int(600, 4 * 3600);
  for (let i = rng.int(2, 6); i > 0; i--) {
    const ct = t + rng.int(1, life - 60) * 1000;
    if (rng.chance(a.web))
      act.connect(ct, p, webAddress(rng), 443, rng.int(1, 90), rng.int(800, 4000), rng.int(5000, 900_000));
    else
      act.connect(
        ct,
        p,
        cloudAddress(rng, cloud(rng.pick(a.clouds))),
        443,
        rng.int(1, life - 60),
        rng.int(1000, 60_000),
        rng.int(5000, 2_000_000),
      );
  }
  act.end(t + life * 1000, p);
}

function terminal(act: HostActivity, day: number): void {
  const { rng, host } = act;
  const t = day + 8 * 3_600_000 + rng.next() * 9 * 3_600_000;
  const term = act.spawn(
    t,
    act.init,
    '/System/Applications/Utilities/Terminal.app/Contents/MacOS/Terminal',
    '/System/Applications/Utilities/Terminal.app/Contents/MacOS/Terminal',
    {
      user: host.user,
      uid: 501,
      integrity: 'Medium',
      meta: { signingId: 'com.apple.Terminal', platformBinary: true },
    },
  );
  const login = act.spawn(t + 300, term, '/usr/bin/login', `login -pf ${host.user}`, {
    meta: { signingId: 'com.apple.login', platformBinary: true },
  });
  const zsh = act.spawn(t + 500, login, '/bin/zsh', '-zsh', {
    cwd: `/Users/${host.user}`,
    meta: { signingId: 'com.apple.zsh', platformBinary: true },
  });
  let ct = t + 4000;
  for (let i = rng.int(1, 4); i > 0; i--) {
    const git = act.spawn(ct, zsh, '/usr/bin/git', 'git fetch origin', {
      meta: { signingId: 'com.apple.git', platformBinary: true },
    });
    act.connect(
      ct + 300,
      git,
      cloudAddress(rng, cloud('github')),
      443,
      rng.int(1, 8),
      rng.int(1000, 5000),
      rng.int(5000, 500_000),
    );
    act.end(ct + 5000, git);
    ct += rng.int(60, 1200) * 1000;
  }
  act.end(ct, zsh);
  act.end(ct + 100, login);
  act.end(ct + 200, term);
}

function systemDaemons(act: HostActivity, day: number, rate: number): void {
  const { rng } = act;
  for (let i = Math.max(1, Math.round(rate / 30)); i > 0; i--) {
    act.connect(
      day + rng.next() * 86_400_000,
      act.svchost,
      cloudAddress(rng, cloud('apple')),
      443,
      rng.int(1, 600),
      rng.int(500, 5000),
      rng.int(500, 200_000),
    );
  }
}

function installer(act: HostActivity, day: number): void {
  const { rng } = act;
  const t = day + rng.int(9, 17) * 3_600_000;
  const inst = act.spawn(
    t,
    act.init,
    '/System/Library/PrivateFrameworks/PackageKit.framework/Versions/A/Resources/installd',
    '/System/Library/PrivateFrameworks/PackageKit.framework/Resources/installd',
    {
      user: 'root',
      uid: 0,
      meta: { signingId: 'com.apple.installd', platformBinary: true },
    },
  );
  const plist = '/Library/LaunchDaemons/us.zoom.ZoomDaemon.plist';
  const program = '/Library/PrivilegedHelperTools/us.zoom.ZoomDaemon';
  act.file(t + 1000, inst, plist);
  act.btm(t + 1200, inst, plist, program, 'us.zoom.ZoomDaemon', true);
  const d = act.spawn(t + 3000, act.init, program, program, {
    user: 'root',
    uid: 0,
    meta: { signingId: 'us.zoom.ZoomDaemon', teamId: 'BJ4HAAB9B3' },
  });
  act.connect(
    t + 4000,
    d,
    cloudAddress(rng, cloud('zoom')),
    443,
    rng.int(600, 3600),
    rng.int(1000, 9000),
    rng.int(1000, 90_000),
  );
  act.end(t + 30_000, inst);
}

export function macosDay(act: HostActivity, day: number, rate: number): void {
  const { rng } = act;
  for (let i = Math.max(1, Math.round(rate / 12)); i > 0; i--) app(act, day);
  for (let i = Math.max(1, Math.round(rate / 40)); i > 0; i--) terminal(act, day);
  systemDaemons(act, day, rate);
  if (rng.chance(0.03)) installer(act, day);
}
