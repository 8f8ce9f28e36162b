// Findings as Elastic Common Schema alert documents (event.kind: alert), for Elasticsearch,
// OpenSearch and SIEMs that map ECS. Target: ECS 8.11. Checked by schema/ecs-alert.schema.json,
// written for this project from the published ECS field reference; see test/sinks/ecs.test.ts.
// Fields ECS has no place for (the score's reasons, each step) live under `ratchain.*`, the custom
// namespace ECS recommends for vendor fields.
import type { Platform } from '../model/event.ts';
import type { EgressDestination, Finding, Severity } from '../model/finding.ts';
import { STEP_LABEL } from '../model/finding.ts';

export const ECS_VERSION = '8.11.0';

/** The numeric severities Elastic detection rules use, so ECS consumers can sort by them. */
const SEVERITY_NUMBER: Record<Severity, number> = { info: 1, low: 21, medium: 47, high: 73, critical: 99 };

const OS_TYPE: Partial<Record<Platform, { type: string; family: string; platform: string }>> = {
  windows: { type: 'windows', family: 'windows', platform: 'windows' },
  linux: { type: 'linux', family: 'linux', platform: 'linux' },
  macos: { type: 'macos', family: 'macos', platform: 'darwin' },
};

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

/** "sha256:abcd" strings as ECS hash fields (md5, sha1, sha256, sha512, ...). */
function hashFields(hashes: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of hashes) {
    const i = h.indexOf(':');
    if (i <= 0) continue;
    const algo = h.slice(0, i).toLowerCase();
    if (/^(md5|sha1|sha256|sha384|sha512|ssdeep|tlsh)$/.test(algo) && !out[algo]) out[algo] = h.slice(i + 1);
  }
  return out;
}

/** The destination that best stands for the chain's egress: the one with the most connections. */
function mainDestination(egress: EgressDestination[]): EgressDestination | undefined {
  return [...egress].sort(
    (a, b) => b.connections - a.connections || (b.durationSec ?? 0) - (a.durationSec ?? 0),
  )[0];
}

function isIp(v: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(v) || (v.includes(':') && /^[0-9a-fA-F:.]+$/.test(v));
}

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function toEcs(f: Finding): object {
  const os = OS_TYPE[f.platform];
  const image = f.agent.images[0];
  const dest = mainDestination(f.egress);
  const hashes = hashFields(f.agent.hashes);
  const [domain, name] = f.user?.includes('\\') ? f.user.split('\\', 2) : [undefined, f.user];
  const peMeta =
    f.platform === 'windows' && (f.agent.originalFileName || f.agent.product || f.agent.company)
      ? {
          pe: compact({
            original_file_name: f.agent.originalFileName,
            product: f.agent.product,
            company: f.agent.company,
          }),
        }
      : {};
  const ips = [...new Set(f.egress.map((d) => d.ip).filter(isIp))];
  const categories = ['intrusion_detection', 'process', ...(f.egress.length ? ['network'] : [])];
  return {
    '@timestamp': iso(f.lastSeen),
    message: f.summary || f.title,
    tags: ['ratchain', f.strategy, f.analytic, f.technique.id, f.status],
    ecs: { version: ECS_VERSION },
    event: {
      kind: 'alert',
      category: categories,
      type: ['info'],
      id: `${f.id}.${f.revision}`,
      severity: SEVERITY_NUMBER[f.severity],
      risk_score: f.score,
      start: iso(f.firstSeen),
      end: iso(f.lastSeen),
      module: 'ratchain',
      dataset: 'ratchain.finding',
      provider: 'ratchain',
      reason: f.summary || f.title,
      action: f.status === 'suppressed' ? 'suppressed' : 'remote-access-chain',
    },
    rule: {
      id: f.analytic,
      uuid: f.id,
      name: `${f.strategy} ${f.analytic}: remote access tool behaviour chain`,
      description: f.title,
      category: 'Remote Access Tools',
      ruleset: f.strategy,
      reference: `https://attack.mitre.org/detectionstrategies/${f.strategy}/`,
      version: String(f.revision),
    },
    threat: {
      framework: 'MITRE ATT&CK',
      technique: {
        id: [f.technique.id],
        name: [f.technique.name],
        reference: [`https://attack.mitre.org/techniques/${f.technique.id}/`],
      },
      tactic: {
        id: [f.technique.tactic],
        name: ['Command and Control'],
        reference: [`https://attack.mitre.org/tactics/${f.technique.tactic}/`],
      },
    },
    host: compact({
      name: f.host,
      hostname: f.host,
      os: os ? { type: os.type, family: os.family, platform: os.platform } : undefined,
    }),
    ...(image
      ? {
          process: {
            executable: image,
            name: baseName(image),
            ...(Object.keys(hashes).length ? { hash: hashes } : {}),
            ...peMeta,
            ...(f.agent.signer ? { code_signature: { subject_name: f.agent.signer } } : {}),
          },
        }
      : {}),
    ...(dest
      ? {
          destination: compact({
            ip: isIp(dest.ip) ? dest.ip : undefined,
            address: dest.name ?? dest.ip,
            port: dest.port,
            domain: dest.name,
            bytes: dest.bytesIn,
          }),
          ...(dest.bytesOut !== undefined ? { source: { bytes: dest.bytesOut } } : {}),
        }
      : {}),
    ...(name ? { user: compact({ name, domain }) } : {}),
    related: compact({
      hosts: [f.host, ...f.egress.flatMap((d) => (d.name ? [d.name] : []))],
      ip: ips.length ? ips : undefined,
      user: name ? [name] : undefined,
      hash: Object.keys(hashes).length ? Object.values(hashes) : undefined,
    }),
    ratchain: {
      finding_id: f.id,
      revision: f.revision,
      status: f.status,
      severity: f.severity,
      score: f.score,
      confidence: f.confidence,
      step_count: f.stepCount,
      in_order: f.inOrder,
      missing: f.missing,
      agent: {
        key: f.agent.key,
        images: f.agent.images,
        links: f.agent.links,
        ...(f.agent.tool
          ? { tool: f.agent.tool.name, tool_id: f.agent.tool.id, matched_by: f.agent.tool.by }
          : {}),
        ...(f.agent.approvedBy ? { approved_by: f.agent.approvedBy } : {}),
      },
      steps: f.steps.map((s) =>
        compact({
          step: s.step,
          label: STEP_LABEL[s.step],
          seen: s.seen,
          first: s.first !== undefined ? iso(s.first) : undefined,
          last: s.last !== undefined ? iso(s.last) : undefined,
          count: s.count,
          summary: s.summary,
          link: s.link,
          evidence: s.evidence.map((e) => ({ time: iso(e.time), summary: e.summary, src: e.src })),
        }),
      ),
      egress: f.egress,
      reasons: f.reasons,
    },
  };
}
