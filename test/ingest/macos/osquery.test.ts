// osquery results reader: the event, batch and snapshot shapes osqueryd writes, rows recognised
// by their columns whatever the pack named the query.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { osquery, osqueryDecoder } from '../../../src/ingest/macos/osquery.ts';
import { sniffFormat } from '../../../src/ingest/source.ts';
import { REPO_ROOT } from '../../support/data.ts';
import { decodeLines, ofKind } from './decode.ts';

const FIX = join(REPO_ROOT, 'test/fixtures/macos');
const read = (f: string) => readFileSync(join(FIX, f), 'utf8');
const AGENT = '/Users/alice/Library/Application Support/.syncd/syncd';

const result = (extra: object, name = 'q') =>
  JSON.stringify({
    name,
    hostIdentifier: 'mac-1',
    calendarTime: 'Tue Nov  3 09:01:00 2026 UTC',
    unixTime: 1793696460,
    epoch: 0,
    counter: 0,
    numerics: false,
    ...extra,
  });

describe('osquery results reader', () => {
  test('socket_events connect (event format) and process_open_sockets snapshots: outbound, still open', () => {
    const d = decodeLines(osqueryDecoder, read('full-chain.osquery.log'), 'osq.log');
    assert.deepEqual(d.problems, []);
    const nets = ofKind(d.events, 'network');
    assert.equal(nets.length, 3);
    const [connect, snap1] = nets;
    assert.equal(connect.host, 'mbp-alice');
    assert.equal(connect.time, Date.parse('2026-11-03T09:00:05Z'), 'the row time, not the query run time');
    assert.deepEqual(connect.proc, { pid: 812, image: AGENT });
    assert.deepEqual(
      [
        connect.direction,
        connect.protocol,
        connect.srcIp,
        connect.srcPort,
        connect.dstIp,
        connect.dstPort,
        connect.open,
      ],
      ['outbound', 'tcp', '192.168.1.23', 49731, '198.51.100.23', 443, undefined],
    );
    assert.deepEqual(connect.src, {
      file: 'osq.log',
      format: 'osquery',
      line: 1,
      eventId: 'socket_events',
      record: '40211',
    });
    assert.equal(snap1.time, Date.parse('2026-11-03T09:05:00Z'), 'a snapshot row has the run time');
    assert.equal(snap1.open, true);
    assert.equal(snap1.state, 'ESTABLISHED');
    // The listening sshd socket has no peer; the "removed" differential row is no event.
    assert.equal(d.ignored, 2);
  });

  test('process_events in the batch shape (diffResults) and file_events', () => {
    const d = decodeLines(osqueryDecoder, read('pkg-launchdaemon.osquery.log'));
    assert.deepEqual(d.problems, []);
    const [file] = ofKind(d.events, 'file');
    assert.deepEqual(
      [file.op, file.path, file.host],
      ['create', '/Library/LaunchDaemons/com.acme.backupd.plist', 'mbp-alice'],
    );
    const [p] = ofKind(d.events, 'process');
    assert.deepEqual(p.proc, {
      pid: 1220,
      image: '/Library/Application Support/Acme Backup/acme-backupd',
      start: Date.parse('2026-11-03T11:00:01Z'),
      commandLine: '/Library/Application Support/Acme Backup/acme-backupd --daemon',
      user: '0',
    });
    assert.deepEqual(p.parent, { pid: 1 });
    assert.equal(p.integrity, 'root');
    assert.equal(p.src.eventId, 'process_events');
  });

  test('es_process_events: exec, fork and exit with signing facts; numbers as numbers also read', () => {
    const row = (event_type: string, pid: number, path: string) => ({
      version: 7,
      seq_num: 1,
      global_seq_num: 99,
      pid,
      path,
      parent: 1,
      original_parent: 1,
      cmdline: path,
      cwd: '/',
      uid: 501,
      euid: 501,
      username: 'alice',
      signing_id: 'com.example.tool',
      team_id: 'EXAMPLE123',
      cdhash: 'ab',
      platform_binary: 0,
      event_type,
      time: 1793696400,
    });
    const d = decodeLines(
      osqueryDecoder,
      [
        result({ columns: row('exec', 50, '/usr/local/bin/tool'), action: 'added', numerics: true }),
        result({ columns: row('fork', 51, '/usr/local/bin/tool'), action: 'added' }),
        result({ columns: row('exit', 50, '/usr/local/bin/tool'), action: 'added' }),
      ].join('\n'),
    );
    assert.deepEqual(d.problems, []);
    const [exec, fork] = ofKind(d.events, 'process');
    assert.deepEqual(exec.meta, {
      signingId: 'com.example.tool',
      teamId: 'EXAMPLE123',
      platformBinary: false,
    });
    assert.equal(exec.user, 'alice');
    assert.equal(exec.src.eventId, 'es_process_events');
    assert.equal(fork.forkOnly, true);
    assert.equal(ofKind(d.events, 'process_end')[0].proc.pid, 50);
  });

  test('es_process_file_events: a plist renamed into LaunchAgents, with the process that did it', () => {
    const row = {
      version: '7',
      seq_num: '10',
      global_seq_num: '77',
      pid: '812',
      parent: '640',
      path: AGENT,
      filename: '/Users/alice/Library/LaunchAgents/.tmp-1.plist',
      dest_filename: '/Users/alice/Library/LaunchAgents/com.syncd.agent.plist',
      event_type: 'rename',
      eid: '31',
      time: '1793696402',
    };
    const d = decodeLines(
      osqueryDecoder,
      [
        result({ columns: row, action: 'added' }),
        result({ columns: { ...row, event_type: 'open' }, action: 'added' }),
        result({ columns: { ...row, event_type: 'rename', dest_filename: '' }, action: 'added' }),
      ].join('\n'),
    );
    const [f] = ofKind(d.events, 'file');
    assert.deepEqual(
      [f.op, f.path, f.target, f.proc?.pid, f.proc?.image, f.src.eventId],
      ['rename', row.filename, row.dest_filename, 812, AGENT, 'es_process_file_events'],
    );
    assert.equal(d.ignored, 1, 'an open is no change');
    assert.deepEqual(
      d.problems.map((p) => p.line),
      [3],
    );
  });

  test('failed connects, binds and unknown tables are ignored; damaged lines and rows are reported by line', () => {
    const sock = {
      action: 'connect',
      pid: '9',
      path: '/bin/x',
      remote_address: '203.0.113.1',
      remote_port: '80',
      local_address: '10.0.0.2',
      local_port: '5000',
      protocol: '6',
      time: '1793696400',
      success: '0',
    };
    const d = decodeLines(
      osqueryDecoder,
      [
        result({ columns: sock, action: 'added' }),
        result({ columns: { ...sock, action: 'bind', success: '1' }, action: 'added' }),
        result({ columns: { model: 'MacBookPro18,1' }, action: 'added' }),
        '{"name":"q","hostIdentifier":"h"',
        result({}),
        result({
          snapshot: [1, { pid: '2', path: '/bin/y', cmdline: 'y', parent: '1', start_time: '1793696000' }],
        }),
        '[]',
      ].join('\n'),
    );
    // Only the `processes` snapshot row is an event, timed by its own start_time.
    assert.deepEqual(
      d.events.map((e) => [e.kind, e.src.eventId, e.time]),
      [['process', 'processes', 1793696000000]],
    );
    assert.equal(d.ignored, 3);
    assert.deepEqual(
      d.problems.map((p) => p.line),
      [4, 5, 6, 7],
    );
  });

  test('sniffing: result lines are osquery; other JSON is not', () => {
    assert.equal(sniffFormat(Buffer.from(read('full-chain.osquery.log'))).format?.id, 'osquery');
    assert.equal(sniffFormat(Buffer.from(read('pkg-launchdaemon.osquery.log'))).format?.id, 'osquery');
    const other = '{"@timestamp":"x","host":{"name":"h"},"columns":{}}\n{"a":1}\n';
    assert.equal(osquery.sniff(Buffer.from(other), other), 0);
  });
});
