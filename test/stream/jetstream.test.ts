// Scale-out on a real nats-server: a multi-host stream through 2 workers gives exactly the
// findings `hunt` gives for the same data (final revision per id: severity, steps seen), and a
// worker killed with SIGKILL mid-stream and restarted loses nothing and duplicates nothing.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { builtinCatalog } from '../../src/catalog/index.ts';
import { hunt } from '../../src/hunt.ts';
import type { Finding } from '../../src/model/finding.ts';
import { publishInputs } from '../../src/stream/jetstream/publish.ts';
import {
  EVENTS_STREAM,
  eventsSubject,
  FINDINGS_STREAM,
  type Layout,
  openLayout,
} from '../../src/stream/jetstream/streams.ts';
import { runWorker } from '../../src/stream/jetstream/worker.ts';
import { fleetLines } from '../fixtures/stream/fleet.ts';
import { builtCli } from '../support/cli.ts';
import { type NatsServer, natsServerSkip, startNatsServer } from './nats-server.ts';
import { defaultConfig } from './watch-harness.ts';

const PARTITIONS = 4;
const skip = natsServerSkip();
const dir = mkdtempSync(join(tmpdir(), 'ratchain-js-'));
const file = join(dir, 'fleet.xml');
writeFileSync(file, `${fleetLines({ hosts: 24, noise: 2 }).join('\n')}\n`);
const children: ChildProcess[] = [];

type Summary = { severity: string; stepCount: number; seen: string[] };
const summary = (f: Finding): Summary => ({
  severity: f.severity,
  stepCount: f.stepCount,
  seen: f.steps.filter((s) => s.seen).map((s) => s.step),
});

async function expectedFromHunt(): Promise<Map<string, Summary>> {
  const r = await hunt({ paths: [file], config: defaultConfig(), catalog: builtinCatalog() });
  return new Map(r.findings.map((f) => [f.id, summary(f)]));
}

/** Every message of the findings stream, in order. */
async function readFindings(layout: Layout): Promise<Finding[]> {
  const info = await layout.jsm.streams.info(FINDINGS_STREAM);
  const out: Finding[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await layout.jsm.streams.getMessage(FINDINGS_STREAM, { seq });
    assert.ok(m, `findings message ${seq} is stored`);
    out.push(m.json<Finding>());
  }
  return out;
}

function finals(findings: Finding[]): Map<string, Summary> {
  const latest = new Map<string, Finding>();
  for (const f of findings) if ((latest.get(f.id)?.revision ?? -1) < f.revision) latest.set(f.id, f);
  return new Map([...latest].map(([id, f]) => [id, summary(f)]));
}

function assertNoDuplicates(findings: Finding[]): void {
  const keys = findings.map((f) => `${f.id}:${f.revision}`);
  assert.equal(new Set(keys).size, keys.length, 'a finding revision was published twice');
}

/** Last stream sequence of every partition subject (the close-at-end watermark). */
async function lastSeqs(layout: Layout): Promise<Map<number, number>> {
  const m = new Map<number, number>();
  for (let p = 0; p < PARTITIONS; p++) {
    const msg = await layout.jsm.streams.getMessage(EVENTS_STREAM, { last_by_subj: eventsSubject(p) });
    assert.ok(msg, `partition ${p} has a last message`);
    m.set(p, msg.seq);
  }
  return m;
}

/** Resolves when every partition's checkpoint has reached its target sequence (KV watch, no polling). */
async function checkpointsReach(
  kv: KV,
  target: (p: number, last: number) => boolean,
  timeoutMs = 120_000,
): Promise<void> {
  const reached = new Set<number>();
  const w = await kv.watch({ key: '>' });
  const timer = setTimeout(() => w.stop(), timeoutMs);
  try {
    for await (const e of w) {
      if (e.operation !== 'PUT' || !/^p\d+$/.test(e.key)) continue;
      const p = Number(e.key.slice(1));
      if (target(p, e.json<{ last: number }>().last)) reached.add(p);
      if (reached.size === PARTITIONS) return;
    }
    throw new Error(`checkpoints did not reach their targets in ${timeoutMs} ms (reached ${[...reached]})`);
  } finally {
    clearTimeout(timer);
    w.stop();
  }
}

/** A worker process; with `json`, its --json stdout lines are collected there. */
function startWorkerProcess(url: string, own: string, json?: string[]): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      builtCli(),
      'worker',
      '-q',
      '-s',
      url,
      '-n',
      String(PARTITIONS),
      '--own',
      own,
      '--batch',
      '8',
      ...(json ? ['--json'] : []),
    ],
    { stdio: ['ignore', json ? 'pipe' : 'ignore', 'inherit'] },
  );
  if (json) {
    let carry = '';
    child.stdout?.on('data', (c: Buffer) => {
      const lines = (carry + c.toString()).split('\n');
      carry = lines.pop() ?? '';
      json.push(...lines.filter(Boolean));
    });
  }
  children.push(child);
  return child;
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  return gone;
}

describe('scale-out on JetStream', skip, () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let layout: Layout;

  before(async () => {
    server = await startNatsServer();
  });
  after(async () => {
    for (const c of children) await kill(c, 'SIGKILL');
    await nc?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function freshLayout(): Promise<void> {
    if (nc) {
      // Each test starts from empty streams and checkpoints.
      for (const s of [EVENTS_STREAM, FINDINGS_STREAM, 'KV_ratchain_checkpoints'])
        await layout.jsm.streams.delete(s).catch(() => {});
      await nc.close();
    }
    nc = await connect({ servers: server.url });
    layout = await openLayout(nc, PARTITIONS);
  }

  it('2 workers give exactly the findings of hunt', async () => {
    await freshLayout();
    const pub = await publishInputs({
      nc,
      js: layout.js,
      config: defaultConfig(),
      partitions: PARTITIONS,
      inputs: [file],
      closeAtEnd: true,
      onProblem: (p) => assert.fail(`${p.file}: ${p.message}`),
    });
    assert.ok(
      pub.perPartition.every((n) => n > 0),
      `every partition gets hosts: ${pub.perPartition}`,
    );
    const targets = await lastSeqs(layout);
    const stop = new AbortController();
    const workers = [
      [0, 1],
      [2, 3],
    ].map(async (own) => {
      const wnc = await connect({ servers: server.url });
      const wl = await openLayout(wnc, PARTITIONS);
      await runWorker({
        nc: wnc,
        layout: wl,
        config: defaultConfig(),
        catalog: builtinCatalog(),
        own,
        batch: 50,
        signal: stop.signal,
      });
      await wnc.drain();
    });
    await checkpointsReach(layout.kv, (p, last) => last >= targets.get(p)!);
    stop.abort();
    await Promise.all(workers);

    const published = await readFindings(layout);
    assertNoDuplicates(published);
    const expected = await expectedFromHunt();
    assert.ok(expected.size >= 10, `the fleet makes findings (${expected.size})`);
    assert.deepEqual(finals(published), expected);
  });

  it('a worker killed with SIGKILL mid-stream and restarted loses and duplicates nothing', async () => {
    await freshLayout();
    await publishInputs({
      nc,
      js: layout.js,
      config: defaultConfig(),
      partitions: PARTITIONS,
      inputs: [file],
      closeAtEnd: true,
      onProblem: (p) => assert.fail(`${p.file}: ${p.message}`),
    });
    const targets = await lastSeqs(layout);
    const steady = startWorkerProcess(server.url, '0-1');
    const printed: string[] = [];
    let victim = startWorkerProcess(server.url, '2-3', printed);
    // Kill the second worker once partition 2 is partly done (batches of 8, so mid-stream).
    await checkpointsReach(layout.kv, (p, last) => p !== 2 || (last > 40 && last < targets.get(2)!));
    await kill(victim, 'SIGKILL');
    victim = startWorkerProcess(server.url, '2-3', printed);
    await checkpointsReach(layout.kv, (p, last) => last >= targets.get(p)!);
    await Promise.all([kill(steady, 'SIGTERM'), kill(victim, 'SIGTERM')]);

    const published = await readFindings(layout);
    assertNoDuplicates(published);
    assert.deepEqual(finals(published), await expectedFromHunt());
    // --json on stdout: what the stream holds for those partitions, no revision twice.
    const revisions = printed.map((l) => {
      const f = JSON.parse(l) as Finding;
      return `${f.id}:${f.revision}`;
    });
    assert.ok(revisions.length > 0, 'the restarted worker printed findings');
    assert.equal(new Set(revisions).size, revisions.length, 'no revision printed twice');
  });
});
