// A Linux server's or workstation's ordinary day: cron jobs, SSH sessions with shells, package
// updates to the distribution mirrors, an application talking to an internal database and to
// web APIs, and once in a while a package that installs a systemd unit.
import type { HostActivity } from '../activity.ts';
import { BENIGN_CLOUDS, type Cloud, cloudAddress, webAddress } from '../infrastructure.ts';

const cloud = (id: string): Cloud => BENIGN_CLOUDS.find((c) => c.id === id)!;

const SESSION_COMMANDS: Array<[string, string]> = [
  ['/usr/bin/ls', 'ls -la'],
  ['/usr/bin/git', 'git pull'],
  ['/usr/bin/vim', 'vim config.yaml'],
  ['/usr/bin/grep', 'grep -r TODO src'],
  ['/usr/bin/systemctl', 'systemctl status nginx'],
  ['/usr/bin/journalctl', 'journalctl -u app -n 100'],
];

function cronJob(act: HostActivity, t: number): void {
  const sh = act.spawn(t, act.svchost, '/usr/bin/sh', '/bin/sh -c run-parts /etc/cron.hourly', {
    user: 'root',
    uid: 0,
    cwd: '/root',
  });
  const rp = act.spawn(t + 20, sh, '/usr/bin/run-parts', 'run-parts /etc/cron.hourly');
  act.end(t + 400, rp);
  act.end(t + 450, sh);
}

function sshSession(act: HostActivity, day: number): void {
  const { rng, host } = act;
  const t = day + 7 * 3_600_000 + rng.next() * 11 * 3_600_000;
  const sshd = act.spawn(t, act.init, '/usr/sbin/sshd', `sshd: ${host.user} [priv]`, {
    user: 'root',
    uid: 0,
    cwd: '/',
  });
  const bash = act.spawn(t + 900, sshd, '/usr/bin/bash', '-bash', {
    user: host.user,
    uid: 1000,
    cwd: `/home/${host.user}`,
    integrity: 'Medium',
  });
  let ct = t + 5000;
  for (let i = rng.int(2, 6); i > 0; i--) {
    const [image, cmd] = rng.pick(SESSION_COMMANDS);
    const c = act.spawn(ct, bash, image, cmd);
    if (image.endsWith('git'))
      act.connect(
        ct + 200,
        c,
        cloudAddress(rng, cloud('github')),
        443,
        rng.int(1, 8),
        rng.int(1000, 5000),
        rng.int(5000, 500_000),
      );
    act.end(ct + rng.int(1, 300) * 1000, c);
    ct += rng.int(30, 600) * 1000;
  }
  act.end(ct + 1000, bash);
  act.end(ct + 1200, sshd);
}

function packageUpdate(act: HostActivity, day: number): void {
  const { rng } = act;
  const t = day + rng.int(3, 6) * 3_600_000 + rng.int(0, 3599) * 1000;
  const apt = act.spawn(t, act.init, '/usr/bin/apt-get', '/usr/bin/apt-get -qq update', {
    user: 'root',
    uid: 0,
    cwd: '/',
  });
  for (let i = rng.int(2, 4); i > 0; i--)
    act.connect(
      t + i * 700,
      apt,
      cloudAddress(rng, cloud('canonical')),
      80,
      rng.int(1, 40),
      rng.int(1000, 4000),
      rng.int(10_000, 30_000_000),
    );
  act.end(t + 60_000, apt);
}

function appServer(act: HostActivity, day: number, rate: number): void {
  const { rng, host } = act;
  const t = day + rng.int(0, 3600) * 1000;
  const app = act.spawn(t, act.init, '/usr/bin/python3', '/usr/bin/python3 /opt/app/server.py --port 8080', {
    user: 'app',
    uid: 998,
    cwd: '/opt/app',
  });
  const db = { ip: `10.2.0.${10 + (host.index % 20)}` };
  act.connect(t + 1000, app, db, 5432, 86_000, 5_000_000, 90_000_000);
  for (let i = Math.max(1, Math.round(rate / 20)); i > 0; i--) {
    act.connect(
      t + rng.int(10, 86_000) * 1000,
      app,
      webAddress(rng),
      443,
      rng.int(1, 20),
      rng.int(400, 4000),
      rng.int(400, 40_000),
    );
  }
  act.end(day + 86_390_000, app);
}

/** A package installs a unit (dpkg writes it, systemd starts it): S2 with no agent behaviour. */
function packageUnit(act: HostActivity, day: number): void {
  const { rng } = act;
  const t = day + rng.int(9, 17) * 3_600_000;
  const dpkg = act.spawn(t, act.init, '/usr/bin/dpkg', 'dpkg --status-fd 27 --configure nginx-common:all', {
    user: 'root',
    uid: 0,
    cwd: '/',
  });
  act.file(t + 500, dpkg, '/lib/systemd/system/nginx.service');
  act.end(t + 3000, dpkg);
  act.unit(t + 4000, 'nginx');
  const nginx = act.spawn(
    t + 4000,
    act.init,
    '/usr/sbin/nginx',
    '/usr/sbin/nginx -g daemon on; master_process on;',
    { user: 'root', uid: 0, cwd: '/' },
  );
  act.end(day + 86_000_000, nginx);
}

export function linuxDay(act: HostActivity, day: number, rate: number): void {
  const { rng } = act;
  for (let h = 0; h < 24; h++) cronJob(act, day + h * 3_600_000 + 1000 + rng.int(0, 900));
  for (let i = Math.max(1, Math.round(rate / 30)); i > 0; i--) sshSession(act, day);
  packageUpdate(act, day);
  appServer(act, day, rate);
  if (rng.chance(0.03)) packageUnit(act, day);
}
