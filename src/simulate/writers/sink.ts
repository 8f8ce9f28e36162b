// A buffered line file: lines are joined and written in ~1 MiB blocks, so the generator makes a
// few large writes instead of one per event.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const FLUSH_CHARS = 1 << 20;

export interface FileStat {
  path: string;
  format: string;
  lines: number;
  bytes: number;
}

export class LineSink {
  private parts: string[] = [];
  private chars = 0;
  private readonly fd: number;
  readonly stat: FileStat;

  constructor(path: string, format: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
    this.stat = { path, format, lines: 0, bytes: 0 };
  }

  line(s: string): void {
    this.parts.push(s);
    this.chars += s.length;
    this.stat.lines++;
    if (this.chars >= FLUSH_CHARS) this.flush();
  }

  flush(): void {
    if (!this.parts.length) return;
    this.parts.push('');
    const buf = Buffer.from(this.parts.join('\n'), 'utf8');
    writeSync(this.fd, buf);
    this.stat.bytes += buf.length;
    this.parts = [];
    this.chars = 0;
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
