// The truth of one scenario (`test/scenarios/<platform>-<name>/truth.yaml`): what the hunt must
// report on that folder's logs. Checked strictly, so a typo in a truth file fails loudly instead
// of silently expecting nothing. The format is documented in docs/scenarios.md.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { SEVERITIES, STEPS } from '../../src/model/finding.ts';

const severity = z.enum(SEVERITIES as [string, ...string[]]);
const step = z.enum(STEPS as [string, ...string[]]);

/** One chain the hunt must report. */
const expectedChain = z
  .object({
    host: z.string().min(1),
    status: z.enum(['alert', 'signal', 'suppressed']).default('alert'),
    /** Exact severity, or the severities accepted. */
    severity: z.union([severity, z.array(severity).min(1)]).optional(),
    /** Agent image paths: every one must be among the finding's images. */
    agent: z.array(z.string().min(1)).min(1),
    /** Images (paths, or file names) none of which may be among the finding's images. */
    notAgent: z.array(z.string().min(1)).default([]),
    /** Images (paths, or file names) every one of which the finding must show as the agent's origin. */
    origin: z.array(z.string().min(1)).default([]),
    /** Steps that must be seen (others may be seen too). */
    steps: z.array(step).default([]),
    /** Reason codes that must be present. */
    reasons: z.array(z.string()).default([]),
    /** Text each step's `link` must contain (how the step was tied to the agent). */
    links: z.partialRecord(step, z.string()).default({}),
  })
  .strict();

export const truthSchema = z
  .object({
    description: z.string().min(1),
    sources: z.union([z.string(), z.array(z.string())]),
    /** ratchain config keys, as in ratchain.yaml. */
    config: z.record(z.string(), z.unknown()).default({}),
    /** Hunt options, as on the command line. */
    args: z
      .object({
        host: z.string().optional(),
        format: z.string().optional(),
        minSteps: z.number().int().min(1).max(4).optional(),
      })
      .strict()
      .default({}),
    expect: z.array(expectedChain).default([]),
    /** Hosts on which nothing at alert level may be reported. */
    quiet: z.array(z.string()).default([]),
  })
  .strict();

export type Truth = z.output<typeof truthSchema>;
export type ExpectedChain = z.output<typeof expectedChain>;

export const TRUTH_FILE = 'truth.yaml';

/** Reads and checks `dir/truth.yaml`; throws with the file and every issue when it is wrong. */
export function loadTruth(dir: string): Truth {
  const file = join(dir, TRUTH_FILE);
  const r = truthSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
  throw new Error(`${file}: ${issues.join('; ')}`);
}
