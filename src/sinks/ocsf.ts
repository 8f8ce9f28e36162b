// Findings as OCSF Detection Finding events (class_uid 2004, category Findings), for SIEMs and
// data lakes that speak OCSF. Target: OCSF 1.8.0 with the Host profile (actor). Every event is
// validated against the real 1.8.0 schema source by test/sinks/schemas.test.ts, and
// schema/ocsf-detection-finding.schema.json is generated from that source (scripts/schemas.ts).
import type { Platform } from '../model/event.ts';
import type { EgressDestination, Finding, Severity } from '../model/finding.ts';
import { STEP_LABEL } from '../model/finding.ts';
import { ANALYTICS, PRODUCT, STRATEGY, tacticUrl, techniqueUrl } from './analytic.ts';
import { TACTIC_NAME, techniquesOf } from './attack.ts';
import { accountOf, agentProcess, baseName, type Hash, parseHashes } from './finding-parts.ts';
import { defined, executableFile, ocsfProcess, ocsfUser, stepEvidences } from './ocsf-evidence.ts';
import { ocsfObservables } from './ocsf-observables.ts';

export const OCSF_VERSION = '1.8.0';
export const OCSF_PROFILES = ['host'];
/** ATT&CK release that defines detection strategy DET0496 and its analytics. */
export const ATTACK_VERSION = '18';

const CLASS = { uid: 2004, name: 'Detection Finding' };
const CATEGORY = { uid: 2, name: 'Findings' };

const SEVERITY_ID: Record<Severity, { id: number; name: string }> = {
  info: { id: 1, name: 'Informational' },
  low: { id: 2, name: 'Low' },
  medium: { id: 3, name: 'Medium' },
  high: { id: 4, name: 'High' },
  critical: { id: 5, name: 'Critical' },
};

/** OCSF os.type_id. */
const OS: Partial<Record<Platform, { name: string; type_id: number; type: string }>> = {
  windows: { name: 'Windows', type_id: 100, type: 'Windows' },
  linux: { name: 'Linux', type_id: 200, type: 'Linux' },
  macos: { name: 'macOS', type_id: 300, type: 'macOS' },
};

/** Confidence 0..1 to OCSF confidence_id: 1 Low, 2 Medium, 3 High. */
function confidenceId(c: number): { id: number; name: string } {
  if (c >= 0.8) return { id: 3, name: 'High' };
  if (c >= 0.5) return { id: 2, name: 'Medium' };
  return { id: 1, name: 'Low' };
}

/** An executable as an OCSF file object, with what the binary says about itself. */
function executable(path: string, f: Finding, hashes: Hash[]): object {
  const a = f.agent;
  return defined({
    ...executableFile(path, hashes),
    company_name: a.company,
    product: a.product ? defined({ name: a.product, vendor_name: a.company }) : undefined,
  });
}

function destinationEvidence(d: EgressDestination): object {
  return {
    name: `${STEP_LABEL.egress} destination`,
    dst_endpoint: defined({ ip: d.ip, port: d.port, hostname: d.name }),
    data: defined({
      connections: d.connections,
      duration_sec: d.durationSec,
      bytes_out: d.bytesOut,
      bytes_in: d.bytesIn,
      host_level: d.hostLevel ?? false,
    }),
  };
}

/** The agent's images as file evidence: the binaries to look at first. */
function agentEvidences(f: Finding): object[] {
  const hashes = parseHashes(f.agent.hashes);
  return f.agent.images.map((path, i) => ({
    name: 'agent binary',
    uid: `${f.agent.key}#${i}`,
    file: executable(path, f, i === 0 ? hashes : []),
  }));
}

function classification(f: Finding): object {
  const sev = SEVERITY_ID[f.severity];
  const activity = f.revision > 0 ? { id: 2, name: 'Update' } : { id: 1, name: 'Create' };
  const status = f.status === 'suppressed' ? { id: 3, name: 'Suppressed' } : { id: 1, name: 'New' };
  const conf = confidenceId(f.confidence);
  return {
    class_uid: CLASS.uid,
    class_name: CLASS.name,
    category_uid: CATEGORY.uid,
    category_name: CATEGORY.name,
    activity_id: activity.id,
    activity_name: activity.name,
    type_uid: CLASS.uid * 100 + activity.id,
    type_name: `${CLASS.name}: ${activity.name}`,
    severity_id: sev.id,
    severity: sev.name,
    status_id: status.id,
    status: status.name,
    is_alert: f.status === 'alert',
    confidence_id: conf.id,
    confidence: conf.name,
    confidence_score: Math.round(f.confidence * 100),
    risk_score: f.score,
  };
}

function findingInfo(f: Finding): object {
  const formats = [...new Set(f.steps.flatMap((s) => s.evidence.map((e) => e.src.format)))];
  return defined({
    uid: f.id,
    title: f.title,
    desc: f.summary,
    types: ['Remote Access Tool'],
    first_seen_time: f.firstSeen,
    last_seen_time: f.lastSeen,
    src_url: STRATEGY.url,
    analytic: {
      uid: f.analytic,
      name: ANALYTICS[f.analytic].name,
      desc: ANALYTICS[f.analytic].description,
      category: f.strategy,
      type_id: 2,
      type: 'Behavioral',
      version: PRODUCT.version,
    },
    attacks: techniquesOf(f).map(({ technique: t }) => {
      const sub = t.id.includes('.');
      return defined({
        technique: sub
          ? { uid: t.id.split('.')[0], name: t.parentName, src_url: techniqueUrl(t.id.split('.')[0]) }
          : { uid: t.id, name: t.name, src_url: techniqueUrl(t.id) },
        sub_technique: sub ? { uid: t.id, name: t.name, src_url: techniqueUrl(t.id) } : undefined,
        tactic: { uid: t.tacticId, name: TACTIC_NAME[t.tacticId], src_url: tacticUrl(t.tacticId) },
        version: ATTACK_VERSION,
      });
    }),
    related_events_count: f.steps.reduce((n, s) => n + s.count, 0),
    data_sources: formats.length ? formats : undefined,
  });
}

function device(f: Finding): object {
  const os = OS[f.platform];
  return defined({
    hostname: f.host,
    name: f.host,
    uid: f.hostId ?? f.host.toLowerCase(),
    type_id: 0,
    type: 'Unknown',
    os,
  });
}

/** The agent's process (when a record identifies it) and the account the chain ran as. */
function actor(f: Finding): object {
  const proc = agentProcess(f);
  const process = proc ? ocsfProcess(proc) : undefined;
  return defined({
    process: process
      ? { ...process, file: executable(proc!.image, f, parseHashes(proc!.hashes ?? f.agent.hashes)) }
      : undefined,
    user: ocsfUser(accountOf(f)),
    app_name: f.agent.tool?.name ?? baseName(f.agent.images[0] ?? f.agent.key),
  });
}

/** OCSF's remediation guidance: the actions as numbered lines, each with its command. */
function remediation(f: Finding): object {
  const lines = (f.remediation ?? []).map(
    (a, i) => `${i + 1}. ${a.text}${a.command ? `\n   ${a.command}` : ''}`,
  );
  return { desc: lines.join('\n'), references: [STRATEGY.url, techniqueUrl(f.technique.id)] };
}

export function toOcsf(f: Finding): object {
  const evidences = [
    ...f.steps.filter((s) => s.seen).flatMap(stepEvidences),
    ...f.egress.map(destinationEvidence),
    ...agentEvidences(f),
  ];
  const event = {
    ...classification(f),
    // The finding's own time is when its latest step happened: stable across re-runs.
    time: f.lastSeen,
    start_time: f.firstSeen,
    end_time: f.lastSeen,
    timezone_offset: 0,
    message: f.summary || f.title,
    metadata: {
      version: OCSF_VERSION,
      product: { name: PRODUCT.name, vendor_name: PRODUCT.vendor, version: PRODUCT.version },
      profiles: OCSF_PROFILES,
      uid: `${f.id}.${f.revision}`,
      log_name: 'ratchain findings',
    },
    finding_info: findingInfo(f),
    evidences,
    device: device(f),
    actor: actor(f),
    ...(f.remediation?.length ? { remediation: remediation(f) } : {}),
    // What OCSF has no attribute for: the score's reasons and the chain's shape.
    unmapped: {
      ratchain: defined({
        status: f.status,
        score: f.score,
        step_count: f.stepCount,
        in_order: f.inOrder,
        missing: f.missing,
        agent_key: f.agent.key,
        agent_images: f.agent.images,
        agent_links: f.agent.links,
        tool: f.agent.tool,
        approved_by: f.agent.approvedBy,
        signer: f.agent.signer,
        reasons: f.reasons,
        remediation: f.remediation?.length ? f.remediation : undefined,
      }),
    },
  };
  return { ...event, observables: ocsfObservables(event) };
}
