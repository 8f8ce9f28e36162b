// Facts every export reads off a finding the same way: a file's name from its path, the
// "algo:value" hash strings split, and the account split into name, numeric id and domain (a
// numeric uid is never a name).
import type { Evidence, EvidenceProcess, Finding } from '../model/finding.ts';
import { isAccountId } from '../model/finding.ts';

export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export interface Hash {
  /** Lower case: md5, sha1, sha256, imphash, ... */
  algorithm: string;
  value: string;
}

/** "sha256:abcd" strings as algorithm and value; anything without an algorithm is skipped. */
export function parseHashes(hashes: readonly string[]): Hash[] {
  return hashes.flatMap((h) => {
    const i = h.indexOf(':');
    return i > 0 ? [{ algorithm: h.slice(0, i).toLowerCase(), value: h.slice(i + 1) }] : [];
  });
}

export interface Account {
  name?: string;
  uid?: string;
  domain?: string;
}

/** "CORP\\jdoe" → name jdoe, domain CORP; "1001" → uid 1001 (no name). */
export function accountOf(f: Pick<Finding, 'user' | 'userId'>): Account | undefined {
  if (!f.user) return undefined;
  if (f.userId === f.user || isAccountId(f.user)) return { uid: f.user };
  const i = f.user.indexOf('\\');
  const named = i > 0 ? { name: f.user.slice(i + 1), domain: f.user.slice(0, i) } : { name: f.user };
  return f.userId ? { ...named, uid: f.userId } : named;
}

/** The seen steps in the order they happened. */
export function seenSteps(f: Finding): Finding['steps'] {
  return f.steps.filter((s) => s.seen).sort((a, b) => (a.first ?? 0) - (b.first ?? 0));
}

/** Every record behind the finding's seen steps, in step order. */
export function allEvidence(f: Finding): Evidence[] {
  return f.steps.filter((s) => s.seen).flatMap((s) => s.evidence);
}

/**
 * The agent's own process as the evidence shows it: the first started process that is one of the
 * agent's images and has a pid or guid (OCSF needs one of them), else any record of such a process.
 */
export function agentProcess(f: Finding): EvidenceProcess | undefined {
  const images = new Set(f.agent.images.map((i) => i.toLowerCase()));
  const identified = (p: EvidenceProcess | undefined): p is EvidenceProcess =>
    p !== undefined && images.has(p.image.toLowerCase()) && (p.pid !== undefined || p.guid !== undefined);
  const exec = f.steps.find((s) => s.step === 'execution' && s.seen)?.evidence ?? [];
  return (
    exec.map((e) => e.process).find(identified) ??
    allEvidence(f)
      .map((e) => e.process)
      .find(identified)
  );
}

/**
 * A command line split into arguments: whitespace separates, double quotes group (and single
 * quotes too off Windows, where a backslash is a path separator rather than an escape). Sensors
 * that join argv with spaces (eslogger) leave an image path with spaces unquoted: when the line
 * starts with the image, that is the first argument.
 */
export function commandArgs(cmd: string, windows: boolean, image?: string): string[] {
  if (image?.includes(' ') && (cmd === image || cmd.startsWith(`${image} `)))
    return [image, ...splitArgs(cmd.slice(image.length), windows)];
  return splitArgs(cmd, windows);
}

function splitArgs(cmd: string, windows: boolean): string[] {
  const args: string[] = [];
  let cur = '';
  let quote = '';
  let started = false;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && !windows && quote === '"' && i + 1 < cmd.length) cur += cmd[++i];
      else cur += c;
    } else if (c === '"' || (c === "'" && !windows)) {
      quote = c;
      started = true;
    } else if (c === ' ' || c === '\t') {
      if (started || cur) args.push(cur);
      cur = '';
      started = false;
    } else if (c === '\\' && !windows && i + 1 < cmd.length) {
      cur += cmd[++i];
    } else cur += c;
  }
  if (started || cur) args.push(cur);
  return args;
}
