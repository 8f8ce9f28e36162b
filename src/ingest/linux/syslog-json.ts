// Linux syslog shipped as JSON (Azure Monitor `Syslog` table, journald `-o json`, Elastic/Fluent
// exports): one object per record whose message field holds what the sensor wrote, an audit
// record (AUOMS `type=AUOMS_EXECVE audit(...)` or raw auditd via audisp) or a Sysmon for Linux
// <Event>. The message is routed to the auditd or Sysmon reader; the host comes from the
// wrapper when the record does not name it. Other programs' messages are counted as ignored.
import { firstJsonObject, jsonValues } from '../json-documents.ts';
import type { DecodeContext, Format } from '../reader.ts';
import { AuditAssembler } from './audit-assembler.ts';
import { emitSysmonLinuxXml } from './sysmon-linux.ts';

export const SYSLOG_JSON_FORMAT = 'linux-syslog-json';

type Obj = Record<string, unknown>;

const MESSAGE_KEYS = ['SyslogMessage', 'message', 'Message', 'MESSAGE', 'msg'];
const HOST_KEYS = ['Computer', 'HostName', 'hostname', 'host', '_HOSTNAME', 'Hostname'];

function messageOf(o: Obj): string | undefined {
  for (const k of MESSAGE_KEYS) {
    const v = o[k];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

function hostOf(o: Obj): string | undefined {
  for (const k of HOST_KEYS) {
    const v = o[k];
    if (typeof v === 'string' && v) return v;
    // ECS: host.name / host.hostname
    if (v && typeof v === 'object') {
      const h = (v as Obj).name ?? (v as Obj).hostname;
      if (typeof h === 'string' && h) return h;
    }
  }
  return undefined;
}

/** Where an audit record starts in a message, or -1. */
function auditStart(m: string): number {
  if (m.startsWith('type=') || m.startsWith('node=')) return m.includes('audit(') ? 0 : -1;
  const t = m.indexOf('type=');
  if (t < 0 || !m.includes('audit(', t)) return -1;
  const n = m.lastIndexOf('node=', t);
  return n >= 0 && m.indexOf(' ', n) === t - 1 ? n : t;
}

export function isLinuxSyslogJson(o: Obj): boolean {
  const m = messageOf(o);
  if (m === undefined) return false;
  return auditStart(m) >= 0 || (m.includes('<Event') && m.includes('Linux-Sysmon'));
}

export const linuxSyslogJson: Format = {
  id: SYSLOG_JSON_FORMAT,
  description:
    'Linux syslog as JSON (Azure Syslog table, journald JSON) carrying auditd/AUOMS records or Sysmon for Linux XML',
  sniff(_head, text) {
    const o = firstJsonObject(text);
    return o && isLinuxSyslogJson(o) ? 0.96 : 0;
  },
  decoder(ctx: DecodeContext) {
    const audit = new AuditAssembler(ctx, SYSLOG_JSON_FORMAT);
    const handle = (v: unknown, line: number) => {
      if (Array.isArray(v)) {
        for (const x of v) handle(x, line);
        return;
      }
      if (!v || typeof v !== 'object') {
        ctx.problem('JSON value is not an object; skipped', { line });
        return;
      }
      const o = v as Obj;
      const m = messageOf(o);
      if (m === undefined) {
        ctx.problem(`syslog JSON record without a message field (${MESSAGE_KEYS.join(', ')}); skipped`, {
          line,
        });
        return;
      }
      const a = auditStart(m);
      if (a >= 0) {
        audit.record(m, a, line, hostOf(o));
        return;
      }
      const x = m.indexOf('<Event');
      if (x >= 0) {
        const close = m.lastIndexOf('</Event>');
        if (close < x) ctx.problem('Sysmon <Event> in message is not closed (cut?); skipped', { line });
        else emitSysmonLinuxXml(m.slice(x, close + 8), line, ctx, SYSLOG_JSON_FORMAT);
        return;
      }
      ctx.ignored();
    };
    const lines = jsonValues(ctx, handle);
    return {
      mode: 'lines',
      line: (t, n) => lines.line(t, n),
      end() {
        lines.end();
        audit.end();
      },
    };
  },
};
