// Records that name no host get the same host, for the same reason, in hunt, publish, watch and
// serve: --host for every hostless input, a <host>.audit.log file name, the one host the journal
// beside a node-less audit.log names; and when nothing names it, each mode says so.
// The logs are the hand-written scenario files (test/scenarios), laid out as a collection folder.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { hunt } from '../../src/hunt.ts';
import type { HostNote } from '../../src/ingest/host-hint.ts';
import type { Finding } from '../../src/model/finding.ts';
import { publishInputs } from '../../src/stream/jetstream/publish.ts';
import { openLayout } from '../../src/stream/jetstream/streams.ts';
import { SERVE_DEFAULTS, serve } from '../../src/stream/serve.ts';
import { watch } from '../../src/stream/watch.ts';
import { natsServerSkip, startNatsServer } from '../stream/nats-server.ts';
import { REPO_ROOT } from '../support/data.ts';

const SCENARIOS = join(REPO_ROOT, 'test/scenarios');
const dir = mkdtempSync(join(tmpdir(), 'ratchain-host-modes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// build03/: a node-less audit.log beside the journal that names build03 (sibling).
// db05.audit.log: node-less ENRICHED auditd named by its file (file name).
// loose/audit.log: node-less and alone (no host, unless --host).
const FILES = {
  build03Audit: join(dir, 'build03/audit.log'),
  build03Journal: join(dir, 'build03/journal.json'),
  db05: join(dir, 'db05.audit.log'),
  loose: join(dir, 'loose/audit.log'),
};
mkdirSync(join(dir, 'build03'));
mkdirSync(join(dir, 'loose'));
copyFileSync(join(SCENARIOS, 'linux-journald-auditd-renamed-unit/audit.log'), FILES.build03Audit);
copyFileSync(join(SCENARIOS, 'linux-journald-auditd-renamed-unit/journal.json'), FILES.build03Journal);
copyFileSync(join(SCENARIOS, 'linux-auditd-enriched-nodeless/db05.audit.log'), FILES.db05);
copyFileSync(join(SCENARIOS, 'linux-quiet-allowlisted-unit-rewrite/audit.log'), FILES.loose);

// Lateness and the watch reorder window cover each file's whole span (under 15 minutes), so a
// watch that reads existing files one after another keeps every event, as a hunt does.
const config = () => configSchema.parse({ Lateness: '1h' });
const WATCH_REORDER_MS = 3_600_000;

/** What a mode decided per input: the host, how, and how many records needed it. */
const decisions = (notes: HostNote[]) =>
  Object.fromEntries(notes.map((n) => [n.input, { host: n.host, how: n.how, records: n.records }]));

/** Alert-level chains by host and agent images (the latest revision of each). */
function chains(findings: Finding[]): string[] {
  const latest = new Map<string, Finding>();
  for (const f of findings) if ((latest.get(f.id)?.revision ?? -1) <= f.revision) latest.set(f.id, f);
  return [...latest.values()]
    .filter((f) => f.status === 'alert')
    .map((f) => `${f.host} ${f.severity} ${[...f.agent.images].sort().join(',')}`)
    .sort();
}

async function viaHunt(defaultHost?: string) {
  const hosts = new Map<string, number>();
  const r = await hunt({
    paths: [dir],
    config: config(),
    catalog: builtinCatalog(),
    defaultHost,
    onEvent: (e) => hosts.set(e.host, (hosts.get(e.host) ?? 0) + 1),
  });
  return { notes: r.summary.hosts, chains: chains(r.findings), hosts };
}

async function viaWatch(defaultHost?: string) {
  const findings: Finding[] = [];
  const live: HostNote[] = [];
  const stop = new AbortController();
  const total = (await viaHunt(defaultHost)).hosts;
  const expected = [...total.values()].reduce((a, b) => a + b, 0);
  const done = watch({
    inputs: [dir],
    config: config(),
    catalog: builtinCatalog(),
    defaultHost,
    reorderMs: WATCH_REORDER_MS,
    idleFlushMs: 50,
    pollMs: 15,
    signal: stop.signal,
    onFinding: (f) => findings.push(f),
    onProblem() {},
    onHost: (n) => live.push(n),
    // The existing files are read at the start; once the inputs go quiet and the held events
    // are flushed, stop (the end releases what the readers still group).
    onProgress(s) {
      if (s.eventsIn > 0 && s.buffered === 0) stop.abort();
    },
  });
  const s = await done;
  assert.equal(s.eventsIn, expected, 'watch read every event hunt read');
  return { notes: s.hosts, chains: chains(findings), live };
}

const SKIP_NATS = natsServerSkip();

describe('hosts for records that name none, in every mode', () => {
  it('hunt: sibling journal, file name, none; the summary says which and why', async () => {
    const r = await viaHunt();
    const d = decisions(r.notes);
    assert.deepEqual(
      Object.keys(d).sort(),
      [FILES.build03Audit, FILES.db05, FILES.loose].sort(),
      'one note per hostless input; the journal names its host itself',
    );
    assert.equal(d[FILES.build03Audit].host, 'build03');
    assert.equal(d[FILES.build03Audit].how, 'sibling');
    assert.equal(d[FILES.db05].host, 'db05');
    assert.equal(d[FILES.db05].how, 'file-name');
    assert.equal(d[FILES.loose].host, undefined);
    assert.equal(d[FILES.loose].how, 'none');
    assert.equal(r.hosts.get(''), d[FILES.loose].records, 'only the loose log is left without a host');
    assert.deepEqual(r.chains, [
      'build03 critical /var/lib/.dbus/dbusd',
      'db05 critical /tmp/meshagent,/usr/local/mesh_services/meshagent/meshagent',
      // No allowlist here (the scenario's approval is not loaded): a chain under "unknown", with the note above.
      'unknown medium /opt/teamviewer/tv_bin/TeamViewer,/opt/teamviewer/tv_bin/teamviewerd,teamviewerd.service',
    ]);
  });

  it('--host applies to every hostless input, whatever else would name it', async () => {
    const r = await viaHunt('ir-01');
    assert.ok(r.notes.length === 3 && r.notes.every((n) => n.host === 'ir-01' && n.how === 'flag'));
    assert.equal(r.hosts.get(''), undefined);
    assert.ok(r.hosts.get('build03')! > 0, 'the journal keeps the host its records name');
  });

  it('watch decides as hunt does (the node-less log waits for its sibling journal) and logs it at once', async () => {
    for (const flag of [undefined, 'ir-01']) {
      const [h, w] = [await viaHunt(flag), await viaWatch(flag)];
      assert.deepEqual(decisions(w.notes), decisions(h.notes), `notes with --host ${flag}`);
      assert.deepEqual(w.live.map((n) => n.input).sort(), Object.keys(decisions(h.notes)).sort());
      // With --host every log is one host, days apart, read one file after another: a live lane
      // drops what is days behind (hunt sorts it), so only the per-host chains are compared.
      if (!flag) assert.deepEqual(w.chains, h.chains);
    }
  });

  it('publish decides as hunt does and routes each event by that host', SKIP_NATS, async () => {
    const nats = await startNatsServer();
    const nc = await connect({ servers: nats.url });
    try {
      const layout = await openLayout(nc, 2);
      for (const flag of [undefined, 'ir-01']) {
        const h = await viaHunt(flag);
        const hosts = new Map<string, number>();
        const s = await publishInputs({
          nc,
          js: layout.js,
          config: config(),
          partitions: 2,
          inputs: [dir],
          defaultHost: flag,
          onProblem() {},
          onPublished: (ev) => hosts.set(ev.host, (hosts.get(ev.host) ?? 0) + 1),
        });
        assert.deepEqual(decisions(s.hosts), decisions(h.notes), `notes with --host ${flag}`);
        assert.deepEqual([...hosts].sort(), [...h.hosts].sort(), `events per host with --host ${flag}`);
      }
    } finally {
      await nc.drain();
      await nats.stop();
    }
  });

  it('serve: ?host=, --event-host and a ?source= file name give the host; a body given none says so', async () => {
    const srv = await serve({
      ...SERVE_DEFAULTS,
      config: config(),
      catalog: builtinCatalog(),
      port: 0,
      defaultHost: undefined,
      idleFlushMs: 20,
    });
    const flagged = await serve({
      ...SERVE_DEFAULTS,
      config: config(),
      catalog: builtinCatalog(),
      port: 0,
      defaultHost: 'ir-01',
      idleFlushMs: 20,
    });
    try {
      const post = async (url: string, file: string) => {
        const r = await fetch(url, { method: 'POST', body: readFileSync(file) });
        return { status: r.status, body: (await r.json()) as { accepted: number; hosts: HostNote[] } };
      };
      const named = await post(`${srv.url}/ingest?source=db05.audit.log`, FILES.db05);
      assert.equal(named.status, 200);
      assert.deepEqual(
        named.body.hosts.map((n) => [n.host, n.how]),
        [['db05', 'file-name']],
      );
      const given = await post(`${srv.url}/ingest?source=audit.log&host=build03`, FILES.build03Audit);
      assert.deepEqual(
        given.body.hosts.map((n) => [n.host, n.how]),
        [['build03', 'flag']],
      );
      const none = await post(`${srv.url}/ingest?source=audit.log`, FILES.loose);
      const [note] = none.body.hosts;
      assert.equal(note.host, undefined);
      assert.match(note.detail, /^no host: .+; use --host$/);
      const metrics = await fetch(`${srv.url}/metrics`).then((r) => r.text());
      assert.match(metrics, new RegExp(`^ratchain_events_without_host_total ${note.records}$`, 'm'));
      const byFlag = await post(`${flagged.url}/ingest?source=audit.log`, FILES.loose);
      assert.deepEqual(
        byFlag.body.hosts.map((n) => [n.host, n.how, n.records]),
        [['ir-01', 'flag', note.records]],
      );
      const bad = await post(`${srv.url}/ingest?host=a%1b[2J`, FILES.loose);
      assert.equal(bad.status, 400);
    } finally {
      await srv.close();
      await flagged.close();
    }
  });
});
