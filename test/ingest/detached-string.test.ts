import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detach, detachEvent } from '../../src/ingest/detached-string.ts';
import type { ProcessStartEvent } from '../../src/model/event.ts';

test('detached strings are equal to the original, nested fields included, the file name untouched', () => {
  const chunk = `${'x'.repeat(70_000)}/tmp/.x/relayd --server relay.example.net:443`;
  const cut = chunk.slice(70_000);
  assert.equal(detach(cut), cut);
  assert.equal(detach(undefined), undefined);
  const file = '/var/log/audit/audit.log';
  const ev: ProcessStartEvent = {
    kind: 'process',
    time: 1,
    host: chunk.slice(0, 20),
    platform: 'linux',
    src: { file, format: 'auditd', line: 1, record: '12345678901234' },
    proc: { pid: 1, image: cut.slice(0, 14) },
    parent: { pid: 0, image: '/usr/lib/systemd/systemd' },
    commandLine: cut,
  };
  const before = JSON.stringify(ev);
  assert.equal(JSON.stringify(detachEvent(ev)), before);
  assert.equal(ev.src.file, file);
});
