// Windows event XML: one <Event> per line (Splunk and wevtutil exports) or <Events> documents
// with events spanning lines. Event XML is a small, regular dialect, so a targeted scanner reads
// the System header and the Data/UserData leaves directly instead of building a DOM.
import { detach } from '../detached-string.ts';
import type { DecodeContext, Format, LineDecoder } from '../reader.ts';
import { decodeXmlEntities, emitWinRecord } from './events.ts';
import { parseWinTime, type WinRecord } from './record.ts';

const MAX_EVENT_CHARS = 4 * 1024 * 1024;

const RE_EVENT_ID = /<EventID(?:\s[^>]*)?>\s*(\d+)\s*<\/EventID>/;
const RE_CHANNEL = /<Channel>([^<]*)<\/Channel>/;
const RE_COMPUTER = /<Computer>([^<]*)<\/Computer>/;
const RE_TIME = /<TimeCreated\s+SystemTime\s*=\s*['"]([^'"]+)['"]/;
const RE_RECORD = /<EventRecordID>\s*(\d+)\s*<\/EventRecordID>/;
const RE_PROVIDER = /<Provider\s+[^>]*?Name\s*=\s*['"]([^'"]+)['"]/;
const RE_USER = /<Security\s+[^>]*?UserID\s*=\s*['"]([^'"]+)['"]/;
const RE_DATA_OPEN = /^<Data(?:\s+Name\s*=\s*['"]([^'"]*)['"])?\s*(\/?)>/;

/**
 * The <Data> leaves of an event body, in one pass: each search starts where the last one ended,
 * so a hostile line of a million unclosed <Data> costs one scan (a lazy regex rescanned the rest
 * of the line from every opening: quadratic). An opening without its close ends the scan.
 */
function* dataLeaves(body: string): Generator<[string | undefined, string]> {
  for (let at = body.indexOf('<Data'); at >= 0; ) {
    const open = RE_DATA_OPEN.exec(body.slice(at, at + 512));
    if (!open) {
      at = body.indexOf('<Data', at + 5);
      continue;
    }
    const valueAt = at + open[0].length;
    if (open[2] === '/') {
      yield [open[1], ''];
      at = body.indexOf('<Data', valueAt);
      continue;
    }
    const close = body.indexOf('</Data>', valueAt);
    if (close < 0) return;
    yield [open[1], body.slice(valueAt, close)];
    at = body.indexOf('<Data', close + 7);
  }
}

/**
 * Parses one <Event>...</Event> element; returns a reason string when it cannot. Every string in
 * the record is a copy (detach): the engine keeps a process's image, command line and GUID for as
 * long as the process lives, and a slice would keep the whole event's text (about 2 KB) with it.
 * Serving 800 hosts kept 24,000 event texts, 44 MB, that way.
 */
export function parseEventXml(xml: string): WinRecord | string {
  const id = RE_EVENT_ID.exec(xml)?.[1];
  if (!id) return 'no <EventID>';
  const time = parseWinTime(RE_TIME.exec(xml)?.[1] ?? '');
  if (!Number.isFinite(time)) return 'no readable <TimeCreated SystemTime>';
  const computer = RE_COMPUTER.exec(xml)?.[1];
  if (!computer) return 'no <Computer>';
  const data: Record<string, string> = {};
  let unnamed = 0;
  const sysEnd = xml.indexOf('</System>');
  const body = sysEnd >= 0 ? xml.slice(sysEnd) : xml;
  for (const [given, value] of dataLeaves(body)) {
    const name = given || (unnamed++ === 0 ? 'Data' : `Data${unnamed - 1}`);
    data[name] = detach(decodeXmlEntities(value));
  }
  // UserData: leaf elements of the single wrapper element.
  const ud = /<UserData>([\s\S]*)<\/UserData>/.exec(body)?.[1];
  if (ud) {
    for (const m of ud.matchAll(/<([A-Za-z_][\w.-]*)(?:\s[^>]*)?>([^<]*)<\/\1>/g))
      data[m[1]] = detach(decodeXmlEntities(m[2]));
  }
  return {
    channel: detach(decodeXmlEntities(RE_CHANNEL.exec(xml)?.[1] ?? '')),
    provider: detach(RE_PROVIDER.exec(xml)?.[1]),
    eventId: Number(id),
    recordId: detach(RE_RECORD.exec(xml)?.[1]),
    time,
    computer: detach(decodeXmlEntities(computer)),
    data,
    userSid: detach(RE_USER.exec(xml)?.[1]),
  };
}

function decoder(ctx: DecodeContext): LineDecoder {
  let buf = '';
  let startLine = 0;

  const take = (xml: string, line: number) => {
    const rec = parseEventXml(xml);
    if (typeof rec === 'string') {
      ctx.problem(`Windows event XML: ${rec}; skipped`, { line });
      return;
    }
    emitWinRecord(
      rec,
      { file: ctx.file, format: 'event-xml', line, record: rec.recordId, eventId: String(rec.eventId) },
      ctx,
    );
  };

  return {
    mode: 'lines',
    line(text, lineNo) {
      let s = text;
      for (;;) {
        if (!buf) {
          const open = s.search(/<Event[\s>]/);
          if (open < 0) {
            if (s.trim() && !/^\s*<(\?xml|\/?Events)/.test(s))
              ctx.problem('text outside any <Event> element; skipped', { line: lineNo });
            return;
          }
          s = s.slice(open);
          startLine = lineNo;
        }
        const close = s.indexOf('</Event>');
        if (close < 0) {
          buf += buf ? `\n${s}` : s;
          if (buf.length > MAX_EVENT_CHARS) {
            ctx.problem(`<Event> larger than ${MAX_EVENT_CHARS} characters; skipped`, { line: startLine });
            buf = '';
          }
          return;
        }
        const xml = (buf ? `${buf}\n` : '') + s.slice(0, close + 8);
        buf = '';
        take(xml, startLine);
        s = s.slice(close + 8);
        if (!s.trim()) return;
      }
    },
    end() {
      if (buf) ctx.problem('input ends inside an <Event> element (truncated?); skipped', { line: startLine });
      buf = '';
    },
  };
}

export const eventXml: Format = {
  id: 'event-xml',
  description: 'Windows event XML: one <Event> per line, or <Events> documents',
  sniff(_head, text) {
    const t = text.trimStart();
    if (
      /^(<\?xml[^>]*>\s*)?<Events?[\s>]/.test(t) &&
      t.includes('schemas.microsoft.com/win/2004/08/events/event')
    )
      return 0.95;
    if (/^(<\?xml[^>]*>\s*)?<Events?[\s>]/.test(t) && t.includes('<EventID')) return 0.8;
    return 0;
  },
  decoder,
};
