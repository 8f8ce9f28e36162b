// Facts every export reads off a finding the same way: a file's name from its path, the
// "algo:value" hash strings split, and the account split into name, numeric id and domain (a
// numeric uid is never a name).
import type { Finding } from '../model/finding.ts';
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
