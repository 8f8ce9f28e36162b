// S2 on its own: which facts are persistence entries, and whose entry each is: the program it
// runs, the agent that wrote it, or both merged into one. Plain events, persistence step only
// (process starts go through lineage so writers are known).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EngineContext } from '../../../src/engine/context.ts';
import { procFor, startProc } from '../../../src/engine/lineage.ts';
import type { HostState } from '../../../src/engine/state.ts';
import { attributeStart } from '../../../src/engine/steps/execution.ts';
import {
  bindRegisteredCommand,
  commandPersistence,
  filePersistence,
  filePersistenceAt,
  onPersistence,
  onRegistry,
  registryPersistence,
} from '../../../src/engine/steps/persistence.ts';
import type { RatEvent } from '../../../src/model/event.ts';
import { at, fileCreate, proc, regSet, service } from '../../support/events.ts';
import { agents, agentWith, feed, stepContext } from './harness.ts';

const R = stepContext().rules;

const INSTALLED = 'C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe';
const UPDATER = 'C:\\Users\\bob\\AppData\\Local\\Temp\\upd.exe';
const CMD = 'C:\\Windows\\System32\\cmd.exe';

/** Process starts place lineage only; entries go to the persistence step. */
function step(ctx: EngineContext, h: HostState, ev: RatEvent): void {
  if (ev.kind === 'process') {
    const { proc: p, fresh } = startProc(h, ev);
    if (fresh && !bindRegisteredCommand(ctx, h, p)) attributeStart(ctx, h, p, ev);
  } else if (ev.kind === 'persistence') onPersistence(ctx, h, ev);
  else if (ev.kind === 'registry') onRegistry(ctx, h, ev);
  else if (ev.kind === 'file') filePersistenceAt(ctx, h, ev.path, procFor(h, ev.proc, ev.time), ev);
}

describe('persistence step: which facts are entries', () => {
  test('registry: service ImagePath, Run keys and Winlogon are entries; other values are not', () => {
    assert.equal(
      registryPersistence(R, 'HKLM\\System\\CurrentControlSet\\Services\\AnyDesk\\ImagePath', 'x')?.mechanism,
      'service',
    );
    assert.equal(
      registryPersistence(R, 'HKU\\S-1\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce\\x', 'y')?.name,
      'x',
    );
    assert.equal(
      registryPersistence(R, 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Shell', 'y')
        ?.name,
      'Winlogon Shell',
    );
    assert.equal(registryPersistence(R, 'HKLM\\Software\\Vendor\\Settings\\Theme', 'dark'), undefined);
  });

  test('files: unit files and their .wants links, cron, LaunchAgents (hidden or Apple-lookalike noted)', () => {
    assert.equal(filePersistence(R, '/etc/systemd/system/relayd.service')?.name, 'relayd.service');
    assert.equal(
      filePersistence(R, '/etc/systemd/system/multi-user.target.wants/relayd.service')?.name,
      'relayd.service',
    );
    assert.equal(filePersistence(R, '/etc/cron.d/backup')?.mechanism, 'cron');
    const plist = filePersistence(R, '/Users/amy/Library/LaunchAgents/com.apple.updater.plist');
    assert.equal(plist?.name, 'com.apple.updater');
    assert.deepEqual(plist?.flags, [
      ['apple_lookalike', 'Apple-lookalike label com.apple.updater outside /System'],
    ]);
    assert.equal(filePersistence(R, '/home/amy/notes.txt'), undefined);
  });

  test('commands: sc create, schtasks /create, systemctl enable, launchctl load', () => {
    assert.deepEqual(commandPersistence(R, 'sc.exe', 'sc create Relay binPath= "C:\\x\\relay.exe"'), {
      mechanism: 'service',
      name: 'Relay',
      command: 'C:\\x\\relay.exe',
    });
    assert.equal(
      commandPersistence(R, 'schtasks.exe', 'schtasks /create /tn "Updater" /tr "C:\\x\\u.exe" /sc onlogon')
        ?.command,
      'C:\\x\\u.exe',
    );
    assert.equal(
      commandPersistence(R, '/usr/bin/systemctl', 'systemctl enable --now relayd.service')?.name,
      'relayd.service',
    );
    assert.equal(
      commandPersistence(R, '/bin/launchctl', 'launchctl load -w /Library/LaunchDaemons/com.x.agent.plist')
        ?.name,
      'com.x.agent',
    );
    assert.equal(commandPersistence(R, '/usr/bin/crontab', 'crontab -l'), undefined);
  });

  test('commands: a quoted value with \\" inside (as cmd requires for a path with arguments) reads unescaped', () => {
    const run = commandPersistence(
      R,
      'C:\\Windows\\System32\\reg.exe',
      'reg  add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v Helper /t REG_SZ /d "\\"C:\\Users\\Public\\h.exe\\" --tray" /f',
    );
    assert.deepEqual(
      [run?.mechanism, run?.name, run?.command],
      ['run_key', 'Helper', '"C:\\Users\\Public\\h.exe" --tray'],
    );
    assert.equal(
      commandPersistence(R, 'sc.exe', 'sc create Relay binPath= "\\"C:\\Program Files\\R\\r.exe\\" -service"')
        ?.command,
      '"C:\\Program Files\\R\\r.exe" -service',
    );
    assert.equal(
      commandPersistence(
        R,
        'schtasks.exe',
        'schtasks /create /tn U /tr "\\"C:\\x y\\u.exe\\" -a" /sc onlogon',
      )?.command,
      '"C:\\x y\\u.exe" -a',
    );
  });
});

describe('persistence step: whose entry it is', () => {
  test('a service nobody we know installed belongs to the program it runs', () => {
    const ctx = stepContext();
    feed(ctx, [service({ at: at(0), name: 'AnyDesk', command: `"${INSTALLED}" --service` })], step);
    const a = agentWith(ctx, INSTALLED);
    assert.equal(a.steps.persistence.count, 1);
    assert.equal(a.steps.persistence.link, `the entry runs ${INSTALLED}`);
    assert.ok(a.entryNames.has('AnyDesk'));
  });

  test('a Run key the updater wrote for itself is the updater’s S2, written by the agent process', () => {
    const ctx = stepContext();
    feed(
      ctx,
      [
        proc({ at: at(0), guid: '{U}', image: UPDATER }),
        regSet({
          at: at(1),
          guid: '{U}',
          image: UPDATER,
          key: 'HKU\\S-1\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater',
          data: UPDATER,
        }),
      ],
      step,
    );
    const a = agentWith(ctx, UPDATER);
    assert.equal(a.steps.persistence.count, 1);
    assert.equal(agents(ctx).length, 1);
  });

  test('one service reported by 7045 and by its ImagePath value is one agent with two records', () => {
    const ctx = stepContext();
    feed(
      ctx,
      [
        service({ at: at(0), name: 'Relay', command: 'C:\\ProgramData\\relay\\relay.exe' }),
        regSet({
          at: at(0, 1),
          guid: '{services}',
          image: 'C:\\Windows\\System32\\services.exe',
          key: 'HKLM\\System\\CurrentControlSet\\Services\\Relay\\ImagePath',
          data: 'C:\\ProgramData\\relay\\relay.exe',
        }),
      ],
      step,
    );
    assert.equal(agents(ctx).length, 1);
    assert.equal(agents(ctx)[0].steps.persistence.count, 2);
  });

  test('a service that runs a shell command line is flagged service_shell and binds the shell that runs it', () => {
    const ctx = stepContext();
    const command = `${CMD} /c start C:\\ProgramData\\r\\r.exe`;
    feed(
      ctx,
      [
        service({ at: at(0), name: 'Relay', command }),
        proc({ at: at(1), guid: '{c}', image: CMD, commandLine: command, parentGuid: '{s}' }),
      ],
      step,
    );
    assert.equal(agents(ctx).length, 1);
    const a = agents(ctx)[0];
    assert.ok(a.flags.has('service_shell'));
    assert.equal(a.steps.execution.link, 'started with the command line the persistence entry registered');
  });

  test('a unit file written by a dropped binary is that binary’s S2, with the file named in the evidence', () => {
    const ctx = stepContext();
    const BIN = '/tmp/.x/relayd';
    const linux = { host: 'web01', platform: 'linux' as const };
    feed(
      ctx,
      [
        proc({ ...linux, at: at(0), pid: 900, image: BIN }),
        fileCreate({ ...linux, at: at(1), pid: 900, image: BIN, path: '/etc/systemd/system/relayd.service' }),
      ],
      step,
    );
    const a = agentWith(ctx, BIN);
    assert.equal(a.steps.persistence.link, 'written by the agent process');
    assert.equal(a.steps.persistence.evidence[0].file?.path, '/etc/systemd/system/relayd.service');
  });
});
