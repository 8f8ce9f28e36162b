// Allowlists down-weight but never blind: an approved tool on an approved host, from its
// approved path, talking to allowlisted infrastructure is suppressed; any step outside that
// approval is an anomaly that keeps the finding alive and is named in it.

import { domainMatches } from '../catalog/match.ts';
import type { Catalog } from '../catalog/types.ts';
import type { Pattern } from '../config/pattern.ts';
import type { Config } from '../config/schema.ts';
import type { Agent } from './state.ts';

export interface Approval {
  /** Which entry approved it ("ProcessAllowlist[0] anydesk (help desk)"). */
  entry: string;
  anomalies: string[];
}

interface Entry {
  list: string;
  index: number;
  tool?: string;
  image?: Pattern;
  paths: Pattern[];
  hosts: Pattern[];
  signer?: Pattern;
  note?: string;
}

function entries(cfg: Config): Entry[] {
  const out: Entry[] = [];
  for (const [i, e] of cfg.ProcessAllowlist.entries()) out.push({ list: 'ProcessAllowlist', index: i, ...e });
  for (const [i, e] of cfg.DaemonAllowlist.entries()) out.push({ list: 'DaemonAllowlist', index: i, ...e });
  for (const [i, e] of cfg.LaunchdAllowlist.entries()) {
    out.push({ list: 'LaunchdAllowlist', index: i, image: e.program, paths: [], hosts: [], note: e.note });
  }
  return out;
}

export function approvalFor(
  a: Agent,
  cfg: Config,
  catalog: Catalog,
  installPaths: Pattern[],
): Approval | undefined {
  const host = a.host.displayName.toLowerCase();
  const images = [...a.images];
  for (const e of entries(cfg)) {
    if (e.list === 'LaunchdAllowlist') {
      const label = cfg.LaunchdAllowlist[e.index].label;
      if (![...a.entryNames].some((l) => label.test(l))) continue;
    }
    const byTool = e.tool && a.tool?.tool.id === (catalog.byId(e.tool)?.id ?? e.tool.toLowerCase());
    const byImage = e.image && images.some((i) => e.image!.test(i));
    const byLabel = e.list === 'LaunchdAllowlist' && !e.image;
    if (!byTool && !byImage && !byLabel) continue;
    if (e.hosts.length && !e.hosts.some((h) => h.test(host) || h.test(a.host.name))) continue;
    if (e.signer && a.meta.signer && !e.signer.test(a.meta.signer)) continue;

    const anomalies: string[] = [];
    const allowedPaths = [...e.paths, ...cfg.AllowedAppBundlePaths];
    for (const img of images) {
      const dir = img.replace(/[\\/][^\\/]*$/, '');
      if (allowedPaths.length && !allowedPaths.some((p) => p.test(img) || p.test(dir))) {
        anomalies.push(`runs from ${img}, outside the approved paths`);
      } else if (!allowedPaths.length && installPaths.some((r) => r.test(img.toLowerCase()))) {
        anomalies.push(`runs from a user-writable or temporary path (${img})`);
      }
    }
    if (a.flags.has('suspicious_child')) anomalies.push(a.flags.get('suspicious_child')!);
    const vendor = a.tool ? (catalog.byId(a.tool.tool.id)?.domains ?? []) : [];
    for (const d of a.egress.values()) {
      if (!d.qualified) continue;
      const ok = d.name !== undefined && vendor.some((v) => domainMatches(v, d.name!));
      if (!ok)
        anomalies.push(
          `talks to ${d.name ? `${d.name} (${d.ip})` : d.ip}, not allowlisted vendor infrastructure`,
        );
    }
    const label = `${e.list}[${e.index}]${e.tool ? ` ${e.tool}` : ''}${e.note ? ` (${e.note})` : ''}`;
    return { entry: label, anomalies };
  }
  return undefined;
}
