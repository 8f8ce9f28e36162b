// The configuration: every mutable element of DET0496 under the name MITRE gives it, plus the
// few settings ratchain itself needs. Defaults work out of the box; `ratchain config init`
// writes them with comments (default-config.ts).
import * as z from 'zod';
import { cidrProblem } from './cidr.ts';
import { compilePattern } from './pattern.ts';

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "15m", "90s", "2h", or a number of seconds. */
export function parseDuration(v: string | number): number {
  if (typeof v === 'number') return v * 1000;
  const m = DURATION.exec(v.trim());
  if (!m) return Number.NaN;
  return Number(m[1]) * UNIT_MS[m[2] ?? 's'];
}

const duration = z.union([z.string(), z.number().nonnegative()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration; write e.g. 15m, 90s, 2h` });
    return z.NEVER;
  }
  return ms;
});

// Patterns on log text run in linear time (config/pattern.ts); one that cannot is refused here.
const regex = z.string().transform((v, ctx) => {
  try {
    return compilePattern(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});

const cidr = z.string().superRefine((v, ctx) => {
  const problem = cidrProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** A whole number in [min, max]; out of range, the message says the range in plain words. */
function wholeNumber(min: number, max?: number) {
  const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
  const error = (i: { input?: unknown }) => `must be a whole number ${range}, not ${JSON.stringify(i.input)}`;
  const n = z.number({ error }).int({ error }).min(min, { error });
  return max === undefined ? n : n.max(max, { error });
}

/** A number above zero. */
function positiveNumber() {
  const error = (i: { input?: unknown }) => `must be a number above 0, not ${JSON.stringify(i.input)}`;
  return z.number({ error }).positive({ error });
}

/** One approved tool: which binary, where, on which hosts, talking to what. */
const approval = z
  .object({
    /** A catalogue tool id ("anydesk"), or omit and give image. */
    tool: z.string().optional(),
    /** Regex on the image path or file name. */
    image: regex.optional(),
    /** Regexes of approved install paths (image directory). Empty: any path. */
    paths: z.array(regex).default([]),
    /** Regexes of hosts where the tool is approved. Empty: every host. */
    hosts: z.array(regex).default([]),
    /** Signer that must match (regex), when the sensor reports one. */
    signer: regex.optional(),
    /** Free text shown in findings ("help-desk tool, ticket 123"). */
    note: z.string().optional(),
  })
  .strict()
  .refine((a) => a.tool || a.image, { message: 'an allowlist entry needs `tool` or `image`' });

export const configSchema = z
  .object({
    /** Steps must fall inside this window to form one chain. */
    TimeWindow: duration.prefault('15m'),
    UserContext: z
      .object({
        /** Help-desk and jump hosts where remote tools are normal (regexes). */
        SupportHosts: z.array(regex).default([]),
        /** Admin accounts (regexes on DOMAIN\\user or user). */
        AdminUsers: z.array(regex).default([]),
        /** Accepted for MITRE's UserContext; no format read here reports group membership, so it changes nothing yet. */
        AdminGroups: z.array(z.string()).default([]),
      })
      .strict()
      .prefault({}),
    ProcessAllowlist: z.array(approval).default([]),
    DaemonAllowlist: z.array(approval).default([]),
    LaunchdAllowlist: z
      .array(z.object({ label: regex, program: regex.optional(), note: z.string().optional() }).strict())
      .default([]),
    AllowedAppBundlePaths: z.array(regex).default([]),
    /** Paths a user can write to: an agent run from here is suspicious. */
    InstallPathRegex: z.array(regex).optional(),
    ExternalIPAllowlist: z
      .object({
        cidrs: z.array(cidr).default([]),
        /** Domain globs ("*.anydesk.com"). */
        domains: z.array(z.string()).default([]),
        /** Catalogue tool ids whose vendor domains are allowed ("anydesk"). */
        presets: z.array(z.string()).default([]),
      })
      .strict()
      .prefault({}),
    ShellSpawnRegex: z
      .object({
        /** Children that count as interactive control (shells, interpreters, file managers). */
        shells: regex.optional(),
        /** Parent→child pairs that are normal ("explorer.exe>cmd.exe" as regexes). */
        acceptable: z.array(z.object({ parent: regex, child: regex }).strict()).default([]),
      })
      .strict()
      .prefault({}),
    /** Command lines that make a child suspicious (encoded PowerShell, download cradles, ...). */
    SuspiciousChildProcesses: z.array(regex).optional(),
    EgressHeuristics: z
      .object({
        /** A session at least this long is long-lived. */
        MinSessionDuration: duration.prefault('5m'),
        /** This many connections to one destination inside the window is beaconing. */
        MinConnections: wholeNumber(1).default(5),
        /** bytes_out / bytes_in at or above this is client-heavy (screen upload). */
        BytesOutInRatio: positiveNumber().default(3),
        /** A connection seen to open and never seen to close counts as long after this. */
        OpenConnectionAge: duration.prefault('5m'),
      })
      .strict()
      .prefault({}),
    /** Networks that are not "external" ("!cidr" carves a block out). Defaults: RFC 1918, CGNAT, loopback, link-local, multicast, ULA. */
    InternalNetworks: z.array(cidr).optional(),
    /** IP → host name, for joining network flows to hosts. */
    HostAliases: z.record(z.string(), z.string()).default({}),
    /** Steps needed to report a chain: 3 alerts, 2 also shows low-severity signals. */
    MinSteps: wholeNumber(1, 4).default(3),
    /** Extra catalogue files (ratchain format or LOLRMM rmm_tools.json). */
    Catalogs: z.array(z.string()).default([]),
    /**
     * Rule packs beyond the built-in ones (src/rules/*.yaml): Files add entries or replace them
     * by id; Override changes one entry ("control.children.linux-shells": {names: [bash]}) or
     * removes it (null). Files are relative to the config file.
     */
    Rules: z
      .object({
        Files: z.array(z.string()).default([]),
        Override: z.record(z.string(), z.union([z.record(z.string(), z.unknown()), z.null()])).default({}),
      })
      .strict()
      .prefault({}),
    /** How late (in event time) an event may arrive and still be used. */
    Lateness: duration.prefault('5m'),
    /** Clock skew tolerated when joining flows to host connections. */
    FlowJoinTolerance: duration.prefault('30s'),
    /** The largest offset between a host's clock and the flow sensor's that joins still bridge (estimated per host). */
    MaxClockSkew: duration.prefault('10m'),
    Limits: z
      .object({
        AgentsPerHost: wholeNumber(1).default(512),
        ProcessesPerHost: wholeNumber(1).default(20_000),
        Hosts: wholeNumber(1).default(100_000),
        EvidencePerStep: wholeNumber(1).default(8),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;

export { DEFAULT_INTERNAL_NETWORKS } from './internal-networks.ts';
