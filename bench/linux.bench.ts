// Linux and network reader throughput: raw auditd, Zeek conn TSV and a Zeek NSM NDJSON stream
// (conn mixed with other log types). Each input is generated here (deterministic, realistic
// record shapes) and hunted by the CLI, whole process. The baseline is a process that only
// reads and splits the same file into lines, so the ratio says what parsing and the engine cost.
import { closeSync, existsSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { huntRow } from './process.ts';
import type { Benchmark, BenchRow } from './row.ts';

const GENERATOR_VERSION = 1;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const hex = (s: string) => Buffer.from(s).toString('hex').toUpperCase();

/** Writes `lines()` to `path` in large blocks, unless a file of this generator version is there. */
function generate(path: string, lines: () => Generator<string>): void {
  if (existsSync(path)) return;
  const fd = openSync(`${path}.tmp`, 'w');
  let block: string[] = [];
  let size = 0;
  for (const l of lines()) {
    block.push(l);
    size += l.length;
    if (size > 1 << 20) {
      writeSync(fd, `${block.join('\n')}\n`);
      block = [];
      size = 0;
    }
  }
  if (block.length) writeSync(fd, `${block.join('\n')}\n`);
  closeSync(fd);
  renameSync(`${path}.tmp`, path);
}

const IMAGES = ['/usr/bin/bash', '/usr/bin/curl', '/usr/bin/python3.11', '/usr/sbin/sshd', '/tmp/.x/relayd'];

function* auditLines(groups: number): Generator<string> {
  const r = lcg(7);
  let t = 1_700_000_000_000;
  for (let serial = 1; serial <= groups; serial++) {
    t += 3 + Math.floor(r() * 20);
    const stamp = `msg=audit(${Math.floor(t / 1000)}.${String(t % 1000).padStart(3, '0')}:${serial}):`;
    const pid = 1000 + Math.floor(r() * 30000);
    const ppid = 1000 + Math.floor(r() * 30000);
    const exe = IMAGES[Math.floor(r() * IMAGES.length)];
    const kind = r();
    const sys = (nr: number, items: number, extra: string) =>
      `type=SYSCALL ${stamp} arch=c000003e syscall=${nr} success=yes exit=0 a0=7ffd1 a1=55d2 a2=0 a3=0 items=${items} ppid=${ppid} pid=${pid} auid=1001 uid=1001 gid=1001 euid=1001 suid=1001 fsuid=1001 egid=1001 sgid=1001 fsgid=1001 tty=pts0 ses=3 comm="${exe.slice(exe.lastIndexOf('/') + 1, exe.lastIndexOf('/') + 16)}" exe="${exe}" subj=unconfined_u:unconfined_r:unconfined_t:s0 key=${extra}`;
    if (kind < 0.5) {
      const arg = `https://example.org/p/${Math.floor(r() * 1e9)} -o /tmp/out file`;
      yield sys(59, 2, '"exec"');
      yield `type=EXECVE ${stamp} argc=3 a0="${exe.slice(exe.lastIndexOf('/') + 1)}" a1="-sS" a2=${hex(arg)}`;
      yield `type=CWD ${stamp} cwd="/home/alice"`;
      yield `type=PATH ${stamp} item=0 name="${exe}" inode=${pid} dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0`;
      yield `type=PATH ${stamp} item=1 name="/lib64/ld-linux-x86-64.so.2" inode=99 dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0`;
      yield `type=PROCTITLE ${stamp} proctitle=${hex(`${exe} -sS ${arg}`)}`;
      yield `type=EOE ${stamp} `;
    } else if (kind < 0.8) {
      const ip = [203, 0, 113, Math.floor(r() * 255)].map((b) => b.toString(16).padStart(2, '0')).join('');
      yield sys(42, 0, '"net"');
      yield `type=SOCKADDR ${stamp} saddr=020001BB${ip.toUpperCase()}0000000000000000`;
      yield `type=PROCTITLE ${stamp} proctitle=${hex(exe)}`;
      yield `type=EOE ${stamp} `;
    } else if (kind < 0.9) {
      yield sys(257, 2, '"files"');
      yield `type=CWD ${stamp} cwd="/home/alice"`;
      yield `type=PATH ${stamp} item=0 name="/home/alice/.config/systemd/user/" inode=5 dev=08:01 mode=040755 ouid=1001 ogid=1001 rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0`;
      yield `type=PATH ${stamp} item=1 name="/home/alice/.config/systemd/user/u${serial}.service" inode=6 dev=08:01 mode=0100644 ouid=1001 ogid=1001 rdev=00:00 nametype=CREATE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0`;
      yield `type=PROCTITLE ${stamp} proctitle=${hex(exe)}`;
      yield `type=EOE ${stamp} `;
    } else {
      yield `type=USER_START ${stamp} pid=${pid} uid=0 auid=1001 ses=3 subj=system_u:system_r:sshd_t:s0 msg='op=PAM:session_open grantors=pam_unix acct="alice" exe="/usr/sbin/sshd" hostname=198.51.100.23 addr=198.51.100.23 terminal=ssh res=success'`;
    }
  }
}

function connTsv(r: () => number, t: number): string {
  const dur = r() < 0.05 ? (r() * 7200).toFixed(6) : (r() * 3).toFixed(6);
  return [
    (t / 1000).toFixed(6),
    `C${Math.floor(r() * 1e12).toString(36)}`,
    `10.0.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`,
    1024 + Math.floor(r() * 60000),
    `203.0.113.${Math.floor(r() * 255)}`,
    r() < 0.7 ? 443 : 53,
    r() < 0.7 ? 'tcp' : 'udp',
    r() < 0.5 ? 'ssl' : '-',
    dur,
    Math.floor(r() * 1e6),
    Math.floor(r() * 1e6),
    'SF',
    '-',
    '-',
    0,
    'ShADadFf',
    12,
    2000,
    10,
    9000,
    '-',
  ].join('\t');
}

function* zeekTsvLines(records: number): Generator<string> {
  const r = lcg(11);
  yield '#separator \\x09';
  yield '#set_separator\t,';
  yield '#empty_field\t(empty)';
  yield '#unset_field\t-';
  yield '#path\tconn';
  yield '#open\t2023-11-14-22-13-20';
  yield '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents';
  yield '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]';
  let t = 1_700_000_000_000;
  for (let i = 0; i < records; i++) {
    t += Math.floor(r() * 50);
    yield connTsv(r, t);
  }
}

function* zeekNsmLines(records: number): Generator<string> {
  const r = lcg(13);
  let t = 1_700_000_000_000;
  for (let i = 0; i < records; i++) {
    t += Math.floor(r() * 50);
    const ts = t / 1000;
    const k = r();
    if (k < 0.3) {
      yield JSON.stringify({
        '@stream': 'conn',
        '@system': 'nsm',
        '@proc': 'zeek',
        ts,
        uid: `C${i}`,
        id_orig_h: `10.0.0.${i % 250}`,
        id_orig_p: 40000 + (i % 20000),
        id_resp_h: `203.0.113.${i % 250}`,
        id_resp_p: 443,
        proto: 'tcp',
        service: 'ssl',
        duration: r() * 100,
        orig_bytes: Math.floor(r() * 1e5),
        resp_bytes: Math.floor(r() * 1e6),
        conn_state: 'SF',
        missed_bytes: 0,
        history: 'ShADadFf',
        orig_pkts: 10,
        orig_ip_bytes: 1000,
        resp_pkts: 20,
        resp_ip_bytes: 30000,
      });
    } else if (k < 0.6) {
      yield JSON.stringify({
        '@stream': 'ssl',
        '@system': 'nsm',
        '@proc': 'zeek',
        ts,
        uid: `C${i}`,
        id_orig_h: '10.0.0.1',
        id_orig_p: 40000,
        id_resp_h: '203.0.113.9',
        id_resp_p: 443,
        version: 'TLSv12',
        cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
        server_name: 'login.example.com',
        established: true,
      });
    } else {
      yield JSON.stringify({
        '@stream': 'loaded_scripts',
        '@system': 'nsm',
        '@proc': 'zeek',
        name: `/opt/zeek/share/zeek/base/protocols/p${i % 97}/main.zeek`,
      });
    }
  }
}

/** Parsing may cost this much over splitting the lines (auditd assembles multi-record events). */
const READER_GOAL = 3;

function measure(name: string, path: string): BenchRow {
  return huntRow({ name, files: [path], lines: 'split', goal: READER_GOAL });
}

const bench: Benchmark = async ({ scale, workDir }) => {
  const groups = Math.round(60_000 * scale);
  const conns = Math.round(200_000 * scale);
  const audit = join(workDir, `linux-audit-v${GENERATOR_VERSION}-${groups}.log`);
  const tsv = join(workDir, `zeek-conn-v${GENERATOR_VERSION}-${conns}.log`);
  const nsm = join(workDir, `zeek-nsm-v${GENERATOR_VERSION}-${conns}.json`);
  generate(audit, () => auditLines(groups));
  generate(tsv, () => zeekTsvLines(conns));
  generate(nsm, () => zeekNsmLines(conns));
  return [
    measure('hunt raw audit.log', audit),
    measure('hunt Zeek conn TSV', tsv),
    measure('hunt Zeek NSM NDJSON (30% conn)', nsm),
  ];
};

export default bench;
