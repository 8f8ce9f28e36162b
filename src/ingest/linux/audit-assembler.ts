// Groups auditd records into events by serial. Records of one event are written together but
// may interleave with a few other events on busy hosts, so a bounded set of groups stays open;
// a group closes on its EOE record, at once when it is a user-space record (a whole event by
// itself), when it is the oldest of too many open groups, or at the end of input. A group that closes without the records its SYSCALL promises is reported and skipped.
import type { DecodeContext } from '../reader.ts';
import { AuditEvents } from './audit-events.ts';
import {
  addRecord,
  auomsFacts,
  fieldPlan,
  newGroup,
  type RecordGroup,
  rawFacts,
  standaloneRecord,
} from './audit-facts.ts';
import { parseAuditRecord } from './audit-record.ts';

const MAX_OPEN_GROUPS = 64;
const MAX_RECORDS_PER_GROUP = 4096;
/** Serials of recently closed groups, to name a late record instead of misreading it. */
const RECENT_CLOSED = 256;

export class AuditAssembler {
  private readonly open = new Map<string, RecordGroup & { host?: string }>();
  private readonly closed = new Set<string>();
  /** `closed` in the order it was filled: the slot at `ring.next` is the oldest once it is full. */
  private readonly ring = { keys: [] as string[], next: 0 };
  private readonly events: AuditEvents;

  constructor(
    private readonly ctx: DecodeContext,
    format: string,
  ) {
    this.events = new AuditEvents(ctx, format);
  }

  /** One record, starting at `start` of `text` (`type=` or `node=`). `host` from a wrapper. */
  record(text: string, start: number, line: number, host?: string): void {
    const rec = parseAuditRecord(text, start, fieldPlan);
    if (rec === undefined) {
      this.ctx.ignored();
      return;
    }
    if ('error' in rec) {
      this.ctx.problem(`${rec.error}; skipped`, { line });
      return;
    }
    if (rec.type.startsWith('AUOMS_')) {
      // AUOMS has already merged the group into this one record.
      const f = auomsFacts(rec, line);
      if (f === undefined) this.ctx.ignored();
      else if ('bad' in f) this.ctx.problem(`${f.bad}; skipped`, { line });
      else this.events.push(f, f.node ?? host ?? '');
      return;
    }
    const where = rec.node ?? host;
    const key = where === undefined ? rec.serial : `${where}\u0000${rec.serial}`;
    let g = this.open.get(key);
    if (!g) {
      if (this.closed.has(key)) {
        if (rec.type !== 'EOE')
          this.ctx.problem(
            `${rec.type} record of audit event ${rec.serial} arrived after the event was closed (interleaved too far); skipped`,
            { line },
          );
        return;
      }
      g = newGroup(rec, line);
      g.host = host;
      this.open.set(key, g);
      if (this.open.size > MAX_OPEN_GROUPS) {
        const oldest = this.open.keys().next().value as string;
        this.close(oldest, false);
      }
    }
    addRecord(g, rec);
    // A user-space record left open would wait for 64 more groups without an EOE: on a log
    // where those are rare that is days of log time, and its event then comes out behind
    // everything read since (an offline hunt takes that for disorder and reads it all again).
    if (rec.type === 'EOE' || (g.records === 1 && standaloneRecord(rec.type))) this.close(key, false);
    else if (g.records > MAX_RECORDS_PER_GROUP) {
      this.ctx.problem(`audit event ${rec.serial} has more than ${MAX_RECORDS_PER_GROUP} records; skipped`, {
        line: g.line,
      });
      this.forget(key);
    }
  }

  private forget(key: string): void {
    this.open.delete(key);
    this.closed.add(key);
    const r = this.ring;
    if (r.keys.length < RECENT_CLOSED) r.keys.push(key);
    else {
      this.closed.delete(r.keys[r.next]);
      r.keys[r.next] = key;
      r.next = (r.next + 1) % RECENT_CLOSED;
    }
  }

  private close(key: string, atEnd: boolean): void {
    const g = this.open.get(key);
    if (!g) return;
    this.forget(key);
    const f = rawFacts(g);
    if (f === undefined) this.ctx.ignored();
    else if ('bad' in f)
      this.ctx.problem(`${atEnd ? 'input ends inside an event: ' : ''}${f.bad}; skipped`, { line: g.line });
    else this.events.push(f, g.node ?? g.host ?? '');
  }

  end(): void {
    for (const key of [...this.open.keys()]) this.close(key, true);
    this.events.flush();
  }
}
