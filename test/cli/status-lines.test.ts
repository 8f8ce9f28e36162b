// The live commands' stderr lines: what one turn of the event loop says goes out as one write,
// in the order it was said, with problems kept when the command is quiet.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CliStream } from '../../src/cli/io.ts';
import { statusLines } from '../../src/cli/status-lines.ts';

function recorder(): { stream: CliStream; writes: string[] } {
  const writes: string[] = [];
  return {
    writes,
    stream: { write: (c) => writes.push(String(c)) > 0, once: () => undefined },
  };
}

describe('statusLines', () => {
  it('writes the lines said in one turn once, after it', async () => {
    const { stream, writes } = recorder();
    const s = statusLines(stream, false);
    s.say('update high AnyDesk [a rev 1]');
    s.tell('h.log:3: unreadable');
    s.say('update high AnyDesk [b rev 0]');
    assert.deepEqual(writes, []);
    await Promise.resolve();
    assert.deepEqual(writes, [
      'ratchain: update high AnyDesk [a rev 1]\nratchain: h.log:3: unreadable\nratchain: update high AnyDesk [b rev 0]\n',
    ]);
    s.say('stopping');
    await Promise.resolve();
    assert.equal(writes.length, 2);
  });

  it('keeps only what is told when quiet', async () => {
    const { stream, writes } = recorder();
    const s = statusLines(stream, true);
    s.say('new high AnyDesk [a rev 0]');
    s.tell('cannot connect');
    s.flush();
    assert.deepEqual(writes, ['ratchain: cannot connect\n']);
    await Promise.resolve();
    assert.equal(writes.length, 1);
  });
});
