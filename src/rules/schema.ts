// The rule-pack format: one zod schema for every pack (src/rules/*.yaml and users' own files).
// A pack is sections of groups of entries, each entry under an id and each saying why it counts:
//
//   control:            # section
//     children:         # group
//       windows-shells: # entry id, unique within its group across all packs
//         why: the command interpreters an operator types into
//         names: [cmd, powershell, pwsh]
//
// An entry is addressed as section.group.id ("control.children.windows-shells"), which is what
// `ratchain rules show` takes and what `Rules: { Override: ... }` in a config changes.
// Patterns are regular expressions written for a linear-time engine: no backreferences or
// lookarounds (RE2 syntax, which JavaScript also runs the same way).
import * as z from 'zod';
import { patternProblem } from '../config/pattern.ts';
import { SEVERITIES, type Severity } from '../model/finding.ts';

export const RULES_FORMAT = 1;
export const PACKS = ['common', 'windows', 'linux', 'macos'] as const;
export type PackPlatform = (typeof PACKS)[number];

export const MECHANISMS = [
  'service',
  'run_key',
  'scheduled_task',
  'startup_folder',
  'systemd',
  'launchd',
  'cron',
] as const;

/** Flags an agent can earn beyond its steps; each is weighted in score.weights. */
export const FLAG_CODES = [
  'temp_path',
  'renamed',
  'suspicious_child',
  'standard_user',
  'hidden_plist',
  'apple_lookalike',
  'service_shell',
  'stager_origin',
  'suspicious_command',
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

/** Every reason code that carries a weight: the flags and the chain's own modifiers. */
export const WEIGHT_CODES = [
  ...FLAG_CODES,
  'canonical_order',
  'egress_duration_unknown',
  'egress_host_level',
  'egress_by_evidence',
  'client_heavy',
  'unknown_tool',
  'known_tool',
  'allowlisted',
] as const;
export type WeightCode = (typeof WEIGHT_CODES)[number];

export const CONFIDENCE_TERMS = [
  'floor',
  'base',
  'per_step',
  'weak_egress_only',
  'host_level_only',
  'attributed_only',
  'product_link',
] as const;
export type ConfidenceTerm = (typeof CONFIDENCE_TERMS)[number];

export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

const why = z.string().trim().min(12, 'say in a sentence why this entry counts (at least 12 characters)');

const pattern = z.string().superRefine((v, ctx) => {
  const problem = patternProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const names = z.array(z.string().trim().min(1).toLowerCase()).default([]);

/** A list of programs by file name (lower case), and optional file-name patterns. */
const programs = z
  .strictObject({ why, names, patterns: z.array(pattern).default([]) })
  .refine((e) => e.names.length + e.patterns.length > 0, 'give names or patterns');

const onePattern = z.strictObject({ why, pattern, caseSensitive: z.boolean().default(false) });

/** Part of a command line: a capture group of `pattern` (or of the entry's match). */
const field = z
  .strictObject({
    pattern: pattern.optional(),
    /** Capture groups tried in order; the first that matched gives the value. */
    groups: z.array(z.number().int().min(0).max(9)).default([]),
    /** The value when no group matched (alone: a fixed value). */
    default: z.string().optional(),
    trim: z.boolean().default(false),
    /** Rewrites applied in order after trimming (`with` may be empty). */
    replace: z.array(z.strictObject({ pattern, with: z.string() })).default([]),
    /** The value was a quoted Windows argument, where \" is a quote (CommandLineToArgvW): unescape it first. */
    unescapeQuotes: z.boolean().default(false),
  })
  .refine((f) => f.groups.length > 0 || f.default !== undefined, 'give groups, or a default value');
export type CommandField = z.output<typeof field>;

/** "$2", "Winlogon $1": capture groups of the entry's pattern ($0 the whole match). */
const template = z.string().regex(/\$\d/, 'name the capture group the value comes from, e.g. "$2"');

const registryEntry = z.strictObject({ why, mechanism: z.enum(MECHANISMS), pattern, name: template });

const fileEntry = z.strictObject({
  why,
  mechanism: z.enum(MECHANISMS),
  pattern,
  name: template,
  caseSensitive: z.boolean().default(false),
});

const commandEntry = z
  .strictObject({
    why,
    /** The command line that makes persistence. */
    match: pattern,
    /** Only when the program run matches (its path). */
    image: pattern.optional(),
    /** Never when the command line matches this (listing, not changing). */
    unless: pattern.optional(),
    caseSensitive: z.boolean().default(false),
    mechanism: z.enum(MECHANISMS).optional(),
    name: field.optional(),
    command: field.optional(),
    /** The command sets a registry value: the registry rules decide what it is. */
    registry: z.strictObject({ key: field, value: field, data: field }).optional(),
  })
  .refine((e) => (e.mechanism && e.name) || e.registry, 'give mechanism and name, or registry');

const labelEntry = z.strictObject({
  why,
  mechanism: z.enum(MECHANISMS),
  pattern,
  /** Not when the entry lives here. */
  unlessLocation: pattern.optional(),
  flag: z.enum(FLAG_CODES),
  /** The reason's text; {name} is the entry's name. */
  text: z.string().min(1),
});

/**
 * A reverse forward or relay in a command line: `pattern` finds each one (named groups `port`,
 * and `host` unless `defaultHost` stands in); `image` limits it to one program (its file name).
 */
const forwardEntry = z
  .strictObject({
    why,
    pattern,
    image: pattern.optional(),
    defaultHost: z.string().min(1).optional(),
  })
  .refine((e) => e.pattern.includes('(?<port>'), 'capture the target port as (?<port>...)')
  .refine(
    (e) => e.pattern.includes('(?<host>') || e.defaultHost !== undefined,
    'capture (?<host>...) or give defaultHost',
  );
const loginPort = z.strictObject({
  why,
  service: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  /**
   * The program that accepts these logins (its path), when a login's first process is its child:
   * where the sensor names no session, that child is how the login's shell is found.
   */
  acceptor: pattern.optional(),
});

/** A service manager: the parent (by pid, or by its path) of the programs it starts for units. */
const managerEntry = z
  .strictObject({ why, pid: z.number().int().min(1).optional(), image: pattern.optional() })
  .refine((e) => e.pid !== undefined || e.image !== undefined, 'give pid or image');

/**
 * Where a command puts a program: for the programs `image` names (their file name), each match
 * of `pattern` in the command line gives one path, or several separated by spaces, in the group
 * (?<path>...). Case-sensitive unless said, because options are (wget -O saves, -o logs).
 */
const installEntry = z
  .strictObject({
    why,
    image: pattern,
    pattern,
    caseSensitive: z.boolean().default(true),
    /** The program's final place (install, cp, mv), preferred over a download or a chmod before it. */
    final: z.boolean().default(false),
  })
  .refine((e) => e.pattern.includes('(?<path>'), 'capture the path as (?<path>...)');

const value = z.strictObject({ why, value: z.number() });
const weight = z.strictObject({ why, delta: z.number() });
const steps = z.strictObject({
  why,
  deltas: z.array(z.number()).length(5, 'one score for 0, 1, 2, 3 and 4 steps'),
});
const level = z.strictObject({ why, minScore: z.number().min(0).max(100) });
const alert = z.strictObject({ why, steps: z.number().int().min(1).max(4) });
/** A level a chain reaches whatever its score, when it has this many steps (and the rule's shape). */
const floor = z.strictObject({
  why,
  steps: z.number().int().min(1).max(4),
  level: z.enum(SEVERITIES as [Severity, ...Severity[]]),
});
const ports = z.strictObject({ why, ports: z.array(z.number().int().min(0).max(65535)).min(1) });
const signal = z.strictObject({
  why,
  maxSteps: z.number().int().min(1).max(4),
  ceiling: z.enum(SEVERITIES as [Severity, ...Severity[]]),
});

/** Every group: its path and the schema of one of its entries. */
export const GROUPS = {
  'roles.shell': programs,
  'roles.interpreter': programs,
  'roles.generic': programs,
  'roles.carrier': programs,
  'roles.system_writer': programs,
  'roles.installer': programs,
  'roles.downloader': programs,
  'roles.session_parent': programs,
  'roles.terminal': programs,
  'roles.document_host': programs,
  'roles.stager_host': programs,
  'roles.origin_root': programs,
  'control.children': programs,
  'control.acceptable': z.strictObject({ why, parent: pattern, child: pattern }),
  'control.suspicious': onePattern,
  'paths.user_writable': onePattern,
  'paths.dropped': onePattern,
  'persistence.registry': registryEntry,
  'persistence.files': fileEntry,
  'persistence.commands': commandEntry,
  'persistence.shell_command_args': onePattern,
  'persistence.labels': labelEntry,
  'identity.os_products': onePattern,
  'identity.image_suffixes': onePattern,
  'identity.standard_integrity': onePattern,
  'ties.forwards': forwardEntry,
  'ties.login_ports': loginPort,
  'ties.managers': managerEntry,
  'ties.installs': installEntry,
  'ties.thresholds': value,
  'identity.fetch_commands': onePattern,
  'egress.local_sources': onePattern,
  'egress.thresholds': value,
  'egress.shared_ports': ports,
  'score.steps': steps,
  'score.weights': weight,
  'score.confidence': value,
  'severity.levels': level,
  'severity.alert': alert,
  'severity.signal': signal,
  'severity.floors': floor,
} as const;

export type GroupPath = keyof typeof GROUPS;
export type GroupEntry<G extends GroupPath> = z.output<(typeof GROUPS)[G]>;
export const GROUP_PATHS = Object.keys(GROUPS) as GroupPath[];

/** Ids a group allows, when they are fixed (weights name reason codes, levels name severities). */
export const FIXED_IDS: Partial<Record<GroupPath, readonly string[]>> = {
  'score.weights': WEIGHT_CODES,
  'score.confidence': CONFIDENCE_TERMS,
  'severity.levels': ['critical', 'high', 'medium', 'low'],
  'egress.thresholds': [
    'client_heavy_min_bytes',
    'flow_after_start_ms',
    'clock_settled_matches',
    'clock_min_correction_ms',
    'lease_lead_ms',
  ],
  'ties.thresholds': [
    'unit_start_seconds',
    'loopback_connect_seconds',
    'login_shell_seconds',
    'sshd_child_pid_span',
  ],
  'score.steps': ['by_count'],
  'severity.alert': ['steps'],
  'severity.signal': ['ceiling'],
  'severity.floors': ['full_chain'],
};

const id = z.string().regex(ID_PATTERN, 'an id is lower-case letters, digits, "_" or "-"');

function section<const K extends string>(keys: readonly K[], prefix: string) {
  const shape = {} as Record<K, z.ZodOptional<z.ZodRecord<typeof id, z.ZodTypeAny>>>;
  for (const k of keys) shape[k] = z.record(id, GROUPS[`${prefix}.${k}` as GroupPath]).optional();
  return z.strictObject(shape).optional();
}

function groupsOf(prefix: string): string[] {
  return GROUP_PATHS.filter((g) => g.startsWith(`${prefix}.`)).map((g) => g.slice(prefix.length + 1));
}

export const SECTIONS = [
  'roles',
  'control',
  'paths',
  'persistence',
  'identity',
  'ties',
  'egress',
  'score',
  'severity',
];

export const packSchema = z.strictObject({
  ratchainRules: z.literal(RULES_FORMAT, {
    error: `write ratchainRules: ${RULES_FORMAT} (the format version)`,
  }),
  platform: z.enum(PACKS),
  description: z.string().min(1),
  ...Object.fromEntries(SECTIONS.map((s) => [s, section(groupsOf(s), s)])),
});

/** A pack as written: sections → groups → id → entry. */
export type PackInput = { platform: PackPlatform; description: string } & Partial<
  Record<string, Record<string, Record<string, unknown>>>
>;
