// Evidence as the engine records it: one line for people, and the structured facts (process,
// file, registry value, persistence entry, endpoint) for sinks that map them to OCSF, ECS or a
// timeline. Every text is capped, because evidence lives as long as its agent does.
import type { FileHashes, SourceRef } from '../model/event.ts';
import type { Evidence, EvidenceEndpoint, EvidenceProcess } from '../model/finding.ts';
import type { Proc } from './state.ts';

/** A summary is one line on a terminal or in a SIEM table; longer ones are cut. */
const MAX_SUMMARY = 400;
/**
 * Windows allows 32767 characters in a command line; real ones (encoded PowerShell included)
 * fit in a few kilobytes. Longer ones are cut so one record cannot hold megabytes of state.
 */
const MAX_COMMAND_LINE = 8192;
/** A command line quoted inside a summary: enough to recognise it. */
const SHORT_TEXT = 160;

export type EvidenceFacts = Omit<Evidence, 'time' | 'summary' | 'src'>;

export function evidence(time: number, summary: string, src: SourceRef, facts?: EvidenceFacts): Evidence {
  const ev: Evidence = {
    time,
    summary: summary.length > MAX_SUMMARY ? `${summary.slice(0, MAX_SUMMARY - 3)}...` : summary,
    src,
  };
  if (facts?.process) ev.process = facts.process;
  if (facts?.file) ev.file = facts.file;
  if (facts?.registry) ev.registry = facts.registry;
  if (facts?.entry) ev.entry = facts.entry;
  if (facts?.endpoint) ev.endpoint = facts.endpoint;
  return ev;
}

/** `s` cut to `n` characters with an ellipsis, for quoting inside a summary. */
export function short(s: string | undefined, n = SHORT_TEXT): string {
  if (!s) return '';
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function capCommand(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  return s.length > MAX_COMMAND_LINE ? `${s.slice(0, MAX_COMMAND_LINE - 1)}…` : s;
}

function hashList(h: FileHashes | undefined): string[] | undefined {
  if (!h) return undefined;
  const out: string[] = [];
  if (h.sha256) out.push(`sha256:${h.sha256}`);
  if (h.sha1) out.push(`sha1:${h.sha1}`);
  if (h.md5) out.push(`md5:${h.md5}`);
  if (h.imphash) out.push(`imphash:${h.imphash}`);
  return out.length ? out : undefined;
}

/** What evidence says about a process (and its parent), without undefined keys. */
export function processFact(p: Proc): EvidenceProcess {
  const fact = {} as EvidenceProcess;
  if (p.pid !== undefined) fact.pid = p.pid;
  if (p.guid !== undefined) fact.guid = p.guid;
  fact.image = p.image;
  const cmd = capCommand(p.commandLine);
  if (cmd !== undefined) fact.commandLine = cmd;
  if (p.user !== undefined) fact.user = p.user;
  const hashes = hashList(p.hashes);
  if (hashes) fact.hashes = hashes;
  const parent = p.parent;
  if (parent) {
    const pf: NonNullable<EvidenceProcess['parent']> = {};
    if (parent.pid !== undefined) pf.pid = parent.pid;
    pf.image = parent.image;
    const pcmd = capCommand(parent.commandLine);
    if (pcmd !== undefined) pf.commandLine = pcmd;
    fact.parent = pf;
  }
  return fact;
}

/** An endpoint fact without undefined keys. */
export function endpointFact(e: EvidenceEndpoint): EvidenceEndpoint {
  const fact: EvidenceEndpoint = { ip: e.ip };
  if (e.port !== undefined) fact.port = e.port;
  if (e.name !== undefined) fact.name = e.name;
  if (e.protocol !== undefined) fact.protocol = e.protocol;
  if (e.direction !== undefined) fact.direction = e.direction;
  if (e.srcIp !== undefined) fact.srcIp = e.srcIp;
  if (e.srcPort !== undefined) fact.srcPort = e.srcPort;
  return fact;
}
