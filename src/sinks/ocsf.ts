// Findings as OCSF Detection Finding events (class_uid 2004, category Findings), for SIEMs and
// data lakes that speak OCSF. Target: OCSF schema 1.3.0 with the Host profile (device, actor).
// Checked by schema/ocsf-detection-finding.schema.json, written for this project from the
// published attribute dictionary (names, types, enums); see test/sinks/ocsf.test.ts.
import type { Platform, SourceRef } from '../model/event.ts';
import type { Evidence, Finding, FindingStep, Severity } from '../model/finding.ts';
import { STEP_LABEL } from '../model/finding.ts';

export const OCSF_VERSION = '1.3.0';
/** ATT&CK release that defines detection strategy DET0496 and its analytics. */
export const ATTACK_VERSION = '18';
const PRODUCT = { name: 'ratchain', vendor_name: 'ratchain', version: '0.1.0' };

const CLASS_UID = 2004;
const CATEGORY_UID = 2;

const SEVERITY_ID: Record<Severity, { id: number; name: string }> = {
  info: { id: 1, name: 'Informational' },
  low: { id: 2, name: 'Low' },
  medium: { id: 3, name: 'Medium' },
  high: { id: 4, name: 'High' },
  critical: { id: 5, name: 'Critical' },
};

/** OCSF os.type_id: 100 Windows, 200 Linux, 300 macOS. */
const OS: Partial<Record<Platform, { name: string; type_id: number }>> = {
  windows: { name: 'Windows', type_id: 100 },
  linux: { name: 'Linux', type_id: 200 },
  macos: { name: 'macOS', type_id: 300 },
};

/** OCSF fingerprint.algorithm_id: 1 MD5, 2 SHA-1, 3 SHA-256, 99 Other. */
const HASH_ALGO: Record<string, { id: number; name: string }> = {
  md5: { id: 1, name: 'MD5' },
  sha1: { id: 2, name: 'SHA-1' },
  sha256: { id: 3, name: 'SHA-256' },
};

export interface OcsfFingerprint {
  algorithm_id: number;
  algorithm: string;
  value: string;
}

/** The finding's "sha256:abcd" hash strings as OCSF fingerprints. */
function fingerprints(hashes: string[]): OcsfFingerprint[] {
  return hashes.flatMap((h) => {
    const i = h.indexOf(':');
    if (i <= 0) return [];
    const algo = h.slice(0, i).toLowerCase();
    const known = HASH_ALGO[algo];
    return [{ algorithm_id: known?.id ?? 99, algorithm: known?.name ?? algo, value: h.slice(i + 1) }];
  });
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** Confidence 0..1 to OCSF confidence_id: 1 Low, 2 Medium, 3 High. */
function confidenceId(c: number): { id: number; name: string } {
  if (c >= 0.8) return { id: 3, name: 'High' };
  if (c >= 0.5) return { id: 2, name: 'Medium' };
  return { id: 1, name: 'Low' };
}

function userParts(user: string): { name: string; domain?: string } {
  const i = user.indexOf('\\');
  return i > 0 ? { name: user.slice(i + 1), domain: user.slice(0, i) } : { name: user };
}

function sourceData(src: SourceRef): Record<string, string | number> {
  const d: Record<string, string | number> = { file: src.file, format: src.format };
  if (src.line !== undefined) d.line = src.line;
  if (src.offset !== undefined) d.offset = src.offset;
  if (src.record !== undefined) d.record = src.record;
  if (src.eventId !== undefined) d.event_id = src.eventId;
  return d;
}

function evidenceUid(e: Evidence): string {
  const s = e.src;
  return `${s.file}${s.line !== undefined ? `:${s.line}` : s.offset !== undefined ? `@${s.offset}` : ''}${s.record ? `#${s.record}` : ''}`;
}

/** One OCSF evidences entry per record behind a step; `data` keeps the exact source location. */
function stepEvidences(s: FindingStep): object[] {
  return s.evidence.map((e) => ({
    name: STEP_LABEL[s.step],
    uid: evidenceUid(e),
    data: { step: s.step, time: e.time, summary: e.summary, link: s.link, source: sourceData(e.src) },
  }));
}

export function toOcsf(f: Finding): object {
  const sev = SEVERITY_ID[f.severity];
  const conf = confidenceId(f.confidence);
  const activity = f.revision > 0 ? { id: 2, name: 'Update' } : { id: 1, name: 'Create' };
  const status = f.status === 'suppressed' ? { id: 3, name: 'Suppressed' } : { id: 1, name: 'New' };
  const os = OS[f.platform];
  const device = {
    hostname: f.host,
    name: f.host,
    type_id: 0,
    type: 'Unknown',
    ...(os ? { os: { name: os.name, type_id: os.type_id } } : {}),
  };
  const image = f.agent.images[0];
  const user = f.user ? userParts(f.user) : undefined;
  const actor = {
    ...(image
      ? {
          process: {
            name: baseName(image),
            file: {
              name: baseName(image),
              path: image,
              type_id: 1,
              type: 'Regular File',
              ...(f.agent.hashes.length ? { hashes: fingerprints(f.agent.hashes) } : {}),
              ...(f.agent.company ? { company_name: f.agent.company } : {}),
              ...(f.agent.product ? { product: { name: f.agent.product } } : {}),
            },
            ...(user ? { user } : {}),
          },
        }
      : {}),
    ...(user ? { user } : {}),
    app_name: f.agent.tool?.name ?? baseName(image ?? f.agent.key),
  };
  const egressEvidences = f.egress.map((d) => ({
    name: `${STEP_LABEL.egress} destination`,
    dst_endpoint: {
      ip: d.ip,
      ...(d.port !== undefined ? { port: d.port } : {}),
      ...(d.name ? { hostname: d.name } : {}),
    },
    data: {
      connections: d.connections,
      duration_sec: d.durationSec,
      bytes_out: d.bytesOut,
      bytes_in: d.bytesIn,
      host_level: d.hostLevel ?? false,
    },
  }));
  const evidences = [...f.steps.filter((s) => s.seen).flatMap(stepEvidences), ...egressEvidences];
  const formats = [...new Set(f.steps.flatMap((s) => s.evidence.map((e) => e.src.format)))];
  return {
    class_uid: CLASS_UID,
    class_name: 'Detection Finding',
    category_uid: CATEGORY_UID,
    category_name: 'Findings',
    activity_id: activity.id,
    activity_name: activity.name,
    type_uid: CLASS_UID * 100 + activity.id,
    type_name: `Detection Finding: ${activity.name}`,
    // The finding's own time is when its latest step happened: stable across re-runs.
    time: f.lastSeen,
    start_time: f.firstSeen,
    end_time: f.lastSeen,
    severity_id: sev.id,
    severity: sev.name,
    status_id: status.id,
    status: status.name,
    confidence_id: conf.id,
    confidence: conf.name,
    confidence_score: Math.round(f.confidence * 100),
    risk_score: f.score,
    message: f.summary || f.title,
    metadata: {
      version: OCSF_VERSION,
      product: PRODUCT,
      profiles: ['host'],
      uid: `${f.id}.${f.revision}`,
      log_name: 'ratchain findings',
    },
    finding_info: {
      uid: f.id,
      title: f.title,
      desc: f.summary,
      types: ['Remote Access Tool'],
      first_seen_time: f.firstSeen,
      last_seen_time: f.lastSeen,
      analytic: {
        uid: f.analytic,
        name: `${f.strategy} ${f.analytic} remote access tool behaviour chain`,
        category: f.strategy,
        type_id: 2,
        type: 'Behavioral',
      },
      attacks: [
        {
          technique: { uid: f.technique.id, name: f.technique.name },
          tactic: { uid: f.technique.tactic, name: 'Command and Control' },
          version: ATTACK_VERSION,
        },
      ],
      related_events_count: f.steps.reduce((n, s) => n + s.count, 0),
      ...(formats.length ? { data_sources: formats } : {}),
    },
    evidences,
    device,
    actor,
    // What OCSF has no attribute for: the score's reasons and the chain's shape.
    unmapped: {
      ratchain: {
        status: f.status,
        score: f.score,
        step_count: f.stepCount,
        in_order: f.inOrder,
        missing: f.missing,
        agent_key: f.agent.key,
        agent_images: f.agent.images,
        agent_links: f.agent.links,
        ...(f.agent.tool ? { tool: f.agent.tool } : {}),
        ...(f.agent.approvedBy ? { approved_by: f.agent.approvedBy } : {}),
        ...(f.agent.signer ? { signer: f.agent.signer } : {}),
        reasons: f.reasons,
      },
    },
  };
}
