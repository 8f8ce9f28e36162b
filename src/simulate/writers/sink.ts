// A buffered line file: each line is encoded straight into a buffer that is written in ~1 MiB
// blocks, so the generator makes a few large writes and never joins its lines into one string
// (joining flattened every line twice and was a fifth of `simulate`'s time). The buffer starts
// small and grows, because eslogger keeps one sink per Mac and a fleet may have thousands.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const FLUSH_BYTES = 1 << 20;
const FIRST_BYTES = 1 << 12;
/** UTF-8 takes at most three bytes per UTF-16 code unit. */
const MAX_BYTES_PER_CHAR = 3;

export interface FileStat {
  path: string;
  format: string;
  lines: number;
  bytes: number;
}

export class LineSink {
  private buf = Buffer.allocUnsafe(FIRST_BYTES);
  private used = 0;
  private readonly fd: number;
  readonly stat: FileStat;

  constructor(path: string, format: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
    this.stat = { path, format, lines: 0, bytes: 0 };
  }

  line(s: string): void {
    const need = s.length * MAX_BYTES_PER_CHAR + 1;
    if (this.used + need > this.buf.length) this.makeRoom(need);
    this.used += this.buf.write(s, this.used);
    this.buf[this.used++] = 0x0a;
    this.stat.lines++;
    if (this.used >= FLUSH_BYTES) this.flush();
  }

  /** Grows the buffer up to the flush size, and past it only for a line longer than that. */
  private makeRoom(need: number): void {
    if (this.buf.length < FLUSH_BYTES || need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, Math.min(FLUSH_BYTES, this.buf.length * 4)));
      this.buf.copy(grown, 0, 0, this.used);
      this.buf = grown;
    }
    if (this.used + need > this.buf.length) this.flush();
  }

  flush(): void {
    if (!this.used) return;
    writeSync(this.fd, this.buf, 0, this.used);
    this.stat.bytes += this.used;
    this.used = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

// Times as the formats print them. Events come in time order, so the "YYYY-MM-DDTHH:MM:SS"
// part is cached per second and only the milliseconds are formatted per event.
let cachedSecond = Number.NaN;
let cachedPrefix = '';

function secondPrefix(t: number): string {
  const sec = Math.floor(t / 1000);
  if (sec !== cachedSecond) {
    cachedSecond = sec;
    cachedPrefix = new Date(sec * 1000).toISOString().slice(0, 19);
  }
  return cachedPrefix;
}

function millis(t: number): string {
  const ms = t - Math.floor(t / 1000) * 1000;
  return ms < 10 ? `00${ms}` : ms < 100 ? `0${ms}` : String(ms);
}

/** "2026-11-02T09:15:02.123Z". */
export function isoMs(t: number): string {
  return `${secondPrefix(t)}.${millis(t)}Z`;
}

/** "2026-11-02T09:15:02.1230000Z": Windows SystemTime with 7 fractional digits. */
export function winSystemTime(t: number): string {
  return `${secondPrefix(t)}.${millis(t)}0000Z`;
}

/** "2026-11-02 09:15:02.123": Sysmon UtcTime. */
export function sysmonUtc(t: number): string {
  const p = secondPrefix(t);
  return `${p.slice(0, 10)} ${p.slice(11)}.${millis(t)}`;
}
