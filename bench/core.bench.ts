// Hunts over large Winlogbeat NDJSON files (the CLI, whole process) against a bare
// read-and-JSON.parse-every-line process over the same file, and peak RSS at 1x and 16x the
// input (the same hosts over sixteen times the days: state expires with event time, so RSS must
// not grow with the input), with and without a 128 MB heap cap.
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cli, huntRow, mustRun, ROOT } from './process.ts';
import type { Benchmark, BenchRow } from './row.ts';

/** The goals: beat parsing everything; memory flat in the input. */
const MIXED_GOAL = 0.67;
const USED_GOAL = 1;
const RSS_GROWTH_GOAL = 1.2;
const HEAP_CAP_MB = 128;

/**
 * Where the generated inputs start. The 16x file spans about a year: it must lie in the past
 * wherever the clock stands, or the hunt quarantines what is dated more than a day ahead of the
 * machine (the first version started 2026-11-02, and from December 2026 on the 16x hunt read
 * a twelfth of its file). Bump INPUT_VERSION when the generated content changes.
 */
const INPUT_START = '2024-01-01T08:00:00Z';
const INPUT_VERSION = 2;

/** Amplifies the shipped background example: many hosts, time moving forward. */
/**
 * Sysmon events the analytic does not use (process access, image load), as many as the used ones:
 * real Sysmon logs are mostly these (the OTRF datasets: about three in four records).
 */
// biome-ignore lint/suspicious/noExplicitAny: a Winlogbeat document, edited field by field
type Doc = Record<string, any>;

function noise(like: Doc): Doc[] {
  const base = JSON.parse(JSON.stringify(like));
  const access = JSON.parse(JSON.stringify(base));
  access.winlog.event_id = '10';
  access.event.code = '10';
  access.winlog.event_data = {
    RuleName: '-',
    UtcTime: '',
    SourceProcessGUID: '{00000000-0000-0000-0000-000000000000}',
    SourceProcessId: '1234',
    SourceThreadId: '5678',
    SourceImage: 'C:\\Windows\\system32\\svchost.exe',
    TargetProcessGUID: '{00000000-0000-0000-0000-000000000001}',
    TargetProcessId: '912',
    TargetImage: 'C:\\Windows\\system32\\lsass.exe',
    GrantedAccess: '0x1000',
    CallTrace:
      'C:\\Windows\\SYSTEM32\\ntdll.dll+9d234|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|UNKNOWN(00007FF8)',
  };
  const load = JSON.parse(JSON.stringify(base));
  load.winlog.event_id = '7';
  load.event.code = '7';
  load.winlog.event_data = {
    RuleName: '-',
    UtcTime: '',
    ProcessGuid: '{00000000-0000-0000-0000-000000000002}',
    ProcessId: '4410',
    Image: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    ImageLoaded: 'C:\\Windows\\System32\\crypt32.dll',
    FileVersion: '10.0.19041.1',
    Description: 'Crypto API32',
    Product: 'Microsoft® Windows® Operating System',
    Company: 'Microsoft Corporation',
    OriginalFileName: 'CRYPT32.DLL',
    Hashes: 'SHA256=8F2C0C4F7E5B1A2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A6978879600',
    Signed: 'true',
    Signature: 'Microsoft Windows',
    SignatureStatus: 'Valid',
  };
  return [access, load];
}

async function makeInput(file: string, targetBytes: number, withNoise: boolean): Promise<void> {
  if (existsSync(file) && statSync(file).size >= targetBytes) return;
  const used = readFileSync(join(ROOT, 'examples/windows/background-winlogbeat.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const docs = withNoise ? used.flatMap((d, i) => [d, noise(d)[i % 2]]) : used;
  const times = docs.map((d) => Date.parse(d['@timestamp']) - Date.parse('2026-11-02T08:58:00Z'));
  const base = Date.parse(INPUT_START);
  const out = createWriteStream(file);
  let written = 0;
  for (let copy = 0; written < targetBytes; copy++) {
    const host = `WS-${String(copy % 500).padStart(4, '0')}.corp.example`;
    // Each copy spans 33 minutes; start the next after it so the file is in time order.
    const shift = copy * 2_100_000;
    for (const [i, d] of docs.entries()) {
      const t = new Date(times[i] + base + shift).toISOString();
      d['@timestamp'] = t;
      d.winlog.computer_name = host;
      d.host.name = host;
      d.winlog.record_id++;
      const ed = d.winlog.event_data;
      if (ed.ProcessGuid)
        ed.ProcessGuid = ed.ProcessGuid.replace(
          /^\{[0-9a-f]{8}/,
          `{${(copy >>> 0).toString(16).padStart(8, '0')}`,
        );
      if (ed.UtcTime !== undefined) ed.UtcTime = t.replace('T', ' ').replace('Z', '');
      const line = `${JSON.stringify(d)}\n`;
      written += line.length;
      if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  }
  await new Promise<void>((r) => out.end(() => r()));
}

function rssGrowthRow(name: string, f1: string, f16: string, env?: NodeJS.ProcessEnv): BenchRow {
  const r1 = mustRun(cli('hunt', '-q', f1), { env });
  const r16 = mustRun(cli('hunt', '-q', f16), { env });
  const growth = r16.maxRss / r1.maxRss;
  return {
    name,
    bytes: statSync(f16).size,
    seconds: r16.wall,
    cpuSeconds: r16.cpu,
    baseline: 'the same hunt of 1x',
    baselineSeconds: r1.wall,
    figure: `x${growth.toFixed(2)} peak RSS`,
    goal: `<= x${RSS_GROWTH_GOAL}`,
    met: growth <= RSS_GROWTH_GOAL,
    peakRss: r16.maxRss,
    extra: { rss_1x_MB: (r1.maxRss / 1e6).toFixed(0) },
  };
}

const bench: Benchmark = async ({ scale, workDir }) => {
  const size1 = Math.round(20e6 * scale);
  // The realistic mix (half the records are Sysmon events the analytic does not use) at 1x and
  // 16x, and the worst case: every record one the engine uses.
  const f1 = join(workDir, `winlogbeat-mixed-v${INPUT_VERSION}-${size1}.ndjson`);
  const f16 = join(workDir, `winlogbeat-mixed-v${INPUT_VERSION}-${size1 * 16}.ndjson`);
  const fUsed = join(workDir, `winlogbeat-v${INPUT_VERSION}-${size1}.ndjson`);
  await makeInput(f1, size1, true);
  await makeInput(f16, size1 * 16, true);
  await makeInput(fUsed, size1, false);
  return [
    huntRow({
      name: 'hunt winlogbeat NDJSON, half unused Sysmon',
      files: [f1],
      lines: 'json',
      goal: MIXED_GOAL,
    }),
    huntRow({
      name: 'hunt winlogbeat NDJSON, every record used',
      files: [fUsed],
      lines: 'json',
      goal: USED_GOAL,
    }),
    rssGrowthRow('peak RSS at 16x the input (same hosts, more days)', f1, f16),
    // Under a heap cap the hunt must still finish: live state is bounded, V8 just grows the heap
    // further when it may.
    rssGrowthRow(`same, node --max-old-space-size=${HEAP_CAP_MB}`, f1, f16, {
      NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MB}`,
    }),
  ];
};

export default bench;
