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

const EVENT_OPEN = /<Event[\s>]/;

/**
 * One event per line as sensors write it; pretty-printed events spanning lines (as documents and
 * exports show them) are gathered up to their </Event>, within MAX_EVENT_CHARS.
 */
function decoder(ctx: DecodeContext): LineDecoder {
  let buf = '';
  let bufLine = 0;
  const take = (xml: string, line: number) => emitSysmonLinuxXml(xml, line, ctx, SYSMON_LINUX_FORMAT);
  const cut = () => {
    ctx.problem('Sysmon <Event> not closed (cut?); skipped', { line: bufLine });
    buf = '';
  };
  return {
    mode: 'lines',
    line(text, lineNo) {
      let s = text;
      let seen = false;
      for (;;) {
        if (buf) {
          const close = s.indexOf('</Event>');
          const open = s.search(EVENT_OPEN);
          if (close >= 0 && (open < 0 || close < open)) {
            take(`${buf}\n${s.slice(0, close + 8)}`, bufLine);
            buf = '';
            s = s.slice(close + 8);
            seen = true;
            continue;
          }
          if (open >= 0) cut();
          else {
            buf += `\n${s}`;
            if (buf.length > MAX_EVENT_CHARS) {
              ctx.problem(`Sysmon <Event> larger than ${MAX_EVENT_CHARS} characters; skipped`, {
                line: bufLine,
              });
              buf = '';
            }
            return;
          }
        }
        const open = s.search(EVENT_OPEN);
        if (open < 0) {
          if (seen || !s.trim() || /^\s*(<\?xml|<\/?Events)/.test(s)) return;
          if (syslogHost(s) !== undefined)
            ctx.ignored(); // another program's syslog line
          else ctx.problem('line holds no Sysmon <Event>; skipped', { line: lineNo });
          return;
        }
        const close = s.indexOf('</Event>', open);
        if (close < 0) {
          buf = s.slice(open);
          bufLine = lineNo;
          if (buf.length > MAX_EVENT_CHARS) {
            ctx.problem(`Sysmon <Event> larger than ${MAX_EVENT_CHARS} characters; skipped`, {
              line: bufLine,
            });
            buf = '';
          }
          return;
        }
        take(s.slice(open, close + 8), lineNo);
        s = s.slice(close + 8);
        seen = true;
      }
    },
    end() {
      if (buf) cut();
    },
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
