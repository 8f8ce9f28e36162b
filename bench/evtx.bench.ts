// EVTX: `hunt` (the CLI, whole process) against `evtxexport -f xml` (libevtx), each a process
// of its own on the same file. One large file generated with the project's EVTX writer
// (realistic Sysmon and Security shapes), and the real EVTX files of ../shared/data hunted in
// one run against one evtxexport per file (there start-up is most of the cost).
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { evtxChunks, fileHeader, type WriterEvent } from '../src/simulate/evtx/binary-writer.ts';
import { benchRuns, cli, mustRun, ROOT, runProcess, versus } from './process.ts';
import { type Benchmark, type BenchRow, skippedRow } from './row.ts';

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

const EVTXEXPORT_GOAL = 4;
const SMALL_FILES = 49;
const REAL_DATA = join(ROOT, '..', 'shared', 'data');

function hasEvtxexport(): boolean {
  return spawnSync('evtxexport', ['-V']).status === 0;
}

/** Every .evtx file under `dir`, sorted. */
function evtxFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...evtxFiles(p));
    else if (e.name.endsWith('.evtx')) out.push(p);
  }
  return out.sort();
}

const huntFiles = (files: string[]) => () => mustRun(cli('hunt', '-q', ...files));

async function largeRow(workDir: string, scale: number): Promise<BenchRow> {
  const name = `hunt ${Math.round(110 * scale)} MB EVTX (generated Sysmon + Security)`;
  const goal = `>= ${EVTXEXPORT_GOAL}x faster than evtxexport -f xml`;
  if (!hasEvtxexport()) return skippedRow(name, goal, 'evtxexport not installed (libevtx-utils)');
  const small = generate(workDir, 10 * MB * scale);
  const large = generate(workDir, 110 * MB * scale);
  const c = versus(
    huntFiles([large]),
    () => mustRun(['evtxexport', '-f', 'xml', large], {}, [0]),
    benchRuns(),
  );
  const rssSmall = runProcess(cli('hunt', '-q', small)).maxRss;
  const speedup = 1 / c.wallRatio;
  return {
    name,
    bytes: statSync(large).size,
    seconds: c.subject.wall,
    cpuSeconds: c.subject.cpu,
    baseline: 'evtxexport -f xml',
    baselineSeconds: c.baseline.wall,
    figure: `${speedup.toFixed(2)}x faster`,
    goal,
    met: speedup >= EVTXEXPORT_GOAL,
    peakRss: c.subject.maxRss,
    extra: {
      MB_s: (statSync(large).size / MB / c.subject.wall).toFixed(1),
      cpu_ratio: (1 / c.cpuRatio).toFixed(2),
      rss_at_10MB: (rssSmall / MB).toFixed(0),
    },
  };
}

async function smallRow(workDir: string): Promise<BenchRow> {
  const name = `hunt ${SMALL_FILES} small real EVTX files in one run`;
  const goal = `<= 1x the CPU of ${SMALL_FILES} evtxexport runs`;
  if (!hasEvtxexport()) return skippedRow(name, goal, 'evtxexport not installed (libevtx-utils)');
  if (!existsSync(REAL_DATA)) return skippedRow(name, goal, `${REAL_DATA} absent`);
  const real = evtxFiles(REAL_DATA);
  if (!real.length) return skippedRow(name, goal, `no .evtx under ${REAL_DATA}`);
  // The real files repeated to the count, each copy its own path, in the bench's scratch folder
  // (never committed).
  const dir = join(workDir, 'evtx-real');
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < SMALL_FILES; i++) {
    const src = real[i % real.length];
    const dst = join(dir, `${String(i).padStart(2, '0')}-${src.split('/').pop()}`);
    if (!existsSync(dst)) copyFileSync(src, dst);
    files.push(dst);
  }
  const each = [
    'sh',
    '-c',
    'for f in "$@"; do evtxexport -f xml "$f" >/dev/null || exit 1; done',
    'sh',
    ...files,
  ];
  const c = versus(huntFiles(files), () => mustRun(each, {}, [0]), benchRuns());
  return {
    name,
    bytes: files.reduce((n, f) => n + statSync(f).size, 0),
    seconds: c.subject.wall,
    cpuSeconds: c.subject.cpu,
    baseline: `${SMALL_FILES} x evtxexport -f xml`,
    baselineSeconds: c.baseline.wall,
    figure: `${c.cpuRatio.toFixed(2)}x the CPU`,
    goal,
    met: c.cpuRatio <= 1,
    peakRss: c.subject.maxRss,
    extra: { distinct_files: real.length, baseline_cpu_s: c.baseline.cpu.toFixed(2) },
  };
}

/** BENCH_EVTX_ROW=small (or large) runs that row alone: the large one takes minutes. */
const bench: Benchmark = async ({ scale, workDir }) => {
  const only = process.env.BENCH_EVTX_ROW;
  return [
    ...(only === 'small' ? [] : [await largeRow(workDir, scale)]),
    ...(only === 'large' ? [] : [await smallRow(workDir)]),
  ];
};

export default bench;
