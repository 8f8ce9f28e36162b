// Validates ECS documents against Elastic's generated field list (ecs_flat.yml of an ECS release,
// read in place from ../shared/reference/ecs): every field must exist at its path (no unknown,
// misplaced or nested-wrongly field), have the value type its ECS type wants (keyword, long,
// float, date, ip, boolean, object, flattened, nested), be an array exactly when ECS normalizes
// it to one, match its pattern and allowed (and expected) values, and event.type must be among the types ECS
// expects for the event.category values. Fields under the custom namespaces given (ratchain.*)
// are the producer's own and are not checked, but such a namespace must not be an ECS name.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parse } from 'yaml';

export interface EcsField {
  name: string;
  type: string;
  level: string;
  array: boolean;
  required: boolean;
  pattern?: string;
  allowed?: Map<string, string[] | undefined>;
  /** ECS's recommended values (os.type, ...): held to here, so ratchain writes the convention. */
  expected?: string[];
}

export interface EcsSchema {
  version: string;
  fields: Map<string, EcsField>;
  /** Every proper prefix of a field name ("process", "process.parent"): places that hold objects. */
  parents: Set<string>;
}

export interface EcsReport {
  errors: string[];
  /** Field path → its ECS level, for every ECS field the document sets. */
  levels: Map<string, string>;
}

// biome-ignore lint/suspicious/noExplicitAny: YAML and documents are arbitrary
type Json = any;

const STRING_TYPES = new Set(['keyword', 'wildcard', 'constant_keyword', 'match_only_text', 'text']);
const OPEN_TYPES = new Set(['object', 'flattened']);
/** ISO 8601 with a time zone: what Elasticsearch's default date format reads unambiguously. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function loadEcsSchema(file: string, version: string): EcsSchema {
  const raw = parse(readFileSync(file, 'utf8'), { maxAliasCount: -1 }) as Record<string, Json>;
  const fields = new Map<string, EcsField>();
  const parents = new Set<string>();
  for (const [name, f] of Object.entries(raw)) {
    fields.set(name, {
      name,
      type: f.type,
      level: f.level,
      array: (f.normalize ?? []).includes('array'),
      required: f.required === true,
      ...(f.pattern ? { pattern: f.pattern } : {}),
      ...(f.expected_values ? { expected: f.expected_values as string[] } : {}),
      ...(f.allowed_values
        ? {
            allowed: new Map(
              (f.allowed_values as Json[]).map((v) => [
                v.name,
                v.expected_event_types as string[] | undefined,
              ]),
            ),
          }
        : {}),
    });
    const parts = name.split('.');
    for (let i = 1; i < parts.length; i++) parents.add(parts.slice(0, i).join('.'));
  }
  return { version, fields, parents };
}

function typeName(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

function scalarOk(type: string, v: unknown): boolean {
  if (STRING_TYPES.has(type)) return typeof v === 'string';
  switch (type) {
    case 'long':
    case 'integer':
      return Number.isSafeInteger(v);
    case 'float':
    case 'double':
    case 'scaled_float':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'date':
      return typeof v === 'string' && ISO_DATE.test(v) && !Number.isNaN(Date.parse(v));
    case 'ip':
      return typeof v === 'string' && isIP(v) !== 0;
    case 'geo_point':
      return typeof v === 'object' && v !== null && 'lat' in v && 'lon' in v;
    default:
      return false;
  }
}

function checkField(s: EcsSchema, f: EcsField, v: unknown, path: string, r: EcsReport): void {
  r.levels.set(path, f.level);
  if (f.type === 'nested') {
    if (!Array.isArray(v))
      r.errors.push(`${path}: nested field must be an array of objects, got ${typeName(v)}`);
    else
      v.forEach((x, i) => {
        walk(s, x, path, r, `${path}[${i}]`);
      });
    return;
  }
  if (OPEN_TYPES.has(f.type)) {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      r.errors.push(`${path}: ${f.type} field must be an object, got ${typeName(v)}`);
    return;
  }
  if (Array.isArray(v) !== f.array)
    r.errors.push(`${path}: ECS ${f.array ? 'normalizes this field to an array' : 'wants one value here'}`);
  const values = Array.isArray(v) ? v : [v];
  for (const x of values) {
    if (!scalarOk(f.type, x)) r.errors.push(`${path}: ${JSON.stringify(x)} is not a ${f.type}`);
    else if (f.pattern && !new RegExp(f.pattern).test(String(x)))
      r.errors.push(`${path}: ${JSON.stringify(x)} does not match ${f.pattern}`);
    else if (f.allowed && !f.allowed.has(String(x)))
      r.errors.push(
        `${path}: ${JSON.stringify(x)} is not an allowed value (${[...f.allowed.keys()].join(', ')})`,
      );
    else if (f.expected && !f.expected.includes(String(x)))
      r.errors.push(`${path}: ${JSON.stringify(x)} is not an expected value (${f.expected.join(', ')})`);
  }
}

/** Walks an object whose keys continue the dotted field name `prefix` (dotted keys allowed too). */
function walk(s: EcsSchema, obj: Json, prefix: string, r: EcsReport, at = prefix): void {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    r.errors.push(`${at || '/'}: expected an object, got ${typeName(obj)}`);
    return;
  }
  for (const [k, v] of Object.entries(obj)) {
    const name = prefix ? `${prefix}.${k}` : k;
    const where = at ? `${at}.${k}` : k;
    const field = s.fields.get(name);
    if (field) checkField(s, field, v, name, r);
    else if (s.parents.has(name)) walk(s, v, name, r, where);
    else r.errors.push(`${where}: not an ECS ${s.version} field`);
  }
}

function checkCategorization(s: EcsSchema, doc: Json, r: EcsReport): void {
  const categories = s.fields.get('event.category')?.allowed;
  const cats: string[] = doc.event?.category ?? [];
  const types: string[] = doc.event?.type ?? [];
  if (!categories || !Array.isArray(cats) || !Array.isArray(types)) return;
  for (const t of types) {
    const expected = cats.some((c) => categories.get(c)?.includes(t));
    if (!expected) r.errors.push(`event.type: "${t}" is not expected with event.category ${cats.join(', ')}`);
  }
}

export function validateEcs(s: EcsSchema, doc: Json, customNamespaces: readonly string[]): EcsReport {
  const r: EcsReport = { errors: [], levels: new Map() };
  for (const ns of customNamespaces)
    if (s.fields.has(ns) || s.parents.has(ns)) r.errors.push(`${ns}: custom namespace collides with ECS`);
  const ecsPart: Json = {};
  for (const [k, v] of Object.entries(doc ?? {})) if (!customNamespaces.includes(k)) ecsPart[k] = v;
  walk(s, ecsPart, '', r);
  for (const f of s.fields.values())
    if (f.required && !r.levels.has(f.name)) r.errors.push(`${f.name}: required by ECS, missing`);
  checkCategorization(s, doc, r);
  return r;
}
