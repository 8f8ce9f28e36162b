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

export class HostHints {
  private readonly named = new Map<string, Set<string>>();
  private readonly decided = new Map<string, Decision>();

  /** `flagHost`: the `--host` option. */
  constructor(private readonly flagHost?: string) {}

  /** A host-sensor record of `input` named `host` (flows are not host sensors: do not pass them). */
  observe(input: string, host: string): void {
    let s = this.named.get(input);
    if (!s) {
      s = new Set();
      this.named.set(input, s);
    }
    if (s.size < HOSTS_KEPT_PER_INPUT) s.add(host.toLowerCase());
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
    if (!d) {
      d = this.decide(input);
      this.decided.set(input, d);
    }
    d.records++;
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

  /** One note per input that had hostless records, in input order of first need. */
  notes(): HostNote[] {
    const out: HostNote[] = [];
    for (const [input, d] of this.decided) {
      let detail = d.detail;
      if (d.how === 'sibling') {
        const now = this.siblingHosts(input);
        if (now.join() !== d.siblings?.join())
          detail += `; the inputs beside it later also named ${now.filter((h) => !d.siblings?.includes(h)).join(', ')}, so check this`;
      }
      const note: HostNote = { input, records: d.records, how: d.how, detail };
      if (d.host) note.host = d.host;
      out.push(note);
    }
    return out;
  }
}
