// The address book: which host held an address at a given time. A DHCP lease holds from its time
// until it runs out or is released; a host's own use of an address holds until another binding
// supersedes it; HostAliases override everything.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressBook } from '../../src/engine/address-book.ts';
import { fileName } from '../../src/model/paths.ts';
import { compileRules } from '../../src/rules/compile.ts';
import { builtinRules } from '../../src/rules/load.ts';

const LEAD = compileRules(builtinRules(), fileName).egress.leaseLeadMs;

const T = Date.UTC(2026, 1, 10, 9, 0, 0);
const min = 60_000;
const INF = Number.POSITIVE_INFINITY;

test('a lease holds for its lease time; the next lease of the address to another host takes over', () => {
  const b = addressBook({}, LEAD);
  b.bind('10.20.40.57', 'wks-dave', T, T + 60 * min, 'dhcp');
  b.bind('10.20.40.57', 'wks-erin', T + 90 * min, T + 150 * min, 'dhcp');
  assert.deepEqual(b.ownerAt('10.20.40.57', T + 10 * min), { host: 'wks-dave', via: 'dhcp' });
  assert.equal(b.ownerAt('10.20.40.57', T + 75 * min), undefined, 'between the leases nobody holds it');
  assert.equal(b.ownerAt('10.20.40.57', T + 100 * min)?.host, 'wks-erin');
  assert.equal(b.ownerAt('10.20.40.57', T + 200 * min), undefined);
});

test('a flow shortly before the lease that closes the DHCP conversation still belongs to it', () => {
  const b = addressBook({}, LEAD);
  b.bind('10.20.40.57', 'wks-dave', T, T + 60 * min, 'dhcp');
  assert.equal(b.ownerAt('10.20.40.57', T - 20_000)?.host, 'wks-dave');
  assert.equal(b.ownerAt('10.20.40.57', T - 10 * min), undefined);
});

test('a release ends the lease; a renewal extends it', () => {
  const b = addressBook({}, LEAD);
  b.bind('10.20.40.23', 'wks-cara', T, T + 60 * min, 'dhcp');
  b.bind('10.20.40.23', 'wks-cara', T + 30 * min, T + 90 * min, 'dhcp');
  assert.equal(b.ownerAt('10.20.40.23', T + 80 * min)?.host, 'wks-cara');
  b.release('10.20.40.23', 'wks-cara', T + 85 * min);
  assert.equal(b.ownerAt('10.20.40.23', T + 86 * min), undefined);
});

test("a host's own use of an address holds until a later binding supersedes it; aliases override", () => {
  const b = addressBook({ '10.20.40.99': 'jump01' }, LEAD);
  b.bind('10.20.40.57', 'wks-old', T, INF, 'host');
  b.bind('10.20.40.57', 'wks-dave', T + 120 * min, T + 180 * min, 'dhcp');
  assert.equal(b.ownerAt('10.20.40.57', T + 60 * min)?.host, 'wks-old');
  assert.equal(b.ownerAt('10.20.40.57', T + 130 * min)?.host, 'wks-dave');
  b.bind('10.20.40.99', 'wks-dave', T, INF, 'dhcp');
  assert.deepEqual(b.ownerAt('10.20.40.99', T), { host: 'jump01', via: 'alias' });
});

test('bindings that ended are forgotten; memory is bounded by addresses, not sightings', () => {
  const b = addressBook({}, LEAD);
  for (let i = 0; i < 100; i++) b.bind('10.0.0.1', `h${i}`, T + i * min, T + i * min + 30_000, 'dhcp');
  assert.equal(b.size(), 1);
  b.expire(T + 200 * min);
  assert.equal(b.size(), 0);
});
