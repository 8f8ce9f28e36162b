// Hosts for records that name none: eslogger never does, auditd without name_format (no node=)
// does not, Sysmon/journald/syslog always do. In order:
//   1. `--host`: the user said which host every hostless record belongs to;
//   2. the file name: by convention such logs are saved as <host>.audit.log or
//      <host>.eslogger.ndjson (rotated .1 and .gz copies too);
//   3. the other inputs of the same directory, when together they name exactly one host (a
//      collection folder holding one machine's audit.log beside its journal or syslog).
// Otherwise the records keep no host (the engine files them under "unknown") and the run summary
// says so. Each input's host is decided once, at its first hostless record, so all its records
// go to one host; a sibling that names another host later is reported, not silently merged.
// Offline, the merge has read every input's first batch before it releases a record, so the
// siblings are known in time. Live (watch), inputs arrive in any order: an input is `expect`ed
// when it is opened, and a hostless record waits (`canDecide`) until every expected sibling of its
// directory has delivered something, or the caller stops waiting (`settle`).
import { dirname } from 'node:path';
import type { RatEvent } from '../model/event.ts';

const HOST_IN_NAME = /([^/\\]+)\.(?:audit\.log|eslogger\.(?:nd)?json)(?:\.\d{1,3})?(?:\.gz)?$/i;

export function hostFromFileName(file: string): string | undefined {
  return HOST_IN_NAME.exec(file)?.[1];
}

export type HostHow = 'flag' | 'file-name' | 'sibling' | 'none';

/** What the run summary says about one input whose records named no host. */
export interface HostNote {
  input: string;
  /** Records that named no host. */
  records: number;
  /** The host they were given; absent when none was found. */
  host?: string;
  how: HostHow;
  /** One sentence: where the host came from, or why none was found. */
  detail: string;
}

interface Decision {
  host?: string;
  how: HostHow;
  detail: string;
  /** The sibling hosts the decision rested on. */
  siblings?: string[];
  records: number;
}

/** Distinct hosts remembered per input: two are enough to know it is not "exactly one". */
const HOSTS_KEPT_PER_INPUT = 2;

/**
 * What was done about an input's hostless records, for a run summary (with their count) or a
 * live log at the moment of the decision (`counted` false: more will come).
 */
export function describeHostNote(h: HostNote, counted = true): string {
  const what = counted ? `${h.records} records named no host; ` : 'records name no host; ';
  return h.host ? `${what}given ${h.host} ${h.detail}` : `${what}${h.detail} (reported under host "unknown")`;
}

export class HostHints {
  private readonly named = new Map<string, Set<string>>();
  private readonly decided = new Map<string, Decision>();
  /** Live inputs opened but not yet read from: a hostless sibling waits for them. */
  private readonly expected = new Set<string>();

  /**
   * `flagHost`: the `--host` option. `onDecide` hears each input's decision when it is made (a
   * live mode logs it at once; its summary comes only at the end).
   */
  constructor(
    private readonly flagHost?: string,
    private readonly onDecide?: (note: HostNote) => void,
  ) {}

  /**
   * A host-sensor record of `input` named `host` (flows are not host sensors: do not pass them).
   * True when that host is new for the input.
   */
  observe(input: string, host: string): boolean {
    let s = this.named.get(input);
    if (!s) {
      s = new Set();
      this.named.set(input, s);
    }
    const h = host.toLowerCase();
    if (s.size >= HOSTS_KEPT_PER_INPUT || s.has(h)) return false;
    s.add(h);
    return true;
  }

  /** A live input that will be read: until it `begun`, its hostless siblings wait for it. */
  expect(input: string): void {
    this.expected.add(input);
  }

  /** `input` delivered its first record. Returns true when it was being waited for. */
  begun(input: string): boolean {
    return this.expected.delete(input);
  }

  /** Stop waiting: every expected input is taken as read (inputs went quiet, or they ended). */
  settle(): void {
    this.expected.clear();
  }

  /**
   * False while the host of `input`'s hostless records could still come from a sibling that has
   * not been read yet; then `hostFor` would decide too early.
   */
  canDecide(input: string): boolean {
    if (this.decided.has(input) || this.flagHost || hostFromFileName(input) || input === '-') return true;
    if (this.siblingHosts(input).length > 0) return true; // one gives it; two never become one
    const dir = dirname(input);
    for (const other of this.expected)
      if (other !== input && other !== '-' && dirname(other) === dir) return false;
    return true;
  }

  /**
   * Passes an input's batches through, noting the hosts its host-sensor records name as they are
   * read: before the time-ordered merge releases anything, so a sibling read in parallel is known
   * by the time a hostless record needs it.
   */
  async *watch(batches: AsyncIterable<RatEvent[]>): AsyncGenerator<RatEvent[]> {
    let last = '';
    for await (const batch of batches) {
      for (const ev of batch)
        if (ev.host && ev.host !== last && ev.platform !== 'network') {
          last = ev.host;
          this.observe(ev.src.file, ev.host);
        }
      yield batch;
    }
  }

  /** The host for a record of `input` that names none ('' when there is none). */
  hostFor(input: string): string {
    let d = this.decided.get(input);
    const fresh = !d;
    if (!d) {
      d = this.decide(input);
      this.decided.set(input, d);
    }
    d.records++;
    if (fresh) this.onDecide?.(this.note(input, d));
    return d.host ?? '';
  }

  private siblingHosts(input: string): string[] {
    if (input === '-') return [];
    const dir = dirname(input);
    const hosts = new Set<string>();
    for (const [other, names] of this.named) {
      if (other === input || other === '-' || dirname(other) !== dir) continue;
      for (const h of names) hosts.add(h);
    }
    return [...hosts].sort();
  }

  private decide(input: string): Decision {
    if (this.flagHost) return { host: this.flagHost, how: 'flag', detail: 'from --host', records: 0 };
    const fromName = hostFromFileName(input);
    if (fromName) return { host: fromName, how: 'file-name', detail: 'from the file name', records: 0 };
    const siblings = this.siblingHosts(input);
    if (siblings.length === 1)
      return {
        host: siblings[0],
        how: 'sibling',
        detail: `from the other inputs in ${dirname(input)}, which name only ${siblings[0]}`,
        siblings,
        records: 0,
      };
    const why =
      input === '-'
        ? 'stdin has no file name or directory to name it'
        : siblings.length > 1
          ? `the other inputs in ${dirname(input)} name ${siblings.length > 2 ? 'several' : 'two'} hosts (${siblings.join(', ')})`
          : `no --host, no <host>.audit.log style file name, and no other input in ${dirname(input)} names a host`;
    return { how: 'none', detail: `no host: ${why}; use --host`, records: 0 };
  }

  private note(input: string, d: Decision): HostNote {
    let detail = d.detail;
    if (d.how === 'sibling') {
      const now = this.siblingHosts(input);
      if (now.join() !== d.siblings?.join())
        detail += `; the inputs beside it later also named ${now.filter((h) => !d.siblings?.includes(h)).join(', ')}, so check this`;
    }
    const note: HostNote = { input, records: d.records, how: d.how, detail };
    if (d.host) note.host = d.host;
    return note;
  }

  /** One note per input that had hostless records, in input order of first need. */
  notes(): HostNote[] {
    return [...this.decided].map(([input, d]) => this.note(input, d));
  }
}
