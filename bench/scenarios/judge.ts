// Whether a hunt's findings are right for a scenario: every expected chain reported as stated
// (each by its own finding), and nothing else at alert level. Pure: findings in, verdict out.
import type { Finding } from '../../src/model/finding.ts';
import type { ExpectedChain, Truth } from './truth.ts';

export interface Verdict {
  right: boolean;
  /** Expected chains matched. */
  matched: number;
  /** One line per thing that is wrong. */
  wrong: string[];
}

const sameHost = (a: string, b: string) => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || x.split('.')[0] === y || y.split('.')[0] === x;
};

/** A path matches a path, or a bare file name matches the path's last part (any case). */
function sameImage(image: string, wanted: string): boolean {
  const i = image.toLowerCase();
  const w = wanted.toLowerCase();
  return /[\\/]/.test(w) ? i === w : (i.split(/[\\/]/).pop() ?? i) === w;
}

/** Why `f` is not the chain `e` describes, or undefined when it is. */
export function mismatch(e: ExpectedChain, f: Finding): string | undefined {
  if (!sameHost(f.host, e.host)) return `host ${f.host}`;
  const images = f.agent.images.map((i) => i.toLowerCase());
  const absent = e.agent.filter((a) => !images.includes(a.toLowerCase()));
  if (absent.length) return `agent ${f.agent.images.join(', ')} lacks ${absent.join(', ')}`;
  const banned = e.notAgent.filter((n) => images.some((i) => sameImage(i, n)));
  if (banned.length) return `agent ${f.agent.images.join(', ')} includes ${banned.join(', ')}`;
  const origins = (f.agent.origin ?? []).map((o) => o.image);
  const noOrigin = e.origin.filter((n) => !origins.some((i) => sameImage(i, n)));
  if (noOrigin.length) return `origin ${origins.join(', ') || 'none'} lacks ${noOrigin.join(', ')}`;
  if (f.status !== e.status) return `status ${f.status}, expected ${e.status}`;
  const sev = e.severity === undefined ? undefined : [e.severity].flat();
  if (sev && !sev.includes(f.severity)) return `severity ${f.severity}, expected ${sev.join(' or ')}`;
  const seen = new Set(f.steps.filter((s) => s.seen).map((s) => s.step));
  const unseen = e.steps.filter((s) => !seen.has(s as Finding['steps'][number]['step']));
  if (unseen.length) return `steps ${[...seen].join(',')} lack ${unseen.join(',')}`;
  const codes = new Set(f.reasons.map((r) => r.code));
  const noReason = e.reasons.filter((r) => !codes.has(r));
  if (noReason.length) return `reasons ${[...codes].join(',')} lack ${noReason.join(',')}`;
  for (const [step, text] of Object.entries(e.links)) {
    const link = f.steps.find((s) => s.step === step)?.link ?? '';
    if (text !== undefined && !link.toLowerCase().includes(text.toLowerCase()))
      return `${step} link "${link}" does not say "${text}"`;
  }
  return undefined;
}

const describe = (e: ExpectedChain) => `${e.host} ${e.status} ${e.agent.join(' + ')}`;
const describeFinding = (f: Finding) =>
  `${f.host} ${f.status} ${f.severity} ${f.agent.images.join(' + ')} [${f.steps
    .filter((s) => s.seen)
    .map((s) => s.step)
    .join(',')}]`;

export function judge(truth: Truth, findings: Finding[]): Verdict {
  const used = new Set<Finding>();
  const wrong: string[] = [];
  let matched = 0;
  for (const e of truth.expect) {
    const candidates = findings.filter((f) => !used.has(f) && sameHost(f.host, e.host));
    const hit = candidates.find((f) => mismatch(e, f) === undefined);
    if (hit) {
      used.add(hit);
      matched++;
      continue;
    }
    const near = candidates.map((f) => mismatch(e, f));
    wrong.push(`missing ${describe(e)}: ${near.length ? near.join('; ') : 'no finding on that host'}`);
  }
  for (const f of findings) {
    if (used.has(f) || f.status !== 'alert') continue;
    const quiet = truth.quiet.some((h) => sameHost(f.host, h));
    wrong.push(`${quiet ? 'alert on quiet host' : 'unexpected alert'} ${describeFinding(f)}`);
  }
  return { right: wrong.length === 0, matched, wrong };
}
