// S1 on its own: which agent a started or merely seen process belongs to, and the flags its
// image and user earn. Plain process events go through lineage and the execution step only.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EngineContext } from '../../../src/engine/context.ts';
import { procFor, startProc } from '../../../src/engine/lineage.ts';
import type { HostState } from '../../../src/engine/state.ts';
import { attributeStart, observe, rememberWriter } from '../../../src/engine/steps/execution.ts';
import type { ProcessStartEvent } from '../../../src/model/event.ts';
import { at, fileCreate, HOST, proc } from '../../support/events.ts';
import { agents, agentWith, feed, stepContext } from './harness.ts';

const EXPLORER = 'C:\\Windows\\explorer.exe';
const CMD = 'C:\\Windows\\System32\\cmd.exe';
const PORTABLE = 'C:\\Users\\alice\\Downloads\\AnyDesk.exe';
const INSTALLED = 'C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe';
const SHA = `${'c'.repeat(62)}03`;

function start(ctx: EngineContext, h: HostState, ev: ProcessStartEvent): void {
  const { proc: p, fresh } = startProc(h, ev);
  if (fresh) attributeStart(ctx, h, p, ev);
}

describe('execution step', () => {
  test('a catalogued tool starting from Downloads is an agent with S1, named by the catalogue, flagged temp_path', () => {
    const ctx = stepContext();
    feed(
      ctx,
      [proc({ at: at(0), guid: '{A}', image: PORTABLE, parentGuid: '{e}', parentImage: EXPLORER })],
      start,
    );
    const a = agentWith(ctx, PORTABLE);
    assert.equal(a.tool?.tool.name, 'AnyDesk');
    assert.equal(a.steps.execution.count, 1);
    assert.equal(a.steps.execution.link, 'catalogue entry AnyDesk');
    assert.ok(a.flags.has('temp_path'));
  });

  test('the installed copy with the same hash joins the portable copy: one agent, the link says why', () => {
    const ctx = stepContext();
    feed(
      ctx,
      [
        proc({ at: at(0), guid: '{P}', image: PORTABLE, sha256: SHA }),
        proc({ at: at(3), guid: '{I}', image: INSTALLED, sha256: SHA }),
      ],
      start,
    );
    assert.equal(agents(ctx).length, 1);
    const a = agentWith(ctx, INSTALLED);
    assert.ok(a.images.has(PORTABLE));
    assert.ok(
      a.links.some((l) => l.startsWith('same file hash')),
      a.links.join('; '),
    );
    assert.equal(a.steps.execution.count, 2);
  });

  test('a shell started by explorer is nobody’s agent', () => {
    const ctx = stepContext();
    feed(
      ctx,
      [proc({ at: at(0), guid: '{c}', image: CMD, parentGuid: '{e}', parentImage: EXPLORER })],
      start,
    );
    assert.equal(agents(ctx).length, 0);
  });

  test('a renamed binary run by a standard user on an ordinary host is flagged renamed and standard_user', () => {
    const ctx = stepContext();
    const SETUP = 'C:\\Users\\bob\\Desktop\\setup.exe';
    feed(
      ctx,
      [
        proc({
          at: at(0),
          guid: '{S}',
          image: SETUP,
          user: 'CORP\\bob',
          integrity: 'Medium',
          meta: { originalFileName: 'AnyDesk.exe', product: 'AnyDesk' },
        }),
      ],
      start,
    );
    const a = agentWith(ctx, SETUP);
    assert.match(a.flags.get('renamed') ?? '', /setup\.exe was renamed from AnyDesk\.exe/);
    assert.match(a.flags.get('standard_user') ?? '', /CORP\\bob/);
  });

  test('a catalogued tool seen acting without its start is S1 "seen running"', () => {
    const ctx = stepContext();
    const ev = fileCreate({
      at: at(0),
      guid: '{R}',
      image: INSTALLED,
      path: 'C:\\ProgramData\\AnyDesk\\ad.trace',
    });
    feed(ctx, [ev], (c, h, e) => observe(c, h, procFor(h, e.proc, e.time), e.time, e.src));
    const a = agentWith(ctx, INSTALLED);
    assert.match(a.steps.execution.evidence[0].summary, /seen running \(its start is not in the logs\)/);
  });

  test('an executable the agent wrote is the agent when it runs', () => {
    const ctx = stepContext();
    const DROPPED = 'C:\\Users\\alice\\AppData\\Roaming\\svc\\helper.exe';
    feed(ctx, [proc({ at: at(0), guid: '{A}', image: PORTABLE })], start);
    const h = ctx.hosts.get(HOST, 'windows', ctx.now);
    const write = fileCreate({ at: at(1), guid: '{A}', image: PORTABLE, path: DROPPED });
    rememberWriter(ctx, h, procFor(h, write.proc, write.time), write.path, write);
    feed(ctx, [proc({ at: at(2), guid: '{H}', image: DROPPED })], start);
    const a = agentWith(ctx, DROPPED);
    assert.ok(a.images.has(PORTABLE));
    assert.ok(
      a.links.some((l) => /written by the agent's process/.test(l)),
      a.links.join('; '),
    );
  });
});
