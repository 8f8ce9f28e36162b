// Zeek dns.log in TSV and in the NSM pipeline's JSON: which client asked for which name, and the
// addresses it got. CNAME targets, failed lookups and answers that are no address are dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zeek } from '../../../src/ingest/network/zeek.ts';
import type { DnsEvent } from '../../../src/model/event.ts';
import { decodeText } from '../linux/decode.ts';

const dns = (evs: unknown[]) => evs as DnsEvent[];

test('TSV dns.log: answers split by the set separator, addresses kept, names dropped', () => {
  const text = [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    '#path\tdns',
    '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected',
    '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool',
    '1770714720.204133\tCd3kP9x2Lm4Qw8Rt1a\t10.20.40.23\t61544\t10.20.40.2\t53\tudp\t41233\t0.021457\tRS-NY.rustdesk.com\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\trs-ny.rustdesk.com.cdn.cloudflare.net,203.0.113.77\t300.000000,300.000000\tF',
    '1770714721.006310\tCq8Wm1n3Bv5Cx7Zl9p\t10.20.40.23\t61545\t10.20.40.2\t53\tudp\t41234\t0.010002\twpad.corp.example\t1\tC_INTERNET\t1\tA\t3\tNXDOMAIN\tF\tF\tT\tT\t0\t-\t-\tF',
    '1770714722.551200\tCt4Yh6j8Ku0Io2Pa5s\t10.20.40.23\t61546\t10.20.40.2\t53\tudp\t41235\t0.012301\twww.example.org\t1\tC_INTERNET\t28\tAAAA\t0\tNOERROR\tF\tF\tT\tT\t0\t2001:db8::80\t3600.000000\tF',
  ].join('\n');
  const r = decodeText(zeek, text);
  assert.deepEqual(r.problems, []);
  assert.equal(r.ignored, 1, 'the NXDOMAIN names no address');
  assert.deepEqual(
    dns(r.events).map((e) => [e.time, e.host, e.clientIp, e.platform, e.query, e.answers, e.src.format]),
    [
      [
        1770714720204,
        '10.20.40.23',
        '10.20.40.23',
        'network',
        'rs-ny.rustdesk.com',
        ['203.0.113.77'],
        'zeek-dns',
      ],
      [
        1770714722551,
        '10.20.40.23',
        '10.20.40.23',
        'network',
        'www.example.org',
        ['2001:db8::80'],
        'zeek-dns',
      ],
    ],
  );
});

test('JSON dns records from an NSM pipeline (@stream, underscored names)', () => {
  const line =
    '{"@stream": "dns", "@system": "test-nsm", "@proc": "zeek", "ts": 1588316619.797806, "uid": "CyLse01Jig9yHofDXc", "id_orig_h": "10.0.1.5", "id_orig_p": 55979, "id_resp_h": "10.0.0.4", "id_resp_p": 53, "proto": "udp", "query": "ctldl.windowsupdate.com", "qtype_name": "A", "rcode_name": "NOERROR", "answers": ["audownload.windowsupdate.nsatc.net", "a767.dscg3.akamai.net", "23.62.7.160", "23.62.7.146"], "TTLs": [2725.0, 899.0, 19.0, 19.0]}';
  const r = decodeText(zeek, line);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    dns(r.events).map((e) => [e.host, e.query, e.answers]),
    [['10.0.1.5', 'ctldl.windowsupdate.com', ['23.62.7.160', '23.62.7.146']]],
  );
});
