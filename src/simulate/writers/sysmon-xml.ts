// Windows event XML, one <Event> per line as Splunk and `wevtutil qe /f:xml` exports write it:
// Sysmon, Security and System events of the Windows hosts assigned to this format.
import type { SimHost, SimRecord } from '../model.ts';
import { LineSink, winSystemTime } from './sink.ts';
import { type WinEvent, type WinHostState, windowsEvents, winHostState } from './windows-events.ts';

const NEEDS_ESCAPE = /[&<>'"]/;

export function xmlEscape(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/'/g, '&apos;')
    .replace(/"/g, '&quot;');
}

export function eventXmlLine(e: WinEvent, computer: string): string {
  let data = '';
  for (const [k, v] of e.data) data += `<Data Name='${k}'>${xmlEscape(v)}</Data>`;
  const sec = e.userSid ? `<Security UserID='${e.userSid}'/>` : '<Security/>';
  const provider =
    e.provider === 'Service Control Manager'
      ? `<Provider Name='Service Control Manager' Guid='${e.providerGuid}' EventSourceName='Service Control Manager'/>`
      : `<Provider Name='${e.provider}' Guid='${e.providerGuid}'/>`;
  const eventId =
    e.provider === 'Service Control Manager'
      ? `<EventID Qualifiers='16384'>${e.eventId}</EventID>`
      : `<EventID>${e.eventId}</EventID>`;
  return `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>${provider}${eventId}<Version>${e.version}</Version><Level>${e.channel === 'Security' ? 0 : 4}</Level><Task>${e.task}</Task><Opcode>0</Opcode><Keywords>${e.keywords}</Keywords><TimeCreated SystemTime='${winSystemTime(e.time)}'/><EventRecordID>${e.recordId}</EventRecordID><Correlation/><Execution ProcessID='${e.execPid}' ThreadID='${e.threadId}'/><Channel>${e.channel}</Channel><Computer>${computer}</Computer>${sec}</System><EventData>${data}</EventData></Event>`;
}

export class SysmonXmlWriter {
  readonly id = 'sysmon-xml';
  private readonly sink: LineSink;
  private readonly state = new Map<number, WinHostState>();

  constructor(path: string) {
    this.sink = new LineSink(path, this.id);
  }

  write(r: SimRecord, h: SimHost): number {
    let s = this.state.get(h.index);
    if (!s) {
      s = winHostState(h);
      this.state.set(h.index, s);
    }
    const evs = windowsEvents(r, h, s);
    for (const e of evs) this.sink.line(eventXmlLine(e, h.fqdn));
    return evs.length;
  }

  close() {
    this.sink.close();
    return [this.sink.stat];
  }
}
