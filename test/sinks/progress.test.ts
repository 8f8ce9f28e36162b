// The hunt progress bar: silent for pipes and for hunts shorter than the delay; on a terminal,
// after the delay, a bar on stderr with bytes and events done, rate and ETA, cleared at the end.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgress, progressText } from '../../src/sinks/progress.ts';

/** A stand-in for process.stderr that records what the bar writes. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { out: string } {
  const s = {
    isTTY,
    columns: 160,
    out: '',
    write(chunk: string) {
      s.out += chunk;
      return true;
    },
    cursorTo(_x: number, _y?: number | (() => void), cb?: () => void) {
      if (typeof cb === 'function') cb();
      return true;
    },
    moveCursor: () => true,
    clearLine: () => true,
    clearScreenDown: () => true,
    on: () => s,
    removeListener: () => s,
    getWindowSize: () => [160, 40],
  };
  return s as unknown as NodeJS.WriteStream & { out: string };
}

describe('progress', () => {
  it('describes bytes, events, rate and ETA in one line', () => {
    assert.equal(
      progressText({ bytes: 10e6, totalBytes: 40e6, events: 84211, elapsedMs: 2000 }),
      '10.0/40.0 MB  84,211 events  5.0 MB/s, 42,106 ev/s  ETA 6s',
    );
    // Unknown total (stdin) or more read than the size on disk (.gz): no ETA rather than a wrong one.
    assert.match(progressText({ bytes: 5e6, events: 10, elapsedMs: 1000 }), /^5\.0 MB .* ETA \?$/);
    assert.match(
      progressText({ bytes: 9e6, totalBytes: 1e6, events: 1, elapsedMs: 1000 }),
      /^9\.0 MB .* ETA \?$/,
    );
  });

  it('shows a bar on a terminal once the hunt outlasts the delay, and clears it', () => {
    let t = 0;
    const stream = fakeStream(true);
    const p = createProgress({ stream, totalBytes: 40e6, delayMs: 2000, intervalMs: 0, now: () => t });
    p.bytes(1e6);
    t = 1500;
    p.tick();
    assert.equal(stream.out, '', 'nothing before the delay');
    p.bytes(9e6);
    for (let i = 0; i < 1000; i++) p.event();
    t = 2000;
    try {
      p.tick();
    } finally {
      p.stop();
    }
    assert.match(
      stream.out,
      /hunting \[######------------------\] {2}25% 10\.0\/40\.0 MB {2}1,000 events {2}5\.0 MB\/s/,
    );
    p.stop();
    p.stop();
  });

  it('never draws when stderr is not a terminal', () => {
    let t = 0;
    const stream = fakeStream(false);
    const p = createProgress({ stream, totalBytes: 1e6, delayMs: 0, intervalMs: 0, now: () => t });
    p.bytes(5e5);
    t = 60_000;
    p.tick();
    p.stop();
    assert.equal(stream.out, '');
  });
});
