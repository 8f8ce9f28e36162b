// The byte-level prefilter of the Windows JSON reader: a record is ruled out before parsing only
// when the parser would reach an event id the analytic never uses. Used ids written with other
// spacing, field order, escapes, duplicates or number spellings are still read; unused ones are
// counted as ignored, never as problems; on the real OTRF files every line it rules out is one
// the full parse ignores too.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLineSplitter } from '../../../src/ingest/line-splitter.ts';
import type { DecodeContext, LineDecoder } from '../../../src/ingest/reader.ts';
import { unusedWindowsRecord } from '../../../src/ingest/windows/unused-json-record.ts';
import { windowsJson, windowsJsonDecoder } from '../../../src/ingest/windows/windows-json.ts';
import type { RatEvent } from '../../../src/model/event.ts';
import { needsData, sharedData } from '../../support/data.ts';

interface Decoded {
  events: RatEvent[];
  problems: string[];
  ignored: number;
  /** Lines ruled out on their bytes, never decoded to text. */
  skipped: number[];
}

function context(out: Decoded): DecodeContext {
  return {
    file: 'inline',
    problem: (m) => out.problems.push(m),
    emit: (e) => out.events.push(e),
    ignored: (n = 1) => {
      out.ignored += n;
    },
  };
}

/** Frames the text on bytes, as hunt does, and feeds the decoder in chunks of `cut` bytes. */
function decode(text: string, cut = 1 << 20, decoder = (ctx: DecodeContext) => windowsJson.decoder(ctx)) {
  const out: Decoded = { events: [], problems: [], ignored: 0, skipped: [] };
  const d = decoder(context(out)) as LineDecoder;
  const split = createLineSplitter({
    maxLineBytes: 1 << 20,
    line: (l, n) => d.line(l, n),
    tooLong: () => assert.fail('no line is too long here'),
    skip: (buf, start, end, n) => {
      const done = d.skip?.(buf, start, end, n) ?? false;
      if (done) out.skipped.push(n);
      return done;
    },
  });
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += cut) split.write(bytes.subarray(i, i + cut));
  split.end();
  d.end();
  return out;
}

/** A Sysmon record as Logstash/NXLog flatten it (the OTRF shape), with `id` spelled as given. */
const flat = (id: string, extra = '') =>
  `{"SourceName":"Microsoft-Windows-Sysmon","Hostname":"WKS-7.corp.example",${id},"Channel":"Microsoft-Windows-Sysmon/Operational","@timestamp":"2026-01-05T10:00:00.125Z","UtcTime":"2026-01-05 10:00:00.120","ProcessGuid":"{3f1b2a6c-8a20-6779-2b01-000000000e00}","ProcessId":"4410","Image":"C:\\\\Users\\\\bob\\\\Downloads\\\\AnyDesk.exe","CommandLine":"AnyDesk.exe --control"${extra}}`;

/** A Winlogbeat 8 document with `winlog` and `event` fields as given. */
const winlogbeat = (winlog: string, event: string) =>
  `{"@timestamp":"2026-01-05T10:00:00.125Z","event":{${event},"kind":"event","provider":"Microsoft-Windows-Sysmon"},"host":{"name":"wks-7.corp.example"},"winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","provider_name":"Microsoft-Windows-Sysmon","record_id":"5001","computer_name":"WKS-7.corp.example",${winlog},"event_data":{"UtcTime":"2026-01-05 10:00:00.120","ProcessGuid":"{3f1b2a6c-8a20-6779-2b01-000000000e00}","ProcessId":"4410","Image":"C:\\\\Users\\\\bob\\\\Downloads\\\\AnyDesk.exe","CommandLine":"AnyDesk.exe --control"}}}`;

test('used event ids are read however the record spells them', () => {
  const used = [
    flat('"EventID":1'),
    flat('"EventID":"1"'),
    flat('"EventID" : 1'),
    flat('"EventID":\t"1"'),
    `{"EventID":1,${flat('"Opcode":"Info"').slice(1)}`, // the id first
    flat('"Opcode":"Info"', ',"EventID":1'), // the id last
    flat('"Event\\u0049D":1'), // an escape spells the key
    flat('"\\u0045vent\\u0049\\u0044":1'), // escapes where the searched names are not spelled at all
    flat('"EventID":10', ',"EventID":1'), // a duplicate: JSON.parse keeps the last
    flat('"EventID":10', ',"EventID" :1'),
    flat('"EventID":10', ',"Event\\u0049D":1'),
    flat('"EventID":"\\u0031"'), // an escape spells the value
    flat('"EventID":1.0'),
    flat('"EventID":0.1e1'),
    flat('"EventID":"0x1"'), // Number() reads hex
    flat('"EventID":"1 "'),
    flat('"EventId":1'), // NXLog's spelling
    winlogbeat('"event_id":"1"', '"code":"1"'),
    winlogbeat('"event_id":1', '"code":"1"'),
    // No winlog.event_id: the reader takes event.code, though another object names an event_id.
    winlogbeat('"user_data":{"event_id":"10"}', '"code":"1"'),
    winlogbeat('"user_data":{"event_id":"10"}', '"original":"<Event a=\\"}\\">","code":1,"x":[{"y":[]}]'),
  ];
  for (const line of used) {
    for (const cut of [7, 1 << 20]) {
      const r = decode(`${line}\n`, cut);
      assert.deepEqual(r.problems, [], line);
      assert.equal(r.events.length, 1, line);
      assert.equal(r.events[0].kind, 'process', line);
      assert.deepEqual(r.skipped, [], line);
    }
  }
});

test('unused event ids are ruled out on their bytes and counted as ignored, not as problems', () => {
  const unused = [
    flat('"EventID":10'),
    flat('"EventID":"10"'),
    flat('"EventID" :  10'),
    `{"EventID":4103,${flat('"Opcode":"Info"').slice(1)}`,
    flat('"EventID":10', ',"EventID":"7"'),
    flat('"EventId":7'),
    flat('"EventID":10', ',"Menu":"menu00 is not an escape"'),
    winlogbeat('"event_id":"10"', '"code":"10"'),
    winlogbeat('"event_id":7', '"code":"7"'),
    winlogbeat('"user_data":{"event_id":"10"}', '"original":"<Event a=\\"}\\">","code":"10","x":[{"y":[]}]'),
    `  ${flat('"EventID":10')}`,
  ];
  const r = decode(`${unused.join('\n')}\n`, 64);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.events, []);
  assert.equal(r.ignored, unused.length);
  assert.deepEqual(
    r.skipped,
    unused.map((_, i) => i + 1),
  );
});

test('a line ruled out or read does not change how its neighbours in the same chunk are judged', () => {
  const lines = [
    winlogbeat('"event_id":"10"', '"code":"10"'),
    flat('"EventID":10'),
    flat('"Event\\u0049D":1'),
    flat('"EventID":7'),
    winlogbeat('"event_id":"1"', '"code":"1"'),
    flat('"EventID":10', ',"EventID":1'),
    flat('"EventID":13'),
  ];
  const ruleOut = unusedWindowsRecord();
  const buf = Buffer.from(lines.join('\n'), 'utf8');
  const verdicts: boolean[] = [];
  for (let start = 0; start < buf.length; ) {
    const nl = buf.indexOf(10, start);
    const end = nl < 0 ? buf.length : nl;
    verdicts.push(ruleOut.bytes(buf, start, end));
    start = end + 1;
  }
  assert.deepEqual(verdicts, [true, true, false, true, false, false, false]);
  assert.deepEqual(
    lines.map((l) => ruleOut.text(l)),
    verdicts,
  );
});

const ATOMIC = sharedData('otrf-security-datasets/atomic/windows');
const REAL = [
  'lateral_movement/host/schtask_create_2020-12-1907003032.json',
  'persistence/host/empire_persistence_registry_modification_run_keys_elevated_user_2020-07-22001847.json',
];

test('on real OTRF files the prefilter changes nothing but what is parsed', needsData(ATOMIC), () => {
  for (const name of REAL) {
    const text = readFileSync(join(ATOMIC!, name), 'utf8');
    const filtered = decode(text);
    const full = decode(text, 1 << 20, (ctx) => windowsJsonDecoder(ctx));
    assert.equal(full.skipped.length, 0);
    assert.ok(filtered.skipped.length > full.events.length, `${name}: most lines ruled out on bytes`);
    assert.deepEqual(filtered.events, full.events, name);
    assert.deepEqual(filtered.problems, full.problems, name);
    assert.equal(filtered.ignored, full.ignored, name);
  }
});
