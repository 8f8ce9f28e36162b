// What every export says about the analytic itself, stable across findings and runs: the product,
// MITRE's detection strategy and its three analytics, each with a fixed rule identity, so a SIEM
// can group alerts by rule (ECS rule.*, OCSF finding_info.analytic) and link to ATT&CK.
import { createHash } from 'node:crypto';
import type { Finding } from '../model/finding.ts';

export const PRODUCT = { name: 'ratchain', vendor: 'ratchain', version: '0.1.0' };

export const STRATEGY = {
  id: 'DET0496',
  name: 'Detection of remote access tool behaviour chains',
  url: 'https://attack.mitre.org/detectionstrategies/DET0496/',
};

export interface AnalyticInfo {
  id: Finding['analytic'];
  platform: string;
  /** Fixed per analytic (a name-based UUID), never a finding's id. */
  uuid: string;
  name: string;
  description: string;
  /** ATT&CK shows the analytics on their detection strategy's page. */
  url: string;
}

/** A UUID (version 5 layout) from a name, so the same analytic always has the same rule uuid. */
function nameUuid(name: string): string {
  const h = createHash('sha1').update(`ratchain:${name}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function analytic(id: Finding['analytic'], platform: string): AnalyticInfo {
  return {
    id,
    platform,
    uuid: nameUuid(`${STRATEGY.id}/${id}`),
    name: `${STRATEGY.id} ${id}: remote access tool behaviour chain (${platform})`,
    description: `A remote-access agent on a ${platform} host runs (S1), makes itself persistent (S2), keeps a connection open to external infrastructure (S3) and spawns shells (S4) inside one time window; three steps alert, two are a signal.`,
    url: STRATEGY.url,
  };
}

export const ANALYTICS: Record<Finding['analytic'], AnalyticInfo> = {
  AN1366: analytic('AN1366', 'Windows'),
  AN1367: analytic('AN1367', 'Linux'),
  AN1368: analytic('AN1368', 'macOS'),
};

export function techniqueUrl(id: string): string {
  return `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`;
}

export function tacticUrl(id: string): string {
  return `https://attack.mitre.org/tactics/${id}/`;
}
