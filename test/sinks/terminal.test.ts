// The terminal report, as a responder reads it: a table first (severity, host, tool, steps, first
// seen, id), then the findings by host and by tool, then each finding with its distinct evidence,
// its score and its remediation; every line within the width (80 when not a terminal), hostile
// text shown escaped, colour only when asked.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Finding } from '../../src/model/finding.ts';
import { remediationFor } from '../../src/model/remediation.ts';
import { DEFAULT_WIDTH, renderReport, terminalWidth, wrap } from '../../src/sinks/terminal.ts';
import { CORPUS_CASES, huntCase } from '../support/corpus.ts';
import { fullChain, HOSTILE, partialChain } from '../support/findings.ts';

const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

describe('terminal report', () => {
  let examples: Finding[];
  before(async () => {
    examples = await huntCase(CORPUS_CASES[0]);
  });

  for (const width of [60, 80, 120, 200]) {
    it(`fits every line of the examples' report in ${width} columns`, () => {
      const text = renderReport(examples, undefined, { color: false, width });
      assert.ok(widest(text) <= width, `widest line ${widest(text)}`);
    });
  }

  it('opens with the table, then by host and by tool, then each finding, most severe first', () => {
    const text = renderReport(examples, undefined, { color: false, width: 100 });
    const at = (s: string) => text.indexOf(s);
    assert.ok(at('SEVERITY  HOST') > 0 && at('SEVERITY  HOST') < at('By host'));
    assert.ok(at('By host') < at('By tool') && at('By tool') < at('CRITICAL  '));
    const table = text.split('\n').filter((l) => /^(critical|high|medium|low|info)\b/.test(l));
    assert.equal(table.length, examples.length);
    assert.match(
      table[0],
      /^critical\s+\S+\s+\S.*S1 S2 S3 S4\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+[0-9a-f]{8}$/,
    );
    assert.match(table.at(-1)!, /^medium .*S1 S2 S3 --/);
    assert.match(text, /\nBy tool\n {2}AnyDesk +1 \(1 critical\)\n/);
  });

  it('keeps a step label apart from its text, and shows each distinct record once', () => {
    const f = examples.find((x) => x.title.startsWith('relayd'))!;
    const text = renderReport([f], undefined, { color: false, width: 80 });
    assert.match(text, /\n {2}S4 interactive control {2}\d{4}-/);
    assert.equal(text.split('systemd "relayd.service"').length - 1, 1, 'the repeated record is shown once');
    assert.match(text, /\(\+1 more record like these\)/);
  });

  it('ends each finding with its remediation block', () => {
    const f = examples.find((x) => x.title.startsWith('AnyDesk'))!;
    const text = renderReport([f], undefined, { color: false, width: 80 });
    const tail = text.slice(text.indexOf('  Remediation'));
    assert.match(
      tail,
      /^ {2}Remediation \(review each command before running it\)\n {4}1\. End the agent's process 7312/,
    );
    assert.match(tail, /\$ sc\.exe stop "AnyDesk" & sc\.exe delete "AnyDesk"/);
  });

  it('shows hostile text escaped: no escape sequence reaches the terminal', () => {
    const f = partialChain({ title: 'evil\x1b]0;owned\x07\x1b[2J', host: 'h\u202Eost' });
    f.steps[0].evidence[0].summary = `started ${HOSTILE}\x1b[31m`;
    f.remediation = remediationFor(f);
    const text = renderReport([f], undefined, { color: false, width: 80 });
    assert.doesNotMatch(text, /[\x00-\x09\x0b-\x1f\x7f\u202e]/);
    assert.match(text, /evil\\x1b\]0;owned\\x07\\x1b\[2J/);
  });

  it('colours only when asked', () => {
    assert.doesNotMatch(renderReport([fullChain()], undefined, { color: false, width: 80 }), /\x1b\[/);
    assert.match(renderReport([fullChain()], undefined, { color: true, width: 80 }), /\x1b\[/);
  });

  it('uses the terminal width, 80 when not a terminal', () => {
    assert.equal(terminalWidth({ isTTY: true, columns: 132 }), 132);
    assert.equal(terminalWidth({ isTTY: false, columns: 132 }), DEFAULT_WIDTH);
    assert.equal(DEFAULT_WIDTH, 80);
  });

  it('wraps words under a hanging indent, keeps aligning spaces, and cuts words longer than a line', () => {
    assert.deepEqual(wrap('label    one two three', 16, 2, 11), [
      '  label    one',
      '           two',
      '           three',
    ]);
    assert.deepEqual(wrap('x'.repeat(25), 10, 2, 4), ['  xxxxxxxx', '    xxxxxx', '    xxxxxx', '    xxxxx']);
  });
});
