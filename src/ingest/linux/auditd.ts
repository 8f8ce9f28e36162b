// The auditd format: raw audit.log (one record per line, `type=... msg=audit(time:serial): ...`),
// ausearch --raw and ausearch -i (interpreted) output, and audit records forwarded through
// syslog (audispd / audisp-syslog lines with a syslog header before the record). Records are
// grouped into events by serial.
import type { DecodeContext, Format, LineDecoder } from '../reader.ts';
import { AuditAssembler } from './audit-assembler.ts';
import { RECORD_TYPES_READ } from './audit-facts.ts';
import { syslogHost } from './syslog-header.ts';

export const AUDITD_FORMAT = 'auditd';

/** Where the record starts in a line that has something before it (syslog header, node=). */
function recordStart(text: string): number {
  const t = text.indexOf(' type=');
  if (t < 0) return -1;
  // `node=HOST type=...`: the record starts at node=.
  const n = text.lastIndexOf('node=', t);
  if (n >= 0 && text.indexOf(' ', n) === t) return n;
  return t + 1;
}

const TYPE = Buffer.from('type=');
const TYPES_READ = [...RECORD_TYPES_READ.map((t) => Buffer.from(`type=${t} `)), Buffer.from('type=AUOMS_')];
const STAMP = Buffer.from(' msg=audit(');

function bytesAt(b: Buffer, at: number, end: number, s: Buffer): boolean {
  if (end - at < s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s[i]) return false;
  return true;
}

/**
 * A raw audit.log record (`type=X msg=audit(...`) of a type no reader uses (CRED_*, USER_ACCT,
 * AVC, BPF...): recognised on its bytes. Wrapped (node=, syslog) and malformed lines are not.
 */
function unusedRecord(b: Buffer, start: number, end: number): boolean {
  if (!bytesAt(b, start, end, TYPE)) return false;
  for (const t of TYPES_READ) if (bytesAt(b, start, end, t)) return false;
  let i = start + TYPE.length;
  while (i < end && b[i] !== 32) i++;
  return bytesAt(b, i, end, STAMP);
}

export function auditdDecoder(ctx: DecodeContext, format = AUDITD_FORMAT): LineDecoder {
  const asm = new AuditAssembler(ctx, format);
  return {
    mode: 'lines',
    skip(bytes, start, end) {
      if (!unusedRecord(bytes, start, end)) return false;
      ctx.ignored();
      return true;
    },
    line(text, lineNo) {
      const c = text.charCodeAt(0);
      // Fast path: a raw audit.log line.
      if ((c === 116 && text.startsWith('type=')) || (c === 110 && text.startsWith('node='))) {
        asm.record(text, 0, lineNo);
        return;
      }
      if (!text.trim()) return;
      // ausearch separators and time lines carry nothing.
      if (text.startsWith('----') || text.startsWith('time->')) return;
      const host = syslogHost(text);
      const start = recordStart(text);
      if (start > 0 && host !== undefined && text.includes('audit(', start)) {
        asm.record(text, start, lineNo, host);
        return;
      }
      if (host !== undefined) {
        ctx.ignored(); // another program's syslog line
        return;
      }
      ctx.problem(`not an audit record (starts with ${JSON.stringify(text.slice(0, 24))}); skipped`, {
        line: lineNo,
      });
    },
    end() {
      asm.end();
    },
  };
}

const RAW = /^(?:node=\S+ )?type=[A-Z0-9_[\]]+ (?:msg=)?audit\(\d+(?:\.\d+)?:\d+\)/;
/** ausearch -i: `type=SYSCALL msg=audit(11/14/2023 22:13:25.002:1003) : ...` */
const INTERPRETED = /^(?:node=\S+ )?type=[A-Z0-9_]+ msg=audit\(\d{1,2}\/\d{1,2}\/\d{2,4} [\d:.]+:\d+\) ?:/;
const SYSLOGGED = / (?:node=\S+ )?type=[A-Z0-9_]+ msg=audit\(\d+(?:\.\d+)?:\d+\)/;

export const auditd: Format = {
  id: AUDITD_FORMAT,
  description: 'Linux auditd: raw audit.log, ausearch --raw output, audit records forwarded through syslog',
  sniff(_head, text) {
    let seen = 0;
    let raw = 0;
    let syslogged = 0;
    let start = 0;
    while (seen < 20 && start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.slice(start, end);
      start = end + 1;
      if (!line.trim() || line.startsWith('----') || line.startsWith('time->')) continue;
      seen++;
      if (RAW.test(line) || INTERPRETED.test(line)) raw++;
      else if (SYSLOGGED.test(line) && syslogHost(line) !== undefined) syslogged++;
    }
    if (seen === 0) return 0;
    if (raw > 0 && raw >= seen / 2) return 0.95;
    if (raw + syslogged > 0) return 0.85;
    return 0;
  },
  decoder: (ctx) => auditdDecoder(ctx),
};
