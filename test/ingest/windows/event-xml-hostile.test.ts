// A 1 MB event-XML line of repeated, unclosed <Data> is read in one pass (a lazy regex took
// 25-60 s on it), and ordinary Data leaves still read as before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEventXml } from '../../../src/ingest/windows/event-xml.ts';

const HEAD =
  "<Event><System><EventID>1</EventID><TimeCreated SystemTime='2024-01-01T00:00:00Z'/><Computer>ws1</Computer></System><EventData>";

test('a million characters of unclosed <Data> is one scan', { timeout: 10_000 }, () => {
  const r = parseEventXml(`${HEAD}${'<Data>'.repeat(170_000)}</EventData></Event>`);
  assert.equal(typeof r, 'object');
});

test('named, empty and unnamed Data leaves', () => {
  const r = parseEventXml(
    `${HEAD}<Data Name='Image'>C:\\x.exe</Data><Data Name='Empty'/><Data>u</Data><Data>v</Data></EventData></Event>`,
  );
  assert.ok(typeof r === 'object');
  assert.deepEqual(r.data, { Image: 'C:\\x.exe', Empty: '', Data: 'u', Data1: 'v' });
});
