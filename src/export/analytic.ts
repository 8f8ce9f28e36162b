// The DET0496 analytic for one platform, as plain data a SIEM query can be written from: which
// process starts are the agent (S1), which registry values, files and commands are persistence
// (S2), which connections count as egress (S3), which children are control (S4), and the window.
// Built from the same rule packs and config the engine runs, so an export says what a hunt does.
import type { Catalog } from '../catalog/types.ts';
import { type Config, DEFAULT_INTERNAL_NETWORKS } from '../config/schema.ts';
import type { Finding } from '../model/finding.ts';
import { fileName } from '../model/paths.ts';
import { compileRules } from '../rules/compile.ts';
import { type RuleRecord, rulesFor } from '../rules/load.ts';
import type { GroupPath, PackPlatform } from '../rules/schema.ts';

export type ExportPlatform = Exclude<PackPlatform, 'common'>;
export const EXPORT_PLATFORMS: readonly ExportPlatform[] = ['windows', 'linux', 'macos'];

/** An approved tool: its starts do not begin a chain (on its hosts, from its paths). */
export interface ExportApproval {
  /** Regexes on the image path (the entry's image, or its catalogue tool's executables). */
  images: string[];
  hosts: string[];
  paths: string[];
  label: string;
}

export interface ExportAnalytic {
  platform: ExportPlatform;
  analytic: Finding['analytic'];
  /** TimeWindow in ms and as "15m". */
  windowMs: number;
  window: string;
  /** Steps inside one window that make an alert (the rule packs' alert steps, or MinSteps if higher). */
  alertSteps: number;
  /** EgressHeuristics.MinConnections: repeated connections to one destination. */
  minConnections: number;
  execution: {
    /** Catalogued remote-access executables for this platform (lower-case file names). */
    toolNames: string[];
    /** User-writable and temporary locations (regexes, case-insensitive). */
    userWritable: string[];
    approved: ExportApproval[];
  };
  persistence: {
    /** Registry value paths (regexes, case-insensitive). */
    registry: string[];
    /** Files whose creation is persistence (regexes; case-sensitive when the pack says so). */
    files: Array<{ pattern: string; caseSensitive: boolean }>;
    /** Command lines that make persistence (regexes). */
    commands: Array<{ pattern: string; caseSensitive: boolean; unless?: string }>;
  };
  egress: {
    /** Not external (InternalNetworks, or the default private ranges). */
    internal: string[];
    /** Carved out of the internal networks ("!cidr"): external after all. */
    carved: string[];
    allowCidrs: string[];
    /** Domain globs ("*.anydesk.com"). */
    allowDomains: string[];
  };
  control: {
    /** Image of a control child (regex, case-insensitive). */
    children: string;
    acceptable: Array<{ parent: string; child: string }>;
    /** Parents whose shells are by design (a shell, the logon chain, an installer): file names. */
    byDesign: string[];
    suspicious: string[];
  };
}

const ANALYTIC: Record<ExportPlatform, Finding['analytic']> = {
  windows: 'AN1366',
  linux: 'AN1367',
  macos: 'AN1368',
};

/** "15m", "90s", "2h": the shortest exact spelling of a duration. */
export function durationText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}

function packEntries(records: RuleRecord[], platform: ExportPlatform): RuleRecord[] {
  return records.filter((r) => r.pack === platform || r.pack === 'common');
}

/** Executables the catalogue lists for a platform: .exe on Windows; others where the tool ships. */
function toolNames(catalog: Catalog, platform: ExportPlatform): string[] {
  const out = new Set<string>();
  for (const t of catalog.tools) {
    const onPlatform =
      platform === 'windows'
        ? true
        : platform === 'linux'
          ? t.paths.linux.length > 0 || t.systemdUnits.length > 0
          : t.paths.macos.length > 0 || t.launchdLabels.length > 0 || t.bundleIds.length > 0;
    if (!onPlatform) continue;
    for (const e of t.executables) if (e.endsWith('.exe') === (platform === 'windows')) out.add(e);
  }
  return [...out].sort();
}

function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function approvals(cfg: Config, catalog: Catalog): ExportApproval[] {
  const out: ExportApproval[] = [];
  for (const [list, entries] of [
    ['ProcessAllowlist', cfg.ProcessAllowlist],
    ['DaemonAllowlist', cfg.DaemonAllowlist],
  ] as const) {
    for (const [i, e] of entries.entries()) {
      const tool = e.tool ? catalog.byId(e.tool) : undefined;
      const images = [
        ...(e.image ? [e.image.source] : []),
        ...(tool?.executables ?? []).map((x) => `(^|[\\\\/])${literal(x)}$`),
      ];
      if (images.length === 0) continue;
      out.push({
        images,
        hosts: e.hosts.map((h) => h.source),
        paths: e.paths.map((p) => p.source),
        label: `${list}[${i}]${e.tool ? ` ${e.tool}` : ''}${e.note ? ` (${e.note})` : ''}`,
      });
    }
  }
  return out;
}

/** The analytic for `platform` under `cfg` (its Rules:, allowlists, networks, shells). */
export function exportAnalytic(cfg: Config, catalog: Catalog, platform: ExportPlatform): ExportAnalytic {
  const set = rulesFor(cfg.Rules);
  const compiled = compileRules(set, fileName);
  const of = (g: GroupPath) =>
    packEntries(set.groups[g], platform).map((r) => r.entry as Record<string, unknown>);
  const pattern = (e: Record<string, unknown>) => String(e.pattern);
  const cs = (e: Record<string, unknown>) => e.caseSensitive === true;
  const nameList = (...gs: GroupPath[]) =>
    [...new Set(gs.flatMap((g) => of(g).flatMap((e) => (e.names as string[]) ?? [])))].sort();
  const internal = cfg.InternalNetworks ?? DEFAULT_INTERNAL_NETWORKS;
  const childNames = of('control.children').flatMap((e) => [
    ...((e.names as string[]) ?? []).map(literal),
    ...((e.patterns as string[]) ?? []),
  ]);
  return {
    platform,
    analytic: ANALYTIC[platform],
    windowMs: cfg.TimeWindow,
    window: durationText(cfg.TimeWindow),
    alertSteps: Math.max(compiled.severity.alertSteps, cfg.MinSteps),
    minConnections: cfg.EgressHeuristics.MinConnections,
    execution: {
      toolNames: toolNames(catalog, platform),
      userWritable: cfg.InstallPathRegex?.map((r) => r.source) ?? of('paths.user_writable').map(pattern),
      approved: approvals(cfg, catalog),
    },
    persistence: {
      registry: of('persistence.registry').map(pattern),
      files: of('persistence.files').map((e) => ({ pattern: pattern(e), caseSensitive: cs(e) })),
      commands: of('persistence.commands').map((e) => ({
        pattern: String(e.match),
        caseSensitive: cs(e),
        ...(e.unless ? { unless: String(e.unless) } : {}),
      })),
    },
    egress: {
      internal: internal.filter((c) => !c.startsWith('!')),
      carved: internal.filter((c) => c.startsWith('!')).map((c) => c.slice(1)),
      allowCidrs: cfg.ExternalIPAllowlist.cidrs,
      allowDomains: [
        ...cfg.ExternalIPAllowlist.domains,
        ...cfg.ExternalIPAllowlist.presets.flatMap((id) => catalog.byId(id)?.domains ?? []),
      ],
    },
    control: {
      children:
        cfg.ShellSpawnRegex.shells?.source ??
        (childNames.length ? `(^|[\\\\/])(${childNames.join('|')})(\\.exe)?$` : '$^'),
      acceptable: [
        ...of('control.acceptable').map((e) => ({ parent: String(e.parent), child: String(e.child) })),
        ...cfg.ShellSpawnRegex.acceptable.map((a) => ({ parent: a.parent.source, child: a.child.source })),
      ],
      byDesign: nameList('roles.shell', 'roles.session_parent', 'roles.installer'),
      suspicious: cfg.SuspiciousChildProcesses?.map((r) => r.source) ?? of('control.suspicious').map(pattern),
    },
  };
}

/** What no SIEM language here can express of what ratchain does; each export says so. */
export const NOT_EXPRESSIBLE = [
  'partial-chain scoring: ratchain scores every chain (weights per reason, a severity per score) and reports 3 of 4 steps in any order; a query matches or not',
  'identity across paths: ratchain ties a portable and an installed copy, a renamed binary and the files an agent wrote into one agent (same hash, product metadata, writer lineage, catalogue entry); here steps are tied by host only',
  'allowlist anomalies: an approved tool that behaves outside its approval (other path, shell child, non-vendor destination) still alerts in ratchain; here an approved start simply does not begin a chain',
  'flow joins and clock skew: ratchain joins network flows to the process that made them and corrects each host clock; here connections are taken as the endpoint sensor logged them',
];
