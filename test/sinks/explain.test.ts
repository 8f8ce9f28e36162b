// `ratchain explain` text: for each kind of finding, the story names the record behind every step,
// why it counts, the key that linked it, what is missing, and how each reason moved the score.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { remediationFor } from '../../src/model/remediation.ts';
import { citeRecords, explainFinding } from '../../src/sinks/explain.ts';
import { approvedButAnomalous, fullChain, partialChain } from '../support/findings.ts';

describe('explainFinding', () => {
  it('tells a full chain step by step, with the record that made each step', () => {
    const text = explainFinding(fullChain());
    assert.match(text, /^Finding cdd89903f49a26b09d8ab3c5\n/);
    assert.match(text, /CRITICAL alert, score 100\/100/);
    assert.match(text, /4 of 4 steps, in the canonical order/);
    // Each step: the evidence file, line and event id, and why that kind of record counts.
    assert.match(text, /S1 execution: seen 2026-11-03T09:12:03.000Z, 1 record/);
    assert.match(text, /Made by: logs\/ws-fin-07-sysmon\.xml:3 \(event-xml event 7045, record 9120\)/);
    assert.match(text, /Why it counts: the agent registered itself to start again/);
    assert.match(text, /S4 interactive control: .*\n.*powershell\.exe -nop -w hidden -enc/);
    // The key that linked the steps to one agent, and why two images are one agent.
    assert.match(text, /Agent key \(what links the steps\): image:\\users\\jdoe\\downloads\\anydesk\.exe/);
    assert.match(text, /Images linked because: image anydesk\.exe was written by the agent's process/);
    assert.match(text, /No step is missing\./);
    // The sum is shown and its clamp explained.
    assert.match(text, /= 105, clamped to 100: score 100, severity critical\./);
    assert.match(
      text,
      /Raised by: canonical_order \(\+5\), temp_path \(\+10\), suspicious_child \(\+15\), known_tool \(\+5\)\./,
    );
    assert.doesNotMatch(text, /^Allowlist$/m);
  });

  it('names the missing step of a partial chain and what its absence means', () => {
    const text = explainFinding(partialChain());
    assert.match(text, /3 of 4 steps/);
    assert.match(text, /Missing: S2 persistence\n {2}S2 persistence: no systemd unit, cron entry/);
    assert.match(text, /What that means: portable agents often skip persistence/);
    assert.doesNotMatch(text, /S2 persistence: seen/);
    assert.match(text, /Made by: audit\/audit\.log:412 \(auditd event EXECVE, record 8812\)/);
    assert.match(text, /198\.51\.100\.7:21116: 6 connections, longest 240 s, 9000000 bytes out, 400000 in/);
    assert.match(text, /= 70: score 70, severity high\./);
  });

  it('says why an approved tool still alerts, and which reasons lowered the score', () => {
    const text = explainFinding(approvedButAnomalous());
    assert.match(text, /Allowlist\n {2}Not suppressed although approved: approved by ProcessAllowlist\[0\]/);
    assert.match(text, /spawned a suspicious child; talked to 192\.0\.2\.99 outside ExternalIPAllowlist/);
    assert.match(text, /Lowered by: support_host \(-35\)\./);
    assert.match(text, /MEDIUM alert/);
  });

  it('says a suppressed approved tool was kept, not hidden, and by how much it was lowered', () => {
    const base = fullChain();
    const f = {
      ...base,
      status: 'suppressed' as const,
      severity: 'info' as const,
      score: 45,
      agent: { ...base.agent, approvedBy: 'ProcessAllowlist[1] (tool anydesk)' },
      reasons: [
        ...base.reasons,
        { code: 'allowlisted', text: 'approved by ProcessAllowlist[1] (tool anydesk)', delta: -60 },
      ],
    };
    const text = explainFinding(f);
    assert.match(text, /INFO suppressed/);
    assert.match(
      text,
      /Suppressed: approved by ProcessAllowlist\[1\] \(tool anydesk\)\. .*lowered by 60 and the severity set to info\. It is kept for the record, never hidden\./,
    );
    assert.match(text, /Lowered by: allowlisted \(-60\)\./);
  });

  it('ends with the remediation block: each action, its command and the records it came from', () => {
    const f = fullChain();
    f.steps[1].evidence[0].entry = { mechanism: 'service', name: 'AnyDesk' };
    f.remediation = remediationFor(f);
    const text = explainFinding(f);
    const tail = text.slice(text.indexOf('\nRemediation'));
    assert.match(
      tail,
      /^\nRemediation \(review each command before running it\)\n {2}1\. Stop and delete the service AnyDesk\n {5}\$ sc\.exe stop "AnyDesk" & sc\.exe delete "AnyDesk"\n {5}from logs\/ws-fin-07-sysmon\.xml line 3\n$/,
    );
    assert.match(explainFinding(fullChain({ status: 'suppressed' })), /Remediation: none \(an approved tool/);
  });

  it('cites records compactly: line runs per file, byte offsets as they are', () => {
    assert.equal(
      citeRecords(['a.xml:4', 'a.xml:6', 'a.xml:7', 'a.xml:8', 'b.evtx@4096']),
      'a.xml lines 4, 6-8; b.evtx at byte 4096',
    );
  });
});
