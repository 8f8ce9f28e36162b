// Reverse forwards from command lines, whose tunnel carried a loopback login, and which process
// starts a login's session.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isLoopback,
  reverseForwards,
  startsLogin,
  type TunnelCandidate,
  tunnelFor,
} from '../../../src/engine/steps/tunnel.ts';
import { fileName } from '../../../src/model/paths.ts';
import { compileRules } from '../../../src/rules/compile.ts';
import { builtinRules } from '../../../src/rules/load.ts';

// The shipped rule packs' ties: forward patterns, login ports, windows.
const RULES = compileRules(builtinRules(), fileName).ties;
const forwards = (cmd: string) => reverseForwards(RULES, cmd.split(' ')[0], cmd);
const targets = (cmd: string) => forwards(cmd).map((f) => `${f.host}:${f.port}`);

test('reverse forwards and relays, for every tool that writes them in its arguments', () => {
  assert.deepEqual(targets('plink.exe 10.0.2.18 -P 80 -C -R 127.0.0.3:4444:127.0.0.2:3389'), [
    '127.0.0.2:3389',
  ]);
  assert.deepEqual(targets('ssh -N -R 2222:localhost:22 -o ServerAliveInterval=30 u@203.0.113.9'), [
    'localhost:22',
  ]);
  assert.deepEqual(targets('ssh -fNR[::1]:2222:[::1]:22 relay'), ['::1:22']);
  assert.deepEqual(targets('/var/tmp/x client https://203.0.113.60:443 R:2222:127.0.0.1:22 R:socks'), [
    '127.0.0.1:22',
  ]);
  assert.deepEqual(targets('chisel client srv:8080 R:0.0.0.0:3390:127.0.0.1:3389/tcp R:8022:22'), [
    '127.0.0.1:3389',
    '127.0.0.1:22',
  ]);
  assert.deepEqual(targets('ngrok tcp --region eu 22'), ['127.0.0.1:22']);
  assert.deepEqual(targets('cloudflared tunnel --url ssh://localhost:22'), ['localhost:22']);
  assert.deepEqual(targets('socat TCP4:203.0.113.5:443 TCP4:127.0.0.1:22'), [
    '203.0.113.5:443',
    '127.0.0.1:22',
  ]);
  // Local forwards and dynamic forwards reach nothing on this host.
  assert.deepEqual(targets('ssh -f -N -L 15432:10.0.5.20:5432 ops@bastion'), []);
  assert.deepEqual(targets('ssh -R 1080 relay'), []);
  assert.ok(isLoopback('127.0.0.2') && isLoopback('::1') && isLoopback('::ffff:127.0.0.1'));
  assert.ok(!isLoopback('10.0.0.1'));
});

const agent = (over: Partial<TunnelCandidate>): TunnelCandidate => ({
  agent: 'a1',
  label: 'kworker-sync',
  external: true,
  alive: true,
  forwards: [],
  loopback: [],
  ...over,
});
const login = { time: 100_000, srcIp: '127.0.0.1', srcPort: 38412, service: 'sshd' };

test('the agent whose own loopback connect used the login source port carried it', () => {
  const monitor = agent({
    agent: 'ssh',
    label: 'ssh',
    external: false,
    loopback: [{ time: 99_000, port: 22, srcPort: 46120 }],
  });
  const tunnel = agent({ loopback: [{ time: 96_500, port: 22, srcPort: 38412 }] });
  const v = tunnelFor(RULES, login, [monitor, tunnel]);
  assert.equal(v.agent, 'a1');
  assert.match('link' in v ? v.link : '', /kworker-sync's own connection to port 22 \(same source port\)/);
  // The monitor's own check: it is the client of its login, and no tunnel.
  const own = tunnelFor(RULES, { ...login, srcPort: 46120 }, [monitor, tunnel]);
  assert.equal(own.agent, undefined);
  assert.match('why' in own ? own.why : '', /logged itself in/);
});

test('without ports, the one live agent with a reverse forward to the login port carried it', () => {
  const fwd = agent({ forwards: forwards('x client srv R:2222:127.0.0.1:22') });
  const v = tunnelFor(RULES, { ...login, srcPort: undefined }, [fwd]);
  assert.equal(v.agent, 'a1');
  assert.match('link' in v ? v.link : '', /reverse forward R:2222:127.0.0.1:22 to port 22 was up/);
  // a forward to another port, a dead agent, no outside connection, or two candidates: nobody's
  const web = agent({ forwards: forwards('ssh -N -R 8080:localhost:3000 demo') });
  assert.equal(tunnelFor(RULES, login, [web]).agent, undefined);
  assert.equal(tunnelFor(RULES, login, [{ ...fwd, alive: false }]).agent, undefined);
  assert.equal(tunnelFor(RULES, login, [{ ...fwd, external: false }]).agent, undefined);
  assert.equal(tunnelFor(RULES, login, [fwd, { ...fwd, agent: 'a2' }]).agent, undefined);
  assert.equal(tunnelFor(RULES, { ...login, srcIp: '198.51.100.23' }, [fwd]).agent, undefined);
  // RDP logins need a tunnel to 3389
  const rdp = agent({
    forwards: forwards('plink.exe 10.0.2.18 -P 80 -C -R 127.0.0.3:4444:127.0.0.2:3389'),
  });
  assert.equal(tunnelFor(RULES, { ...login, service: 'rdp' }, [rdp]).agent, 'a1');
});

test("a login's first process: the same session, or a child of its sshd soon after by the same user", () => {
  const l = { time: 1000, session: undefined, pid: 8810, user: 'backup' };
  const shell = { time: 1300, user: 'backup', parentPid: 8812, parentImage: '/usr/sbin/sshd' };
  assert.ok(startsLogin(RULES, shell, l));
  assert.ok(!startsLogin(RULES, { ...shell, user: 'monitor' }, l));
  assert.ok(!startsLogin(RULES, { ...shell, parentPid: 8900 }, l));
  assert.ok(!startsLogin(RULES, { ...shell, time: 60_000 }, l));
  assert.ok(!startsLogin(RULES, { ...shell, parentImage: '/usr/bin/bash' }, l));
  assert.ok(startsLogin(RULES, { time: 5, session: '57' }, { ...l, session: '57' }));
  assert.ok(!startsLogin(RULES, { ...shell, session: '58' }, { ...l, session: '57' }));
});
