// readRawRecords: the record behind a piece of evidence, re-read from its input for the HTML
// report. An auditd event's sibling records (same serial), an event XML element to its closing
// tag, one JSON line, a gzip input (known by its magic bytes, bounded), an EVTX record at its
// offset (the real samples in ../shared/data, skipped visibly when absent); what cannot be re-read
// (stdin, a vanished file, a bomb, a spent budget) says why.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { hunt } from '../../src/hunt.ts';
import { MAX_GUNZIPPED_BYTES, rawKey, readRawRecords } from '../../src/ingest/raw-record.ts';
import type { SourceRef } from '../../src/model/event.ts';
import { needsData, sharedData } from '../support/data.ts';

const dir = mkdtempSync(join(tmpdir(), 'ratchain-raw-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const ref = (f: string, at: { line?: number; offset?: number }, format = 'auditd'): SourceRef =>
  ({ file: f, format, ...at }) as SourceRef;

function one(r: SourceRef, limits?: Parameters<typeof readRawRecords>[1]) {
  return readRawRecords([r], limits).get(rawKey(r));
}

// Two auditd events interleaved, as auditd writes them when two processes exec at once.
const AUDIT = [
  'type=SYSCALL msg=audit(1700000000.100:501): arch=c000003e syscall=59 success=yes exit=0 pid=4100 comm="relayd"',
  'type=SYSCALL msg=audit(1700000000.101:502): arch=c000003e syscall=59 success=yes exit=0 pid=4101 comm="sh"',
  'type=EXECVE msg=audit(1700000000.100:501): argc=1 a0="/tmp/.x/relayd"',
  'type=EXECVE msg=audit(1700000000.101:502): argc=2 a0="sh" a1="-i"',
  'type=PROCTITLE msg=audit(1700000000.100:501): proctitle=2F746D702F2E782F72656C617964',
  '',
].join('\n');

describe('readRawRecords', () => {
  it("an auditd record comes with its event's siblings, not the other event's", () => {
    const f = file('web01.audit.log', AUDIT);
    const r = one(ref(f, { line: 1 }));
    assert.deepEqual(r?.text.split('\n'), [AUDIT.split('\n')[0], AUDIT.split('\n')[2], AUDIT.split('\n')[4]]);
  });

  it('an event XML element spread over lines is read to its closing tag; a JSON line is one line', () => {
    const xml = file(
      'sysmon.xml',
      '<Events>\r\n<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">\r\n<System><EventID>1</EventID></System>\r\n</Event>\r\n<Event><System><EventID>3</EventID></System></Event>\r\n</Events>\r\n',
    );
    assert.equal(
      one(ref(xml, { line: 2 }, 'event-xml'))?.text,
      '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">\n<System><EventID>1</EventID></System>\n</Event>',
    );
    assert.equal(
      one(ref(xml, { line: 5 }, 'event-xml'))?.text,
      '<Event><System><EventID>3</EventID></System></Event>',
    );
    const json = file('beat.ndjson', '{"a":1}\n{"b":2}\n');
    assert.equal(one(ref(json, { line: 2 }, 'windows-json'))?.text, '{"b":2}');
  });

  it('a gzip input is known by its bytes, whatever its name', () => {
    const gz = file('web01.audit', gzipSync(AUDIT));
    assert.match(one(ref(gz, { line: 2 }))?.text ?? '', /^type=SYSCALL .*:502\).*\ntype=EXECVE .*a1="-i"$/);
  });

  it('a gzip input that expands past the bound is not re-read (a bomb costs nothing)', () => {
    const bomb = file('bomb.log.gz', gzipSync(Buffer.alloc(MAX_GUNZIPPED_BYTES + 1, 0x61)));
    assert.deepEqual(one(ref(bomb, { line: 1 })), {
      text: '',
      note: 'compressed input expands too far to re-read',
    });
  });

  it('says why when a record cannot be re-read', () => {
    assert.equal(one(ref('-', { line: 3 }))?.note, 'read from stdin: not re-readable');
    assert.equal(one(ref(join(dir, 'gone.log'), { line: 1 }))?.note, 'file no longer there');
    assert.equal(one(ref(file('x.log', 'a\n'), { offset: 10 }))?.note, 'no record at this offset');
  });

  it('cuts a long record and stops when the report budget is spent', () => {
    const f = file('long.log', `${'x'.repeat(100)}\n${'y'.repeat(100)}\n`);
    assert.deepEqual(one(ref(f, { line: 1 }), { perRecord: 10, total: 1000 }), {
      text: 'x'.repeat(10),
      truncated: true,
    });
    const both = readRawRecords([ref(f, { line: 1 }), ref(f, { line: 2 })], { perRecord: 100, total: 150 });
    assert.equal(both.get(rawKey(ref(f, { line: 1 })))?.text, 'x'.repeat(100));
    assert.equal(both.get(rawKey(ref(f, { line: 2 })))?.note, 'report budget for raw records spent');
  });
});

const PSEXEC = sharedData('evtx-attack-samples/Lateral Movement/LM_sysmon_psexec_smb_meterpreter.evtx');

describe('readRawRecords on a real EVTX file', needsData(PSEXEC), () => {
  it('gives the record at each evidence offset: the same record id, event id and image', async () => {
    const config = configSchema.parse({ MinSteps: 1, InternalNetworks: ['127.0.0.0/8'] });
    const r = await hunt({ paths: [PSEXEC!], config, catalog: builtinCatalog() });
    const evidence = r.findings.flatMap((f) => f.steps.flatMap((s) => s.evidence));
    assert.ok(evidence.length > 3, 'the sample gives evidence');
    const raw = readRawRecords(evidence.map((e) => e.src));
    for (const e of evidence) {
      assert.equal(e.src.format, 'evtx');
      const text = raw.get(rawKey(e.src))?.text ?? '';
      assert.ok(
        text.includes(`"${e.src.record}"`) || text.includes(`: ${e.src.record}`),
        `${e.summary}: record ${e.src.record} in ${text.slice(0, 200)}`,
      );
      if (e.process) assert.ok(text.includes(JSON.stringify(e.process.image).slice(1, -1)), e.process.image);
    }
  });
});
