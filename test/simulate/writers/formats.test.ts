// The generator's formats match real sensor output field for field: the same EventData names
// per event id as the OTRF Winlogbeat exports, the same eslogger exec keys as real eslogger, the
// same Zeek #fields as a real conn.log and the same auditd record keys as a real audit.log.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { simulate } from '../../../src/simulate/simulate.ts';
import { needsData, sharedData } from '../../support/data.ts';

const OTRF_DIR = 'otrf-security-datasets/atomic/windows';
const OTRF_FILES = [
  'persistence/host/empire_persistence_registry_modification_run_keys_elevated_user_2020-07-22001847.json',
  'lateral_movement/host/empire_psexec_dcerpc_tcp_svcctl_2020-09-20121608.json',
  'lateral_movement/host/schtask_create_2020-12-1907003032.json',
  'persistence/host/empire_schtasks_creation_standard_user_2020-09-21031526.json',
].map((f) => sharedData(`${OTRF_DIR}/${f}`));
const ESLOG = sharedData('tmc-misc-eslog/eslog/sample.json');
const ZEEK = sharedData('stratosphere-security-datasets-for-testing/003-zeek-scenario-malicious/conn.log');
const AUDIT = sharedData('elastic-go-libaudit/auparse/testdata/audit-rhel7.log');

// NXLog/Logstash envelope fields the OTRF exports add around the Windows EventData.
const ENVELOPE = new Set(
  '@timestamp @version AccountName AccountType ActivityID Category Channel Domain EventID EventReceivedTime EventTime EventType EventTypeOrignal ExecutionProcessID Hostname Keywords Level Message Opcode OpcodeValue ProviderGuid RecordNumber Severity SeverityValue SourceModuleName SourceModuleType SourceName Task ThreadID TimeCreated UserID Version host port tags'.split(
    ' ',
  ),
);

let out: string;
/** The same fleet with every Windows host exported as Winlogbeat JSON. */
let wlbOut: string;
before(() => {
  out = mkdtempSync(join(tmpdir(), 'ratchain-sim-formats-'));
  simulate({ hosts: 40, days: 1, seed: 11, out, rate: 200 });
  wlbOut = mkdtempSync(join(tmpdir(), 'ratchain-sim-formats-wlb-'));
  simulate({ hosts: 40, days: 1, seed: 11, out: wlbOut, rate: 200, formats: ['winlogbeat-json'] });
});
after(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(wlbOut, { recursive: true, force: true });
});

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean);
}

function keyPaths(o: unknown, prefix = '', acc = new Set<string>()): Set<string> {
  if (Array.isArray(o)) {
    acc.add(`${prefix}[]`);
    const first = o[0];
    if (first && typeof first === 'object') keyPaths(first, `${prefix}[]`, acc);
  } else if (o && typeof o === 'object') {
    for (const [k, v] of Object.entries(o)) keyPaths(v, prefix ? `${prefix}.${k}` : k, acc);
  } else acc.add(prefix);
  return acc;
}

describe('Winlogbeat JSON', () => {
  it(
    'has, per channel and event id, exactly the EventData fields of the OTRF exports',
    needsData(...OTRF_FILES),
    () => {
      const real = new Map<string, Set<string>>();
      for (const f of OTRF_FILES) {
        for (const l of lines(f!)) {
          const o = JSON.parse(l) as Record<string, unknown>;
          const key = `${String(o.Channel).toLowerCase()}/${o.EventID}`;
          const s = real.get(key) ?? new Set<string>();
          for (const k of Object.keys(o)) if (!ENVELOPE.has(k)) s.add(k);
          real.set(key, s);
        }
      }
      const mine = new Map<string, Set<string>>();
      for (const l of lines(join(wlbOut, 'logs/windows/winlogbeat.ndjson'))) {
        const o = JSON.parse(l) as {
          winlog: { channel: string; event_id: string; event_data: Record<string, string> };
        };
        const key = `${o.winlog.channel.toLowerCase()}/${o.winlog.event_id}`;
        const s = mine.get(key) ?? new Set<string>();
        // Names the NXLog envelope also uses (EventType, AccountName) cannot be compared.
        for (const k of Object.keys(o.winlog.event_data)) if (!ENVELOPE.has(k)) s.add(k);
        mine.set(key, s);
      }
      let compared = 0;
      for (const [key, fields] of mine) {
        const ref = real.get(key);
        if (!ref) continue;
        compared++;
        assert.deepEqual([...fields].sort(), [...ref].sort(), `EventData of ${key}`);
      }
      // Sysmon 1, 3, 5, 11, 13, 22, Security 4697/4698, System 7045 all exist in both.
      assert.ok(compared >= 8, `only ${compared} event ids compared: ${[...mine.keys()].join(', ')}`);
    },
  );

  it('carries the Windows record under winlog with ECS fields around it', () => {
    const o = JSON.parse(lines(join(out, 'logs/windows/winlogbeat.ndjson'))[0]);
    for (const k of ['@timestamp', 'event', 'host', 'agent', 'ecs', 'winlog']) assert.ok(k in o, k);
    for (const k of ['channel', 'event_id', 'provider_name', 'record_id', 'computer_name', 'event_data'])
      assert.ok(k in o.winlog, k);
  });
});

describe('Windows event XML', () => {
  it('writes one complete <Event> per line with named Data elements', () => {
    const ls = lines(join(out, 'logs/windows/sysmon-security-system.xml'));
    assert.ok(ls.length > 100);
    for (const l of ls.slice(0, 200)) {
      assert.match(
        l,
        /^<Event xmlns='http:\/\/schemas\.microsoft\.com\/win\/2004\/08\/events\/event'><System>.*<\/Event>$/,
      );
      assert.doesNotMatch(l, /&(?!(amp|lt|gt|quot|apos);)/, 'unescaped &');
    }
  });
});

describe('eslogger NDJSON', () => {
  it('writes exec messages with the same key paths as real eslogger output', needsData(ESLOG), () => {
    const ref = new Set<string>();
    for (const l of readFileSync(ESLOG!, 'utf8').split('\n').filter(Boolean)) {
      const o = JSON.parse(l);
      if (o.event?.exec) for (const k of keyPaths(o)) ref.add(k);
    }
    const dir = join(out, 'logs/macos/eslogger');
    const mine = new Set<string>();
    for (const f of readdirSync(dir)) {
      for (const l of lines(join(dir, f))) {
        const o = JSON.parse(l);
        if (o.event?.exec) for (const k of keyPaths(o)) mine.add(k);
      }
    }
    // A null object (tty of a process without a terminal) is the same field as its children.
    const fold = (set: Set<string>) =>
      new Set([...set].filter((k) => ![...set].some((x) => x.startsWith(`${k}.`))));
    const [r, m] = [fold(ref), fold(mine)];
    const missing = [...r].filter((k) => !m.has(k));
    const extra = [...m].filter((k) => !r.has(k));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
  });
});

describe('Zeek conn.log', () => {
  it('has the #fields and #types header of a real conn.log', needsData(ZEEK), () => {
    const header = (p: string, tag: string) => lines(p).find((l) => l.startsWith(tag));
    const mine = join(out, 'logs/network/conn.log');
    assert.equal(header(mine, '#fields'), header(ZEEK!, '#fields'));
    assert.equal(header(mine, '#types'), header(ZEEK!, '#types'));
    const first = lines(mine).find((l) => !l.startsWith('#'))!;
    assert.equal(first.split('\t').length, header(mine, '#fields')!.split('\t').length - 1);
  });
});

describe('auditd raw log', () => {
  /** Record type -> its key set, from "type=X msg=audit(...): k=v k=v" lines. */
  function recordKeys(ls: string[]): Map<string, Set<string>> {
    const m = new Map<string, Set<string>>();
    for (const l of ls) {
      const t = /(?:^|\s)type=([A-Z_]+)\s+msg=audit\([^)]*\):\s*(.*)$/.exec(l);
      if (!t) continue;
      const body = t[2].replace(/msg='([^']*)'/, (_, inner: string) => inner);
      const keys = new Set<string>();
      for (const kv of body.matchAll(/(?:^|\s)([a-z_][\w-]*)=/g))
        keys.add(/^a\d+$/.test(kv[1]) && t[1] === 'EXECVE' ? 'aN' : kv[1]);
      const s = m.get(t[1]) ?? new Set<string>();
      for (const k of keys) s.add(k);
      m.set(t[1], s);
    }
    return m;
  }

  it('uses the record types and keys of a real RHEL 7 audit.log', needsData(AUDIT), () => {
    const ref = recordKeys(lines(AUDIT!).filter((l) => !/syscall=(313|62)\b/.test(l)));
    const mine = recordKeys(lines(join(out, 'logs/linux/audit.log')));
    for (const type of ['SYSCALL', 'EXECVE', 'CWD', 'PATH', 'SOCKADDR', 'SERVICE_START']) {
      assert.ok(mine.has(type), `no ${type} records generated`);
      assert.deepEqual([...mine.get(type)!].sort(), [...ref.get(type)!].sort(), `keys of ${type}`);
    }
  });

  it('prefixes every record with node= and groups execve records under one serial', () => {
    const ls = lines(join(out, 'logs/linux/audit.log'));
    assert.ok(ls.every((l) => /^node=lnx-\d{4} type=/.test(l)));
    const serial = /msg=audit\(([^)]*)\)/.exec(ls.find((l) => l.includes('syscall=59'))!)![1];
    const group = ls.filter((l) => l.includes(`msg=audit(${serial})`)).map((l) => /type=(\w+)/.exec(l)![1]);
    assert.deepEqual(group, ['SYSCALL', 'EXECVE', 'CWD', 'PATH', 'PATH', 'PROCTITLE', 'EOE']);
  });
});
