// A progress bar on stderr for long hunts: bytes and events done, rate and ETA. It appears only
// when stderr is a terminal and the hunt has run longer than a short delay, so quick hunts, pipes
// and CI logs never see it, and it clears itself before the report is printed.
import cliProgress from 'cli-progress';

export interface ProgressState {
  bytes: number;
  /** Total input bytes when known (sizes on disk; .gz inputs can read more than this). */
  totalBytes?: number;
  events: number;
  elapsedMs: number;
}

export interface HuntProgress {
  /** Bytes read since the last call. */
  bytes(n: number): void;
  /** One event handed to the engine. */
  event(): void;
  /** Redraws (or, after the delay, starts) the bar; called by a timer, or by tests. */
  tick(): void;
  /** Removes the bar and stops the timer; safe to call twice. */
  stop(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  totalBytes?: number;
  /** How long a hunt runs before the bar appears. */
  delayMs?: number;
  /** Redraw interval; 0 leaves ticking to the caller (tests). */
  intervalMs?: number;
  now?: () => number;
}

function mb(n: number): string {
  return (n / 1e6).toFixed(n >= 1e8 ? 0 : 1);
}

function duration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '?';
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The text after the bar: "12.3/50.0 MB  84,211 events  6.1 MB/s  ETA 6s". */
export function progressText(s: ProgressState): string {
  const sec = s.elapsedMs / 1000;
  const rate = sec > 0 ? s.bytes / sec : 0;
  const total = s.totalBytes && s.totalBytes >= s.bytes ? s.totalBytes : undefined;
  const eta = total !== undefined && rate > 0 ? duration((total - s.bytes) / rate) : '?';
  const size = total !== undefined ? `${mb(s.bytes)}/${mb(total)} MB` : `${mb(s.bytes)} MB`;
  const evRate = sec > 0 ? Math.round(s.events / sec) : 0;
  return `${size}  ${s.events.toLocaleString('en-US')} events  ${mb(rate)} MB/s, ${evRate.toLocaleString('en-US')} ev/s  ETA ${eta}`;
}

export function createProgress(opts: ProgressOptions = {}): HuntProgress {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? Date.now;
  const delayMs = opts.delayMs ?? 2000;
  const started = now();
  const state: ProgressState = { bytes: 0, totalBytes: opts.totalBytes, events: 0, elapsedMs: 0 };
  let bar: cliProgress.SingleBar | undefined;
  let stopped = false;
  const enabled = stream.isTTY === true;

  const tick = () => {
    if (!enabled || stopped) return;
    state.elapsedMs = now() - started;
    if (!bar) {
      if (state.elapsedMs < delayMs) return;
      bar = new cliProgress.SingleBar(
        {
          stream,
          // Drawn from our own state, not the bar's value: the first frame is drawn at start().
          format: () => {
            const width = 24;
            const done = state.totalBytes ? Math.max(0, Math.min(1, state.bytes / state.totalBytes)) : 0;
            const filled = Math.round(done * width);
            const pct = state.totalBytes ? `${String(Math.floor(done * 100)).padStart(3)}%` : '';
            return `hunting [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${pct} ${progressText(state)}`;
          },
          hideCursor: false,
          clearOnComplete: true,
          linewrap: false,
          fps: 5,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(1, state.totalBytes ?? 1), 0);
    }
    const total = Math.max(state.totalBytes ?? 0, state.bytes, 1);
    bar.setTotal(total);
    bar.update(state.totalBytes ? Math.min(state.bytes, total) : 0);
  };

  const interval = enabled && opts.intervalMs !== 0 ? setInterval(tick, opts.intervalMs ?? 250) : undefined;
  interval?.unref();

  return {
    bytes(n) {
      state.bytes += n;
    },
    event() {
      state.events++;
    },
    tick,
    stop() {
      if (stopped) return;
      stopped = true;
      if (interval) clearInterval(interval);
      bar?.stop();
    },
  };
}
