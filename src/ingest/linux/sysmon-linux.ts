// Sysmon for Linux: the same <Event> XML and event ids as Sysmon for Windows (provider and
// channel "Linux-Sysmon"), written one event per line to syslog. Read raw (one <Event> per
// line), after a syslog header (`... sysmon: <Event>...`), or from syslog JSON (syslog-json.ts).
// Event semantics are Sysmon's, shared with the Windows readers; only the platform differs.
import type { RatEvent, SourceRef } from '../../model/event.ts';
import type { DecodeContext, Format, LineDecoder } from '../reader.ts';
import { parseEventXml } from '../windows/event-xml.ts';
import { emitWinRecord } from '../windows/events.ts';
import { syslogHost } from './syslog-header.ts';

export const SYSMON_LINUX_FORMAT = 'sysmon-linux';
/** One event is a few KiB; anything far larger is not a Sysmon event. */
const MAX_EVENT_CHARS = 1024 * 1024;

/** Maps one Sysmon-for-Linux <Event> element to events (platform linux). */
export function emitSysmonLinuxXml(xml: string, line: number, ctx: DecodeContext, format: string): void {
  if (xml.length > MAX_EVENT_CHARS) {
    ctx.problem(`Sysmon <Event> larger than ${MAX_EVENT_CHARS} characters; skipped`, { line });
    return;
  }
  const rec = parseEventXml(xml);
  if (typeof rec === 'string') {
    ctx.problem(`Sysmon for Linux event: ${rec}; skipped`, { line });
    return;
  }
  const src: SourceRef = { file: ctx.file, format, line, record: rec.recordId, eventId: String(rec.eventId) };
  // 23 (FileDelete) and 26 (FileDeleteDetected): the Windows mapping has no use for them, but a
  // deleted unit file or binary is a fact worth keeping on Linux.
  if (rec.eventId === 23 || rec.eventId === 26) {
    const path = rec.data.TargetFilename;
    if (!path || path === '-') {
      ctx.problem(`Sysmon event ${rec.eventId} without TargetFilename; skipped`, { line });
      return;
    }
    const pid = Number(rec.data.ProcessId);
    ctx.emit({
      time: rec.time,
      host: rec.computer,
      platform: 'linux',
      src,
      kind: 'file',
      op: 'delete',
      path,
      proc: {
        guid: rec.data.ProcessGuid,
        pid: Number.isFinite(pid) ? pid : undefined,
        image: rec.data.Image,
      },
    });
    return;
  }
  emitWinRecord(rec, src, linuxView(ctx));
}

/** The same context, with every event marked as coming from a Linux host. */
function linuxView(ctx: DecodeContext): DecodeContext {
  return {
    file: ctx.file,
    problem: (m, p) => ctx.problem(m, p),
    ignored: (n) => ctx.ignored(n),
    emit(ev: RatEvent) {
      ev.platform = 'linux';
      if (ev.kind === 'process') {
        // Linux has no integrity levels ("no level"); say root or user as the other readers do.
        ev.integrity = ev.user === undefined ? undefined : ev.user === 'root' ? 'root' : 'user';
        const m = ev.meta;
        if (m && !m.originalFileName && !m.product && !m.company && !m.description) ev.meta = undefined;
      }
      ctx.emit(ev);
    },
  };
}

function decoder(ctx: DecodeContext): LineDecoder {
  return {
    mode: 'lines',
    line(text, lineNo) {
      const open = text.indexOf('<Event');
      if (open < 0) {
        if (!text.trim() || /^\s*<(\?xml|\/?Events)/.test(text)) return;
        if (syslogHost(text) !== undefined)
          ctx.ignored(); // another program's syslog line
        else ctx.problem('line holds no Sysmon <Event>; skipped', { line: lineNo });
        return;
      }
      const close = text.lastIndexOf('</Event>');
      if (close < open) {
        ctx.problem('Sysmon <Event> not closed on its line (cut?); skipped', { line: lineNo });
        return;
      }
      emitSysmonLinuxXml(text.slice(open, close + 8), lineNo, ctx, SYSMON_LINUX_FORMAT);
    },
    end() {},
  };
}

export const sysmonLinux: Format = {
  id: SYSMON_LINUX_FORMAT,
  description: 'Sysmon for Linux event XML: raw, or after a syslog header',
  sniff(_head, text) {
    const i = text.indexOf('<Event');
    if (i < 0) return 0;
    const window = text.slice(i, i + 4096);
    return window.includes('Linux-Sysmon') ? 0.97 : 0;
  },
  decoder,
};
