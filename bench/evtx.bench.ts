// EVTX reader throughput and memory. A large file is generated with the test writer (realistic
// Sysmon and Security shapes), then read three ways in one run: our stream reader (records ->
// WinRecord), the full `evtx` decoder (-> normalized events), and the baseline
// `evtxexport -f xml` (libevtx) on the same file. Peak RSS is measured in child processes at
// two file sizes: it must stay flat as the file grows.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evtx } from '../src/ingest/windows/evtx/decoder.ts';
import { EvtxStream } from '../src/ingest/windows/evtx/stream.ts';
import { evtxChunks, fileHeader, type WriterEvent } from '../src/ingest/windows/evtx/writer.ts';
import type { RatEvent } from '../src/model/event.ts';
import type { Benchmark, BenchRow } from './row.ts';

const MB = 1e6;
const GENERATOR_VERSION = 3;

/** Deterministic, cheap pseudo-random source for the generator. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const IMAGES = [
  'C:\\Windows\\System32\\svchost.exe',
  'C:\\Windows\\System32\\cmd.exe',
  'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  'C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Windows\\explorer.exe',
];

function* benchEvents(count: number): Generator<WriterEvent> {
  const r = lcg(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const guid = () =>
    `{365ABB72-${(0x1000 + Math.floor(r() * 0xefff)).toString(16).toUpperCase()}-5CC9-0000-0010${Math.floor(
      r() * 0xffffffff,
    )
      .toString(16)
      .toUpperCase()
      .padStart(8, '0')}}`;
  const t0 = Date.UTC(2024, 0, 1);
  for (let i = 1; i <= count; i++) {
    const time = t0 + i * 137;
    const kind = r();
    const base = { recordId: i, time, computer: 'WS-0042.corp.example.com', userSid: 'S-1-5-18' };
    const utc = new Date(time).toISOString().replace('T', ' ').slice(0, 23);
    if (kind < 0.45) {
      const image = pick(IMAGES);
      yield {
        ...base,
        eventId: 1,
        provider: 'Microsoft-Windows-Sysmon',
        embedEventData: true,
        channel: 'Microsoft-Windows-Sysmon/Operational',
        data: [
          ['RuleName', '-'],
          ['UtcTime', utc],
          ['ProcessGuid', { type: 'guid', value: guid() }],
          ['ProcessId', { type: 'u32', value: Math.floor(r() * 20000) }],
          ['Image', image],
          ['FileVersion', '10.0.19041.1 (WinBuild.160101.0800)'],
          ['Description', 'Windows Command Processor'],
          ['Product', 'Microsoft® Windows® Operating System'],
          ['Company', 'Microsoft Corporation'],
          ['OriginalFileName', 'Cmd.Exe'],
          ['CommandLine', `"${image}" /c echo ${Math.floor(r() * 1e9)} > C:\\Users\\Public\\out.txt`],
          ['CurrentDirectory', 'C:\\Users\\alice\\'],
          ['User', 'CORP\\alice'],
          ['LogonGuid', { type: 'guid', value: guid() }],
          ['LogonId', { type: 'hex64', value: BigInt(Math.floor(r() * 0xffffff)) }],
          ['TerminalSessionId', { type: 'u32', value: 1 }],
          ['IntegrityLevel', 'Medium'],
          [
            'Hashes',
            `SHA256=${Math.floor(r() * 1e15)
              .toString(16)
              .padStart(64, 'A')}`,
          ],
          ['ParentProcessGuid', { type: 'guid', value: guid() }],
          ['ParentProcessId', { type: 'u32', value: Math.floor(r() * 20000) }],
          ['ParentImage', pick(IMAGES)],
          ['ParentCommandLine', 'C:\\Windows\\Explorer.EXE'],
        ],
      };
    } else if (kind < 0.75) {
      yield {
        ...base,
        eventId: 3,
        provider: 'Microsoft-Windows-Sysmon',
        embedEventData: true,
        channel: 'Microsoft-Windows-Sysmon/Operational',
        data: [
          ['RuleName', '-'],
          ['UtcTime', utc],
          ['ProcessGuid', { type: 'guid', value: guid() }],
          ['ProcessId', { type: 'u32', value: Math.floor(r() * 20000) }],
          ['Image', pick(IMAGES)],
          ['User', 'NT AUTHORITY\\SYSTEM'],
          ['Protocol', 'tcp'],
          ['Initiated', { type: 'bool', value: 1 }],
          ['SourceIsIpv6', { type: 'bool', value: 0 }],
          ['SourceIp', '10.0.0.42'],
          ['SourceHostname', 'WS-0042.corp.example.com'],
          ['SourcePort', { type: 'u16', value: 49152 + Math.floor(r() * 16000) }],
          ['SourcePortName', '-'],
          ['DestinationIsIpv6', { type: 'bool', value: 0 }],
          [
            'DestinationIp',
            `${Math.floor(r() * 223) + 1}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`,
          ],
          ['DestinationHostname', 'relay-1.net.anydesk.com'],
          ['DestinationPort', { type: 'u16', value: 443 }],
          ['DestinationPortName', 'https'],
        ],
      };
    } else {
      yield {
        ...base,
        eventId: 4688,
        provider: 'Microsoft-Windows-Security-Auditing',
        channel: 'Security',
        data: [
          ['SubjectUserSid', { type: 'sid', value: 'S-1-5-21-1587066498-1489273250-1035260531-1106' }],
          ['SubjectUserName', 'alice'],
          ['SubjectDomainName', 'CORP'],
          ['SubjectLogonId', { type: 'hex64', value: 0x3e7n }],
          ['NewProcessId', { type: 'hex64', value: BigInt(Math.floor(r() * 20000)) }],
          ['NewProcessName', pick(IMAGES)],
          ['TokenElevationType', '%%1936'],
          ['ProcessId', { type: 'hex64', value: BigInt(Math.floor(r() * 20000)) }],
          ['CommandLine', `cmd.exe /c whoami ${Math.floor(r() * 1e6)}`],
          ['TargetUserSid', { type: 'sid', value: 'S-1-0-0' }],
          ['TargetUserName', '-'],
          ['TargetDomainName', '-'],
          ['TargetLogonId', { type: 'hex64', value: 0n }],
          ['ParentProcessName', pick(IMAGES)],
          ['MandatoryLabel', { type: 'sid', value: 'S-1-16-12288' }],
        ],
      };
    }
  }
}

/** Generates (once, then reuses) a file of about `bytes` bytes; returns its path. */
function generate(workDir: string, bytes: number): string {
  const chunks = Math.max(1, Math.round(bytes / 65536));
  const path = join(workDir, `evtx-v${GENERATOR_VERSION}-${chunks}.evtx`);
  if (existsSync(path) && statSync(path).size === 4096 + chunks * 65536) return path;
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, Buffer.alloc(4096));
    let written = 0;
    let lastId = 0;
    // Records needed is not known in advance: generate until the chunk count is reached.
    for (const c of evtxChunks(benchEvents(Number.MAX_SAFE_INTEGER))) {
      writeSync(fd, c);
      lastId = Number(c.readBigUInt64LE(32));
      if (++written === chunks) break;
    }
    writeSync(fd, fileHeader(chunks, lastId + 1), 0, 4096, 0);
  } finally {
    closeSync(fd);
  }
  return path;
}

/** Reads `path` through the stream reader; returns records, problems and seconds. */
async function readCore(path: string): Promise<{ records: number; problems: number; seconds: number }> {
  let records = 0;
  let problems = 0;
  const s = new EvtxStream({
    record() {
      records++;
    },
    problem() {
      problems++;
    },
  });
  const t0 = performance.now();
  for await (const piece of createReadStream(path, { highWaterMark: 1 << 18 })) s.write(piece as Buffer);
  s.end();
  return { records, problems, seconds: (performance.now() - t0) / 1000 };
}

/** Reads `path` through the registered `evtx` format to normalized events. */
async function readFull(path: string): Promise<{ events: number; seconds: number }> {
  let events = 0;
  const ctx = {
    file: path,
    problem() {},
    emit(_e: RatEvent) {
      events++;
    },
    ignored() {},
  };
  const dec = evtx.decoder(ctx);
  if (dec.mode !== 'chunks') throw new Error('evtx decoder must take chunks');
  const t0 = performance.now();
  for await (const piece of createReadStream(path, { highWaterMark: 1 << 18 })) dec.write(piece as Buffer);
  dec.end();
  return { events, seconds: (performance.now() - t0) / 1000 };
}

function evtxexportSeconds(path: string): number | undefined {
  if (spawnSync('evtxexport', ['-V']).status !== 0) return undefined;
  const devnull = openSync('/dev/null', 'w');
  try {
    const t0 = performance.now();
    const r = spawnSync('evtxexport', ['-f', 'xml', path], { stdio: ['ignore', devnull, devnull] });
    if (r.status !== 0) return undefined;
    return (performance.now() - t0) / 1000;
  } finally {
    closeSync(devnull);
  }
}

/** Peak RSS (bytes) of a fresh process that reads `path` (or, without a path, only loads the reader). */
function childPeakRss(path?: string): Promise<number> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', self, '--rss', ...(path ? [path] : [])], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /maxRss=(\d+)/.exec(out);
      if (code !== 0 || !m) reject(new Error(`rss child failed (${code}): ${out}`));
      else resolve(Number(m[1]) * 1024);
    });
  });
}

const bench: Benchmark = async ({ scale, workDir }) => {
  const small = generate(workDir, 10 * MB * scale);
  const large = generate(workDir, 100 * MB * scale);
  const bytes = statSync(large).size;

  await readCore(small); // warm up the JIT
  // The machine is shared: best of three runs is the reader's speed, the median its typical one.
  const cores = [await readCore(large), await readCore(large), await readCore(large)].sort(
    (a, b) => a.seconds - b.seconds,
  );
  const fulls = [await readFull(large), await readFull(large), await readFull(large)].sort(
    (a, b) => a.seconds - b.seconds,
  );
  const core = cores[0];
  const full = fulls[0];
  const base = evtxexportSeconds(large);
  const rssIdle = await childPeakRss();
  const rssSmall = await childPeakRss(small);
  const rssLarge = await childPeakRss(large);

  const rows: BenchRow[] = [
    {
      name: 'evtx reader (records -> WinRecord)',
      bytes,
      events: core.records,
      seconds: core.seconds,
      baseline: base === undefined ? undefined : 'evtxexport -f xml',
      baselineSeconds: base,
      ratio: base === undefined ? undefined : base / core.seconds,
      peakRss: rssLarge,
      extra: {
        rss_small_MB: (rssSmall / MB).toFixed(1),
        small_MB: (statSync(small).size / MB).toFixed(0),
        rss_growth: (rssLarge / rssSmall).toFixed(2),
        // What reading adds over a process that only loaded node, tsx and the reader.
        rss_idle_MB: (rssIdle / MB).toFixed(1),
        reader_MB_small: ((rssSmall - rssIdle) / MB).toFixed(1),
        reader_MB_large: ((rssLarge - rssIdle) / MB).toFixed(1),
        problems: core.problems,
        median_MB_s: (bytes / MB / cores[1].seconds).toFixed(1),
      },
    },
    {
      name: 'evtx decoder (-> normalized events)',
      bytes,
      events: full.events,
      seconds: full.seconds,
      baseline: base === undefined ? undefined : 'evtxexport -f xml',
      baselineSeconds: base,
      ratio: base === undefined ? undefined : base / full.seconds,
      extra: { median_MB_s: (bytes / MB / fulls[1].seconds).toFixed(1) },
    },
  ];
  return rows;
};

export default bench;

// Child mode for the RSS measurement: read the file, print peak RSS (KiB), exit.
if (process.argv[2] === '--rss') {
  const r = process.argv[3] ? await readCore(process.argv[3]) : { records: 0 };
  process.stdout.write(`records=${r.records} maxRss=${process.resourceUsage().maxRSS}\n`);
}
