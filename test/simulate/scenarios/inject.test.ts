// Scenario labels state what the telemetry supports: same scenario, different sensors, different
// conclusions where (and only where) the sensor cannot show a step.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HostActivity } from '../../../src/simulate/activity.ts';
import type { SimHost } from '../../../src/simulate/model.ts';
import { createRng } from '../../../src/simulate/rng.ts';
import { inject } from '../../../src/simulate/scenarios/inject.ts';

const T0 = Date.UTC(2026, 10, 2, 10);

function host(platform: SimHost['platform'], extra: Partial<SimHost> = {}): SimHost {
  return {
    index: 3,
    name: platform === 'windows' ? 'WS-0003' : platform === 'linux' ? 'lnx-0003' : 'mac-0003',
    fqdn: 'x.corp.example',
    platform,
    ip: '10.9.0.3',
    user: 'alice',
    domain: 'CORP',
    support: false,
    windowsFormat: 'sysmon-xml',
    macSensor: 'eslogger',
    bootTime: T0 - 3_600_000,
    ...extra,
  };
}

function run(h: SimHost, kind: Parameters<typeof inject>[1]['kind'], tool: string) {
  const act = new HostActivity(h, createRng(1, 'test'));
  const label = inject(act, { id: 'S1', kind, tool, hostIndex: h.index, start: T0 });
  return { label, records: act.records };
}

describe('inject', () => {
  it('labels a full AnyDesk chain on Windows as a four-step alert with its two images', () => {
    const { label, records } = run(host('windows'), 'rmm-full', 'anydesk');
    assert.equal(label.expect, 'alert');
    assert.deepEqual(label.steps, ['execution', 'persistence', 'egress', 'control']);
    assert.deepEqual(label.images, [
      'C:\\Users\\alice\\Downloads\\AnyDesk.exe',
      'C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe',
    ]);
    assert.ok(records.some((r) => r.k === 'service' && r.name === 'AnyDesk'));
    assert.ok(records.some((r) => r.k === 'proc' && r.proc.image.endsWith('ipconfig.exe')));
  });

  it('drops a LaunchAgent the agent wrote from the steps when only osquery (no process on file events) saw it', () => {
    const withEs = run(host('macos'), 'custom-rat', 'custom').label;
    const osqueryOnly = run(host('macos', { macSensor: 'osquery' }), 'custom-rat', 'custom').label;
    assert.ok(withEs.steps.includes('persistence'));
    assert.ok(!osqueryOnly.steps.includes('persistence'));
    assert.equal(
      osqueryOnly.expect,
      'alert',
      'start, beaconing and a suspicious shell are still three steps',
    );
  });

  it('labels an approved help-desk session as suppressed and the same tool from Temp as an alert', () => {
    const sup = host('windows', { name: 'SUP-0001', support: true });
    assert.equal(run(sup, 'approved-helpdesk', 'teamviewer').label.expect, 'suppressed');
    const misuse = run(sup, 'approved-misuse', 'teamviewer').label;
    assert.equal(misuse.expect, 'alert');
    assert.ok(misuse.images[0].includes('\\AppData\\Local\\Temp\\'));
  });

  it('spreads the evasive variant so no window holds more than two steps', () => {
    const { label, records } = run(host('linux'), 'spread-beyond-window', 'anydesk');
    assert.equal(label.expect, 'signal');
    const unit = records.find((r) => r.k === 'file' && r.path.includes('/systemd/'))!;
    const shell = records.find((r) => r.k === 'proc' && r.proc.image === '/usr/bin/bash')!;
    assert.ok(unit.t - T0 > 30 * 60_000 && shell.t - unit.t > 15 * 60_000);
  });
});
