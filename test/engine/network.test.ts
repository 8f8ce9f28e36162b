// External means outside the configured internal networks; carve-outs ("!cidr") and the
// ExternalIPAllowlist are configuration, checked here address by address.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_INTERNAL_NETWORKS } from '../../src/config/schema.ts';
import { destinations } from '../../src/engine/network.ts';

const d = destinations(
  [...DEFAULT_INTERNAL_NETWORKS, '!10.10.10.5/32'],
  ['168.63.129.16/32'],
  ['*.anydesk.com'],
);

test('private, CGNAT, loopback, link-local, multicast and ULA addresses are internal by default', () => {
  for (const ip of [
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.1.1',
    '127.0.0.1',
    '169.254.1.1',
    '224.0.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fc00::1',
    '::ffff:10.0.0.1',
    'fe80:0:0:0:3816:b2ee:1b9b:324b',
  ]) {
    assert.equal(d.isExternal(ip), false, ip);
  }
});

test('public addresses are external, and a carved-out lab address is too', () => {
  for (const ip of ['8.8.8.8', '172.32.0.1', '203.0.113.5', '2001:db8::1', '::ffff:8.8.8.8', '10.10.10.5']) {
    assert.equal(d.isExternal(ip), true, ip);
  }
});

test('what is not an address is never external', () => {
  for (const ip of ['', 'garbage', '256.1.1.1', '1.2.3.4.5', '-']) assert.equal(d.isExternal(ip), false, ip);
});

test('the allowlist matches by CIDR and by domain name, and says which entry', () => {
  assert.match(d.allowlisted('168.63.129.16') ?? '', /CIDR/);
  assert.match(d.allowlisted('203.0.113.9', 'relay-1.net.anydesk.com') ?? '', /\*\.anydesk\.com/);
  assert.equal(d.allowlisted('203.0.113.9', 'evil.example'), undefined);
  assert.equal(d.allowlisted('203.0.113.9'), undefined);
});
