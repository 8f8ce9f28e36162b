// Fuzzing every format the readers accept (`ratchain formats`), in-process: a valid input per
// format, mutated (cut short, bytes flipped, lines dropped, doubled and swapped, huge fields,
// terminal escapes, regex-hostile text, values of the wrong type), is sniffed and decoded by that
// format's reader through the same line framing a hunt uses, and its events go through an engine.
// Nothing may throw, every problem names a position, every event has a numeric time. The count
// per format is printed. RATCHAIN_ABUSE_FUZZ sets the inputs per format (10,000 by default).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { createEngine } from '../../src/engine/engine.ts';
import { FORMATS } from '../../src/ingest/formats.ts';
import { createLineSplitter } from '../../src/ingest/line-splitter.ts';
import type { DecodeContext, Format, Position } from '../../src/ingest/reader.ts';
import { MAX_LINE_BYTES, sniffFormat } from '../../src/ingest/source.ts';
import type { RatEvent } from '../../src/model/event.ts';
import { type WriterEvent, writeEvtx } from '../../src/simulate/evtx/binary-writer.ts';
import { type Rng, randomEvents, rng } from '../ingest/windows/evtx/random-events.ts';
import { auomsExecve, syslogRow, vmConnectionRow } from '../support/azure-rows.ts';
import { REPO_ROOT } from '../support/data.ts';

const PER_FORMAT = Number(process.env.RATCHAIN_ABUSE_FUZZ ?? 10_000);
/** One input in this many carries a 1 MB field (the others at most 64 KiB): the hostile-size case without making the run slow. */
const HUGE_EVERY = 500;

const fixture = (p: string) => readFileSync(join(REPO_ROOT, p));

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
/** A small Sysmon chain in EVTX, written by the project's EVTX writer (plus random records). */
function sysmonEvtx(): Buffer {
  const t0 = Date.parse('2026-01-05T10:00:00Z');
  const guid = '{11111111-2222-3333-4444-555555555555}';
  const image = 'C:\\Users\\bob\\Downloads\\AnyDesk.exe';
  const sysmon = (i: number, eventId: number, data: Array<[string, string]>): WriterEvent => ({
    recordId: i + 1,
    time: t0 + i * 1000,
    eventId,
    provider: 'Microsoft-Windows-Sysmon',
    channel: SYSMON,
    computer: 'WS01.corp.example',
    data: [['UtcTime', new Date(t0 + i * 1000).toISOString().replace('T', ' ').slice(0, 23)], ...data],
    embedEventData: true,
  });
  const events: WriterEvent[] = [
    sysmon(0, 1, [
      ['ProcessGuid', guid],
      ['ProcessId', '4242'],
      ['Image', image],
      ['CommandLine', `"${image}"`],
      ['User', 'CORP\\bob'],
      ['ParentImage', 'C:\\Windows\\explorer.exe'],
      ['ParentProcessGuid', '{00000000-0000-0000-0000-000000000001}'],
    ]),
    sysmon(1, 13, [
      ['EventType', 'SetValue'],
      ['ProcessGuid', guid],
      ['Image', image],
      ['TargetObject', 'HKLM\\System\\CurrentControlSet\\Services\\AnyDesk\\ImagePath'],
      ['Details', image],
    ]),
    ...Array.from({ length: 6 }, (_, k) =>
      sysmon(2 + k, 3, [
        ['ProcessGuid', guid],
        ['Image', image],
        ['Protocol', 'tcp'],
        ['Initiated', 'true'],
        ['SourceIp', '10.0.0.5'],
        ['SourcePort', String(50000 + k)],
        ['DestinationIp', '203.0.113.7'],
        ['DestinationPort', '443'],
      ]),
    ),
    sysmon(8, 1, [
      ['ProcessGuid', '{11111111-2222-3333-4444-666666666666}'],
      ['ProcessId', '4343'],
      ['Image', 'C:\\Windows\\System32\\cmd.exe'],
      ['CommandLine', 'cmd.exe /c whoami'],
      ['ParentImage', image],
      ['ParentProcessGuid', guid],
    ]),
  ];
  return writeEvtx([
    ...events,
    ...randomEvents(rng(7), 20).map((e, i) => ({ ...e, recordId: events.length + i + 1 })),
  ]);
}

const vmRow = (i: number) =>
  vmConnectionRow({
    TimeGenerated: `2026-01-05T10:0${i % 10}:00.000Z`,
    Direction: i % 2 ? 'outbound' : 'inbound',
    ConnectionId: `C${i}`,
  });

const syslog = (i: number, msg: string) => syslogRow(msg, 'UBUNTU9', `2026-01-05T10:0${i % 10}:00Z`);

const auoms = (i: number, rest: string) => auomsExecve(i, rest, 1767607200);

/** A valid input of each format: the project's hand-written fixtures, or built here. */
const SEEDS: Record<string, () => Buffer> = {
  evtx: sysmonEvtx,
  'windows-json': () => fixture('test/fixtures/windows/winlogbeat-screenconnect.ndjson'),
  'event-xml': () => fixture('test/fixtures/windows/sysmon-anydesk.xml'),
  auditd: () => fixture('test/fixtures/linux/relay-agent.audit.log'),
  'journald-json': () => fixture('test/fixtures/linux-formats/app07.journal.json'),
  'linux-syslog-json': () =>
    Buffer.from(
      [
        syslog(
          1,
          auoms(
            10,
            'node=WEB1 ppid=100 pid=200 user=tomcat uid=1001 exe="/bin/bash" argc=3 cmdline="bash -c "id""',
          ),
        ),
        syslog(
          2,
          auoms(11, 'node=WEB1 ppid=200 pid=201 user=tomcat uid=1001 exe="/usr/bin/id" argc=1 cmdline="id"'),
        ),
        syslog(3, 'Jan  5 10:03:00 cron[77]: (root) CMD (run-parts /etc/cron.hourly)'),
      ].join('\n'),
    ),
  'sysmon-linux': () => fixture('test/fixtures/linux/sysmon-linux.syslog'),
  zeek: () => fixture('test/fixtures/network/linux-hosts.conn.log'),
  vmconnection: () => Buffer.from(Array.from({ length: 12 }, (_, i) => vmRow(i)).join('\n')),
  eslogger: () => fixture('test/fixtures/macos/full-chain.eslogger.ndjson'),
  'elastic-endpoint': () => fixture('test/fixtures/macos/elastic-endpoint.ndjson'),
  osquery: () => fixture('test/fixtures/macos/full-chain.osquery.log'),
};

const int = (r: Rng, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)];

/** Text aimed at backtracking regexes, naive parsers and terminals. */
const HOSTILE = [
  '\x1b]0;owned\x07',
  '\x1b[2J\x1b[H',
  '\x1b[31m',
  '\u0000',
  '\uFFFD',
  '\u202E',
  '<Data>'.repeat(64),
  '<Data Name="x">'.repeat(32),
  '"'.repeat(200),
  '\\'.repeat(200),
  `${'a'.repeat(500)}!`,
  `${'a '.repeat(500)}!`,
  '[['.repeat(400),
  '{"a":'.repeat(400),
  'type=SYSCALL msg=audit(',
  '%00%ZZ%',
  '\t\t\t\t',
  '=\'"\'"=',
  'C:\\Users\\'.repeat(100),
  '/tmp/'.repeat(100),
  '1e999',
  '-1',
  '18446744073709551616',
  'null',
  '[]',
  '{}',
];

function hugeField(r: Rng, huge: boolean): string {
  const n = huge ? 1 << 20 : 1024 + int(r, 64 << 10);
  const unit = pick(r, ['A', '<Data>', 'a ', '\\', '"', 'x=', '%', '\x1b[']);
  return unit.repeat(Math.ceil(n / unit.length));
}

function insertAt(buf: Buffer, at: number, what: string | Buffer): Buffer {
  const b = typeof what === 'string' ? Buffer.from(what) : what;
  return Buffer.concat([buf.subarray(0, at), b, buf.subarray(at)]);
}

function lines(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let s = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, s)) {
    out.push(buf.subarray(s, i + 1));
    s = i + 1;
  }
  if (s < buf.length) out.push(buf.subarray(s));
  return out;
}

/** A JSON line with one value replaced by something of another type or size. */
function confuseJson(r: Rng, line: string): string | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  const odd = [null, 0, -1, 1e308, '', [], {}, true, 'x'.repeat(4096), '\x1b]0;t\x07', { $: [1] }];
  const walk = (x: unknown, depth: number): unknown => {
    if (Array.isArray(x)) return x.map((y) => walk(y, depth + 1));
    if (x && typeof x === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, y] of Object.entries(x)) o[k] = r() < 0.1 ? pick(r, odd) : walk(y, depth + 1);
      return o;
    }
    return x;
  };
  return JSON.stringify(walk(v, 0));
}

export const MUTATIONS = [
  'truncate',
  'flip',
  'overwrite',
  'huge-field',
  'hostile-text',
  'drop-lines',
  'dup-lines',
  'swap-lines',
  'type-confusion',
  'splice',
] as const;
type Mutation = (typeof MUTATIONS)[number];

function mutate(r: Rng, seed: Buffer, kind: Mutation, huge: boolean): Buffer {
  const at = int(r, seed.length + 1);
  switch (kind) {
    case 'truncate':
      return seed.subarray(0, at);
    case 'flip': {
      const out = Buffer.from(seed);
      for (let i = 1 + int(r, 8); i > 0; i--) out[int(r, out.length)] ^= 1 << int(r, 8);
      return out;
    }
    case 'overwrite': {
      const out = Buffer.from(seed);
      for (let i = 1 + int(r, 8); i > 0; i--)
        out[int(r, out.length)] = pick(r, [0, 0x0a, 0x22, 0x3c, 0x5c, 0x7b, 0xff, 0x80, 0x1b]);
      return out;
    }
    case 'huge-field':
      return insertAt(seed, at, hugeField(r, huge));
    case 'hostile-text': {
      let out = seed;
      for (let i = 1 + int(r, 4); i > 0; i--) out = insertAt(out, int(r, out.length + 1), pick(r, HOSTILE));
      return out;
    }
    case 'drop-lines':
      return Buffer.concat(lines(seed).filter(() => r() > 0.3));
    case 'dup-lines':
      return Buffer.concat(lines(seed).flatMap((l) => (r() < 0.2 ? [l, l, l] : [l])));
    case 'swap-lines': {
      const ls = lines(seed);
      for (let i = ls.length - 1; i > 0; i--) {
        if (r() < 0.3) {
          const j = int(r, i + 1);
          [ls[i], ls[j]] = [ls[j], ls[i]];
        }
      }
      return Buffer.concat(ls);
    }
    case 'type-confusion': {
      const ls = lines(seed);
      return Buffer.concat(
        ls.map((l) => {
          if (r() > 0.3) return l;
          const c = confuseJson(r, l.toString('utf8').trimEnd());
          return c === undefined ? l : Buffer.from(`${c}\n`);
        }),
      );
    }
    case 'splice': {
      // A piece of the input pasted elsewhere: a record cut in two with another inside.
      const from = int(r, seed.length);
      const piece = seed.subarray(from, from + int(r, 2048));
      return insertAt(seed, at, piece);
    }
  }
}

interface Outcome {
  events: RatEvent[];
  problems: Array<{ message: string } & Position>;
}

/** The format's reader over the bytes, framed as a hunt frames them, fed in pieces of random size. */
function decode(format: Format, bytes: Buffer, r: Rng): Outcome {
  const out: Outcome = { events: [], problems: [] };
  const ctx: DecodeContext = {
    file: 'fuzz',
    problem: (message, pos) => out.problems.push({ message, ...pos }),
    emit: (e) => out.events.push(e),
    ignored: () => {},
    note: () => {},
  };
  const d = format.decoder(ctx);
  const splitter =
    d.mode === 'lines'
      ? createLineSplitter({
          maxLineBytes: MAX_LINE_BYTES,
          line: (t, n) => d.line(t, n),
          tooLong: (n) => ctx.problem('too long', { line: n }),
          skip: d.skip?.bind(d),
        })
      : undefined;
  for (let p = 0; p < bytes.length; ) {
    const n = 1 + int(r, 16 << 10);
    const piece = bytes.subarray(p, p + n);
    if (splitter) splitter.write(piece);
    else if (d.mode === 'chunks') d.write(piece);
    p += n;
  }
  splitter?.end();
  d.end();
  return out;
}

const config = configSchema.parse({});
const catalog = builtinCatalog();

/**
 * Inputs whose events share one engine (sorted together, as the pipeline gives them): an engine
 * costs milliseconds to make, far more than decoding one small input.
 */
const ENGINE_BATCH = 100;

test('a seed for every format `ratchain formats` lists, and each decodes to events', () => {
  assert.deepEqual(FORMATS.map((f) => f.id).sort(), Object.keys(SEEDS).sort());
  for (const format of FORMATS)
    assert.ok(decode(format, SEEDS[format.id](), rng(0)).events.length > 0, `${format.id}: the seed decodes`);
});

for (const format of FORMATS)
  test(`${format.id}: ${PER_FORMAT} mutated inputs, no throw, every problem placed, every event timed`, {
    timeout: 1_800_000,
  }, (t) => {
    const seed = SEEDS[format.id]();
    let events = 0;
    let problems = 0;
    let batch: RatEvent[] = [];
    const judge = (upTo: number) => {
      try {
        const engine = createEngine(config, catalog);
        for (const ev of batch.filter((e) => Number.isFinite(e.time)).sort((a, b) => a.time - b.time))
          engine.push(ev);
        engine.finish();
      } catch (e) {
        assert.fail(
          `${format.id} inputs ${upTo - ENGINE_BATCH + 1}..${upTo}: the engine: ${(e as Error).stack}`,
        );
      }
      batch = [];
    };
    for (let i = 0; i < PER_FORMAT; i++) {
      const r = rng(i + 1);
      const kind = MUTATIONS[i % MUTATIONS.length];
      const bytes = mutate(r, seed, kind, i % HUGE_EVERY === 0);
      const where = `${format.id} input ${i} (${kind}, seed ${i + 1})`;
      let got: Outcome;
      try {
        sniffFormat(bytes.subarray(0, 65536));
        got = decode(format, bytes, r);
      } catch (e) {
        assert.fail(`${where}: ${(e as Error).stack}`);
      }
      for (const p of got.problems)
        assert.ok(
          p.line !== undefined || p.offset !== undefined || p.where !== undefined,
          `${where}: a problem without a position: ${p.message}`,
        );
      for (const ev of got.events) assert.equal(typeof ev.time, 'number', `${where}: event time`);
      events += got.events.length;
      problems += got.problems.length;
      for (const ev of got.events) batch.push(ev);
      if ((i + 1) % ENGINE_BATCH === 0) judge(i);
    }
    if (batch.length) judge(PER_FORMAT - 1);
    t.diagnostic(
      `fuzz ${format.id}: ${PER_FORMAT} inputs, ${events} events, ${problems} problems reported, 0 failures`,
    );
  });
