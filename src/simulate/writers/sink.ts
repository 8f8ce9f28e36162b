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

/** Times as the formats print them. */
export function isoMs(t: number): string {
  return new Date(t).toISOString();
}

/** "2026-11-02T09:15:02.1230000Z": Windows SystemTime with 7 fractional digits. */
export function winSystemTime(t: number): string {
  const s = new Date(t).toISOString();
  return `${s.slice(0, 23)}0000Z`;
}

/** "2026-11-02 09:15:02.123": Sysmon UtcTime. */
export function sysmonUtc(t: number): string {
  const s = new Date(t).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 23)}`;
}
