// The comment every export starts with: what it is, which config it honours, and what the target
// language cannot express of what ratchain does.
import { type ExportAnalytic, NOT_EXPRESSIBLE } from './analytic.ts';

const PLATFORM_NAME = { windows: 'Windows', linux: 'Linux', macos: 'macOS' } as const;

export function headerLines(a: ExportAnalytic, language: string, extra: string[] = []): string[] {
  return [
    `ratchain export: MITRE ATT&CK DET0496 (T1219 Remote Access Tools), analytic ${a.analytic}, ${PLATFORM_NAME[a.platform]}, as ${language}.`,
    'Generated from the rule packs and the config a hunt uses (`ratchain rules list` shows every entry).',
    `Config honoured: TimeWindow ${a.window}; alert at ${a.alertSteps} of 4 steps; EgressHeuristics.MinConnections ${a.minConnections};`,
    `  ${a.egress.internal.length} internal networks${a.egress.carved.length ? ` (${a.egress.carved.length} carved out)` : ''}; ${a.egress.allowCidrs.length} allowlisted CIDRs and ${a.egress.allowDomains.length} domains; ${a.execution.approved.length} approved tools;`,
    `  control children and suspicious command lines from ShellSpawnRegex / SuspiciousChildProcesses or the packs.`,
    'Steps: S1 a catalogued remote-access tool, or a program run from a user-writable path, starts;',
    '  S2 a persistence entry is written (registry value, unit/plist/cron/startup file, or a command that makes one);',
    '  S3 repeated connections to one external, non-allowlisted destination; S4 the agent spawns a shell or recon tool.',
    `Not expressible in ${language}:`,
    ...NOT_EXPRESSIBLE.map((n) => `  - ${n}`),
    ...extra.map((n) => `  - ${n}`),
  ];
}

/** Glob of a domain allowlist ("*.anydesk.com") as a regex on a host name. */
export function domainRegex(glob: string): string {
  const g = glob.toLowerCase();
  if (g.startsWith('*.') && !g.includes('*', 1)) return `(^|\\.)${literal(g.slice(2))}$`;
  return `^${g.split('*').map(literal).join('.*')}$`;
}

export function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** One alternation of patterns, each grouped. */
export function alternation(patterns: string[]): string {
  return patterns.length === 1 ? patterns[0] : patterns.map((p) => `(${p})`).join('|');
}
