// EVTX, as a Windows Event Collector writes its ForwardedEvents log: one binary file holding the
// Sysmon, Security and System events of many hosts (each record keeps its own Channel and
// Computer). Rendered with the project's EVTX writer; records go out in 64 KiB chunks as they
// fill, and the file header (chunk count, next record id) is written last.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { evtxChunks, fileHeader, type WriterEvent } from '../../simulate/evtx/binary-writer.ts';
import type { SimHost, SimRecord } from '../model.ts';
import type { FileStat } from './sink.ts';
import { SYSMON, type WinHostState, windowsEvents, winHostState } from './windows-events.ts';

const FLUSH_EVENTS = 4000;
const HEADER_SIZE = 4096;

export class EvtxWriter {
  readonly id = 'evtx';
  private readonly fd: number;
  private readonly state = new Map<number, WinHostState>();
  private pending: WriterEvent[] = [];
  private nextRecord = 1;
  private chunks = 0;
  private readonly stat: FileStat;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
    writeSync(this.fd, Buffer.alloc(HEADER_SIZE));
    this.stat = { path, format: this.id, lines: 0, bytes: HEADER_SIZE };
  }

  write(r: SimRecord, h: SimHost): number {
    let s = this.state.get(h.index);
    if (!s) {
      s = winHostState(h);
      this.state.set(h.index, s);
    }
    const evs = windowsEvents(r, h, s);
    for (const e of evs) {
      this.pending.push({
        recordId: this.nextRecord++,
        time: e.time,
        eventId: e.eventId,
        provider: e.provider,
        channel: e.channel,
        computer: h.fqdn,
        userSid: e.userSid || undefined,
        data: e.data,
        // Sysmon writes its EventData as one embedded template, as real Sysmon logs do.
        embedEventData: e.channel === SYSMON,
      });
    }
    this.stat.lines += evs.length;
    if (this.pending.length >= FLUSH_EVENTS) this.flush();
    return evs.length;
  }

  private flush(): void {
    if (!this.pending.length) return;
    for (const c of evtxChunks(this.pending)) {
      writeSync(this.fd, c);
      this.stat.bytes += c.length;
      this.chunks++;
    }
    this.pending = [];
  }

  close(): FileStat[] {
    this.flush();
    writeSync(this.fd, fileHeader(this.chunks, this.nextRecord), 0, HEADER_SIZE, 0);
    closeSync(this.fd);
    return [this.stat];
  }
}
