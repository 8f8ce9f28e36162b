// Issue 2's benchmark: hunts over large Winlogbeat NDJSON files, as a ratio to a bare
// read-and-JSON.parse loop over the same file, and peak RSS at 1x and 10x the input (RSS must
// not grow with input size: state expires with event time).
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark, BenchRow } from './row.ts';

const ROOT = new URL('..', import.meta.url).pathname;

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
  const base = Date.parse('2026-11-02T08:00:00Z');
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

function child(script: string, file: string, nodeArgs: string[] = []): Record<string, number> {
  const out = execFileSync(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', join(ROOT, 'bench/children', script), file],
    {
      cwd: ROOT,
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.toString());
}

const bench: Benchmark = async ({ scale, workDir }) => {
  const rows: BenchRow[] = [];
  const size1 = Math.round(40e6 * scale);
  // The realistic mix (half the records are Sysmon events the analytic does not use) at 1x and
  // 10x, and the worst case: every record one the engine uses.
  const f1 = join(workDir, `winlogbeat-mixed-${size1}.ndjson`);
  const f10 = join(workDir, `winlogbeat-mixed-${size1 * 10}.ndjson`);
  const fUsed = join(workDir, `winlogbeat-${size1}.ndjson`);
  await makeInput(f1, size1, true);
  await makeInput(f10, size1 * 10, true);
  await makeInput(fUsed, size1, false);
  const base = child('parse.ts', f1);
  const h1 = child('hunt.ts', f1);
  const h10 = child('hunt.ts', f10);
  // The same hunts under a 128 MB heap cap: live state is bounded; without a cap V8 simply
  // lets the heap grow further on longer runs.
  const c1 = child('hunt.ts', f1, ['--max-old-space-size=128']);
  const c10 = child('hunt.ts', f10, ['--max-old-space-size=128']);
  const baseUsed = child('parse.ts', fUsed);
  const hUsed = child('hunt.ts', fUsed);
  rows.push({
    name: 'hunt winlogbeat NDJSON, half unused Sysmon (1x)',
    bytes: h1.bytes,
    events: h1.events,
    seconds: h1.seconds,
    baseline: 'read+JSON.parse loop',
    baselineSeconds: base.seconds,
    ratio: base.seconds / h1.seconds,
    peakRss: h1.maxRssBytes,
    extra: { findings: h1.findings, baselineRssMB: Math.round(base.maxRssBytes / 1e6) },
  });
  rows.push({
    name: 'hunt winlogbeat NDJSON, half unused Sysmon (10x)',
    bytes: h10.bytes,
    events: h10.events,
    seconds: h10.seconds,
    peakRss: h10.maxRssBytes,
    extra: { rssRatio10xTo1x: Number((h10.maxRssBytes / h1.maxRssBytes).toFixed(2)) },
  });
  rows.push({
    name: 'same, 10x, node --max-old-space-size=128',
    bytes: c10.bytes,
    events: c10.events,
    seconds: c10.seconds,
    peakRss: c10.maxRssBytes,
    extra: {
      rssAt1xMB: Math.round(c1.maxRssBytes / 1e6),
      rssRatio10xTo1x: Number((c10.maxRssBytes / c1.maxRssBytes).toFixed(2)),
    },
  });
  rows.push({
    name: 'hunt winlogbeat NDJSON, every record used (1x)',
    bytes: hUsed.bytes,
    events: hUsed.events,
    seconds: hUsed.seconds,
    baseline: 'read+JSON.parse loop',
    baselineSeconds: baseUsed.seconds,
    ratio: baseUsed.seconds / hUsed.seconds,
    peakRss: hUsed.maxRssBytes,
  });
  return rows;
};

export default bench;
