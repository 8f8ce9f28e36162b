import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeSockaddr } from '../../../src/ingest/linux/audit-sockaddr.ts';

test('AF_INET: port and address in network order', () => {
  // 169.254.169.254:80, as in the go-libaudit sample
  assert.deepEqual(decodeSockaddr('02000050A9FEA9FE0000000000000000'), {
    family: 'inet',
    ip: '169.254.169.254',
    port: 80,
  });
});

test('AF_INET6: compressed text; IPv4-mapped addresses come out as IPv4', () => {
  assert.deepEqual(decodeSockaddr(`0A0001BB00000000${'20010DB8000000000000000000000050'}00000000`), {
    family: 'inet6',
    ip: '2001:db8::50',
    port: 443,
  });
  assert.deepEqual(decodeSockaddr(`0A001F9000000000${'00000000000000000000FFFFCB007132'}00000000`), {
    family: 'inet',
    ip: '203.0.113.50',
    port: 8080,
  });
});

test('local families are named, not decoded', () => {
  assert.deepEqual(decodeSockaddr('01002F7661722F72756E2F6E7363642F736F636B657400'), {
    family: 'unix',
    code: 1,
  });
  assert.deepEqual(decodeSockaddr('100000000000000000000000'), { family: 'netlink', code: 16 });
});

test('odd hex, garbage and short structs are reported', () => {
  assert.ok('bad' in decodeSockaddr('02000050A9FEA9F'));
  assert.ok('bad' in decodeSockaddr('zz'));
  assert.ok('bad' in decodeSockaddr('02000050'));
  assert.ok('bad' in decodeSockaddr('0A000016000000000000'));
});
