// Findings as Elastic Common Schema alert documents (event.kind: alert), for Elasticsearch,
// OpenSearch and SIEMs that map ECS. Target: ECS 8.11 (and valid under 9.4): every field is
// checked against Elastic's own field lists by test/sinks/schemas.test.ts. rule.* describes the
// analytic (the same for every finding of it, so alerts group by rule); the finding is event.id.
// Fields ECS has no place for (the score's reasons, each step) live under `ratchain.*`, the custom
// namespace ECS recommends for vendor fields.
import { isIP } from 'node:net';
import type { Platform } from '../model/event.ts';
import type { EgressDestination, Finding, Severity } from '../model/finding.ts';
import { STEP_LABEL } from '../model/finding.ts';
import { ANALYTICS, PRODUCT, STRATEGY, tacticUrl, techniqueUrl } from './analytic.ts';
import { TACTIC_NAME, techniquesOf } from './attack.ts';
import { accountOf, agentProcess, baseName, commandArgs, parseHashes } from './finding-parts.ts';

export const ECS_VERSION = '8.11.0';

/** The numeric severities Elastic detection rules use, so ECS consumers can sort by them. */
const SEVERITY_NUMBER: Record<Severity, number> = { info: 1, low: 21, medium: 47, high: 73, critical: 99 };

const OS_TYPE: Partial<Record<Platform, { type: string; family: string; platform: string }>> = {
  windows: { type: 'windows', family: 'windows', platform: 'windows' },
  linux: { type: 'linux', family: 'linux', platform: 'linux' },
  macos: { type: 'macos', family: 'macos', platform: 'darwin' },
};

/** Hash algorithms ECS has a field for under *.hash. */
const ECS_HASHES = new Set(['md5', 'sha1', 'sha256', 'sha384', 'sha512', 'ssdeep', 'tlsh']);

function iso(t: number): string {
  return new Date(t).toISOString();
}

function hashFields(hashes: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of parseHashes(hashes))
    if (ECS_HASHES.has(h.algorithm) && !out[h.algorithm]) out[h.algorithm] = h.value;
  return out;
}

/** The destination that best stands for the chain's egress: the one with the most connections. */
function mainDestination(egress: EgressDestination[]): EgressDestination | undefined {
  return [...egress].sort(
    (a, b) => b.connections - a.connections || (b.durationSec ?? 0) - (a.durationSec ?? 0),
  )[0];
}

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export interface EcsOptions {
  /** When the document is made (event.created); tests pass a fixed time. */
  now?: Date;
}

/** process.code_signature from what the sensor said: a signer name means signed code. */
function codeSignature(a: Finding['agent']): object | undefined {
  const exists = a.signed ?? (a.signer || a.teamId ? true : undefined);
  const sig = compact({ exists, subject_name: a.signer, signing_id: a.signingId, team_id: a.teamId });
  return Object.keys(sig).length ? sig : undefined;
}

function rule(f: Finding): object {
  const a = ANALYTICS[f.analytic];
  return {
    id: a.id,
    uuid: a.uuid,
    name: a.name,
    description: a.description,
    category: 'Remote Access Tools',
    ruleset: `${PRODUCT.name} ${STRATEGY.id}`,
    reference: a.url,
    version: PRODUCT.version,
    author: [PRODUCT.vendor],
    license: 'Apache-2.0',
  };
}

/** T1219 and each step's technique; sub-techniques under threat.technique.subtechnique. */
function threat(f: Finding): object {
  const seen = techniquesOf(f).map((x) => x.technique);
  const parents = new Map<string, string>();
  for (const t of seen) {
    const id = t.id.split('.')[0];
    if (!parents.has(id)) parents.set(id, t.parentName ?? t.name);
  }
  const subs = seen.filter((t) => t.id.includes('.'));
  const tactics = [...new Set(seen.map((t) => t.tacticId))];
  return {
    framework: 'MITRE ATT&CK',
    technique: compact({
      id: [...parents.keys()],
      name: [...parents.values()],
      reference: [...parents.keys()].map(techniqueUrl),
      subtechnique: subs.length
        ? {
            id: subs.map((t) => t.id),
            name: subs.map((t) => t.name),
            reference: subs.map((t) => techniqueUrl(t.id)),
          }
        : undefined,
    }),
    tactic: { id: tactics, name: tactics.map((t) => TACTIC_NAME[t]), reference: tactics.map(tacticUrl) },
  };
}

/** The agent's process: from the record that identifies it, else from the agent's first image. */
function processFields(f: Finding): object | undefined {
  const proc = agentProcess(f);
  const image = proc?.image ?? f.agent.images[0];
  if (!image) return undefined;
  const windows = f.platform === 'windows';
  const hashes = hashFields(proc?.hashes ?? f.agent.hashes);
  const pe =
    windows && (f.agent.originalFileName || f.agent.product || f.agent.company)
      ? compact({
          original_file_name: f.agent.originalFileName,
          product: f.agent.product,
          company: f.agent.company,
        })
      : undefined;
  const args = proc?.commandLine ? commandArgs(proc.commandLine, windows, proc.image) : undefined;
  const parent = proc?.parent;
  const parentArgs = parent?.commandLine ? commandArgs(parent.commandLine, windows, parent.image) : undefined;
  return compact({
    pid: proc?.pid,
    entity_id: proc?.guid,
    executable: image,
    name: baseName(image),
    command_line: proc?.commandLine,
    args: args?.length ? args : undefined,
    args_count: args?.length || undefined,
    hash: Object.keys(hashes).length ? hashes : undefined,
    pe,
    code_signature: codeSignature(f.agent),
    parent: parent
      ? compact({
          pid: parent.pid,
          executable: parent.image,
          name: parent.image ? baseName(parent.image) : undefined,
          command_line: parent.commandLine,
          args: parentArgs?.length ? parentArgs : undefined,
        })
      : undefined,
  });
}

function network(f: Finding): object {
  const dest = mainDestination(f.egress);
  if (!dest) return {};
  return {
    destination: compact({
      ip: isIP(dest.ip) ? dest.ip : undefined,
      address: dest.name ?? dest.ip,
      port: dest.port,
      domain: dest.name,
      bytes: dest.bytesIn,
    }),
    ...(dest.bytesOut !== undefined ? { source: { bytes: dest.bytesOut } } : {}),
  };
}

function chain(f: Finding): object {
  return {
    finding_id: f.id,
    revision: f.revision,
    title: f.title,
    status: f.status,
    severity: f.severity,
    score: f.score,
    confidence: f.confidence,
    step_count: f.stepCount,
    in_order: f.inOrder,
    missing: f.missing,
    agent: compact({
      key: f.agent.key,
      images: f.agent.images,
      links: f.agent.links,
      tool: f.agent.tool?.name,
      tool_id: f.agent.tool?.id,
      matched_by: f.agent.tool?.by,
      approved_by: f.agent.approvedBy,
    }),
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
    ...(f.remediation?.length ? { remediation: f.remediation } : {}),
  };
}

export function toEcs(f: Finding, o: EcsOptions = {}): object {
  const os = OS_TYPE[f.platform];
  const account = accountOf(f);
  const hashes = hashFields(f.agent.hashes);
  const ips = [...new Set(f.egress.map((d) => d.ip).filter((ip) => isIP(ip)))];
  const categories = ['intrusion_detection', 'process', ...(f.egress.length ? ['network'] : [])];
  return {
    '@timestamp': iso(f.lastSeen),
    message: f.summary || f.title,
    tags: [PRODUCT.name, f.strategy, f.analytic, f.technique.id, f.status],
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
      created: (o.now ?? new Date()).toISOString(),
      module: PRODUCT.name,
      dataset: 'ratchain.finding',
      provider: PRODUCT.name,
      reason: f.title,
      action: f.status === 'suppressed' ? 'suppressed' : 'remote-access-chain',
      reference: STRATEGY.url,
    },
    rule: rule(f),
    threat: threat(f),
    host: compact({
      name: f.host,
      hostname: f.host,
      id: f.hostId ?? f.host.toLowerCase(),
      os: os ? { type: os.type, family: os.family, platform: os.platform } : undefined,
    }),
    ...(processFields(f) ? { process: processFields(f) } : {}),
    ...network(f),
    ...(account ? { user: compact({ name: account.name, id: account.uid, domain: account.domain }) } : {}),
    related: compact({
      hosts: [f.host, ...f.egress.flatMap((d) => (d.name ? [d.name] : []))],
      ip: ips.length ? ips : undefined,
      user: account ? [account.name ?? account.uid!] : undefined,
      hash: Object.keys(hashes).length ? Object.values(hashes) : undefined,
    }),
    ratchain: chain(f),
  };
}
