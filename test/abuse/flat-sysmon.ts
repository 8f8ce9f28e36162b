// Big single files for the abuse suite, written as Logstash/NXLog ship Sysmon (flattened JSON,
// one record per line, as in the OTRF datasets): `hosts` machines each run a remote-access chain
// (AnyDesk from Downloads, a service, beacons out, a shell), buried in benign process starts and
// internal connections. Every line is made from its index alone, so a file can be written in any
// order without holding its lines: in time order, shuffled, or with its time standing still.
import { closeSync, openSync, writeSync } from 'node:fs';

export const T0 = Date.parse('2026-01-05T10:00:00.000Z');
const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
/** Lines of one host's chain; the rest of the file is noise. */
const CHAIN_LINES = 10;

export interface FlatFileOptions {
  events: number;
  hosts: number;
  /** Event time of line i (ms). */
  time(i: number): number;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const host = (h: number) => `WS-${pad(h, 4)}`;
const guid = (h: number, p: number) => `{${pad(h, 8)}-0000-4000-8000-${pad(p, 12)}}`;

function rec(time: number, h: number, id: number, fields: Record<string, string>): string {
  return JSON.stringify({
    '@timestamp': new Date(time).toISOString(),
    EventID: id,
    Channel: SYSMON,
    SourceName: 'Microsoft-Windows-Sysmon',
    Hostname: `${host(h)}.corp.example`,
    ...fields,
  });
}

/** The k-th line of host h's chain. Hosts h % 5 == 4 stop after the beacons (two steps, no alert). */
function chainLine(h: number, k: number, time: number): string {
  const agent = `C:\\Users\\u${h}\\Downloads\\AnyDesk.exe`;
  const g = guid(h, 1);
  if (k === 0)
    return rec(time, h, 1, {
      ProcessGuid: g,
      ProcessId: '4242',
      Image: agent,
      CommandLine: `"${agent}"`,
      User: `CORP\\u${h}`,
      ParentProcessGuid: guid(h, 0),
      ParentImage: 'C:\\Windows\\explorer.exe',
    });
  if (k === 1 && h % 5 !== 4)
    return rec(time, h, 13, {
      EventType: 'SetValue',
      ProcessGuid: g,
      Image: agent,
      TargetObject: 'HKLM\\System\\CurrentControlSet\\Services\\AnyDesk\\ImagePath',
      Details: `"${agent}" --service`,
    });
  if (k < CHAIN_LINES - 1 || h % 5 === 4)
    return rec(time, h, 3, {
      ProcessGuid: g,
      Image: agent,
      Protocol: 'tcp',
      Initiated: 'true',
      SourceIp: `10.30.${h >> 8}.${h & 255}`,
      SourcePort: String(50000 + k),
      DestinationIp: `203.0.113.${(h % 200) + 1}`,
      DestinationPort: '443',
    });
  return rec(time, h, 1, {
    ProcessGuid: guid(h, 2),
    ProcessId: '5151',
    Image: 'C:\\Windows\\System32\\cmd.exe',
    CommandLine: 'cmd.exe /c whoami',
    User: `CORP\\u${h}`,
    ParentProcessGuid: g,
    ParentImage: agent,
  });
}

/** Noise: every third line a process start of its own (a new process each), the others its connections. */
function noiseLine(i: number, h: number, time: number): string {
  const p = 100 + Math.floor(i / 3);
  if (i % 3)
    return rec(time, h, 3, {
      ProcessGuid: guid(h, p),
      Image: 'C:\\Windows\\System32\\svchost.exe',
      Protocol: 'tcp',
      Initiated: 'true',
      SourceIp: `10.30.${h >> 8}.${h & 255}`,
      SourcePort: String(1024 + (i % 60000)),
      DestinationIp: `10.0.${(i >> 8) & 255}.${i & 255}`,
      DestinationPort: '445',
    });
  return rec(time, h, 1, {
    ProcessGuid: guid(h, p),
    ProcessId: String(1000 + (p % 60000)),
    Image: 'C:\\Windows\\System32\\svchost.exe',
    CommandLine: `C:\\Windows\\System32\\svchost.exe -k netsvcs -p -s Svc${i % 97}`,
    User: 'NT AUTHORITY\\SYSTEM',
    ParentProcessGuid: guid(h, 0),
    ParentImage: 'C:\\Windows\\System32\\services.exe',
  });
}

/**
 * Line i of the file: the chains follow each other through the file (host h's chain takes the
 * h-th stretch of it, its lines far apart between the other hosts' noise), everything else is
 * noise on a host chosen by the index.
 */
export function flatLine(o: FlatFileOptions, i: number): string {
  const stride = Math.floor(o.events / (o.hosts * CHAIN_LINES));
  if (stride >= 1 && i % stride === 0) {
    const c = i / stride;
    if (c < o.hosts * CHAIN_LINES) {
      const h = Math.floor(c / CHAIN_LINES);
      const k = c % CHAIN_LINES;
      return chainLine(h + 1, k, o.time(i));
    }
  }
  return noiseLine(i, 1 + (i % o.hosts), o.time(i));
}

/** Writes the file with its lines in the order `order(k)` gives (identity when absent). */
export function writeFlatFile(path: string, o: FlatFileOptions, order?: (k: number) => number): void {
  const fd = openSync(path, 'w');
  let buf: string[] = [];
  for (let k = 0; k < o.events; k++) {
    buf.push(flatLine(o, order ? order(k) : k));
    if (buf.length === 4096) {
      writeSync(fd, `${buf.join('\n')}\n`);
      buf = [];
    }
  }
  if (buf.length) writeSync(fd, `${buf.join('\n')}\n`);
  closeSync(fd);
}

/** A seeded permutation of 0..n-1 (Fisher-Yates on mulberry32). */
export function permutation(n: number, seed: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  let a = seed >>> 0;
  const r = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    const x = p[i];
    p[i] = p[j];
    p[j] = x;
  }
  return p;
}
