// Turns zod's issues into what a person reads: the settings that exist where an unknown one was
// written (for "did you mean"), and type mistakes in plain words.
import type * as z from 'zod';

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
}

const def = (s: z.ZodType) => (s as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** The schema past wrappers that do not change the shape (optional, default, transform input). */
function unwrap(s: z.ZodType): z.ZodType {
  for (;;) {
    const d = def(s);
    const inner = d.innerType ?? (d.type === 'pipe' ? d.in : undefined);
    if (!inner) return s;
    s = inner;
  }
}

/** The setting names of the mapping at `path` ("EgressHeuristics"), or undefined. */
export function settingsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let s = unwrap(schema);
  for (const key of path) {
    const d = def(s);
    const next = d.type === 'object' ? d.shape?.[String(key)] : d.type === 'array' ? d.element : d.valueType;
    if (!next) return undefined;
    s = unwrap(next);
  }
  const d = def(s);
  return d.type === 'object' && d.shape ? Object.keys(d.shape) : undefined;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of settings',
  record: 'a mapping',
};

function described(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return JSON.stringify(v);
}

/** "must be text, not 10.1 (put it in quotes)" for a wrong type; zod's own message otherwise. */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'invalid_type') return issue.message;
  const want = EXPECTED[issue.expected] ?? issue.expected;
  const quote = issue.expected === 'string' && typeof issue.input === 'number' ? ' (put it in quotes)' : '';
  return `must be ${want}, not ${described(issue.input)}${quote}`;
}
