// Validates one OCSF event against a compiled schema (schema.ts), with the checks of the OCSF
// server's validator and a few stricter ones, so a test fails on any invalid, misplaced or wrongly
// typed field:
// - class_uid known; category_uid, type_uid and the *_name captions consistent with it,
// - metadata.version equal to the schema's version, metadata.profiles all known,
// - every attribute defined for its class or object under the declared profiles (no unknown or
//   profile-less attribute), required ones present, arrays where is_array, objects where objects,
//   scalars of the right data type (regex, max_len, range, values),
// - enum values defined, enum siblings equal to the caption (except 99 Other), nothing deprecated,
// - at_least_one / just_one constraints of every class and object,
// - observables: type_id defined, type equal to its caption, name pointing at an attribute of the
//   event whose observable type is that type_id, and value equal to a value found there.
// Missing recommended attributes are reported separately as warnings.
import { type Attribute, applicableAttributes, type OcsfSchema, type Structure } from './schema.ts';

export interface OcsfIssue {
  path: string;
  message: string;
}

export interface OcsfReport {
  errors: OcsfIssue[];
  /** Recommended attributes left out (the OCSF server warns about these on request). */
  missingRecommended: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: events are arbitrary JSON
type Json = any;

const MAX_INT32 = 2 ** 31 - 1;

function typeName(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

interface Ctx {
  schema: OcsfSchema;
  profiles: string[];
  report: OcsfReport;
}

function err(ctx: Ctx, path: string, message: string): void {
  ctx.report.errors.push({ path, message });
}

function checkScalar(ctx: Ctx, v: unknown, path: string, a: Attribute): void {
  const t = ctx.schema.types.get(a.type);
  if (!t) {
    err(ctx, path, `schema has no type ${a.type}`);
    return;
  }
  const base = t.base;
  const ok =
    base === 'json_t' ||
    (base === 'string_t' && typeof v === 'string') ||
    (base === 'boolean_t' && typeof v === 'boolean') ||
    (base === 'float_t' && typeof v === 'number' && Number.isFinite(v)) ||
    (base === 'integer_t' && Number.isInteger(v) && Math.abs(v as number) <= MAX_INT32) ||
    (base === 'long_t' && Number.isSafeInteger(v));
  if (!ok) {
    err(ctx, path, `expected ${a.type} (${base}), got ${typeName(v)} ${JSON.stringify(v)}`);
    return;
  }
  if (t.maxLen !== undefined && typeof v === 'string' && v.length > t.maxLen)
    err(ctx, path, `longer than ${a.type}'s max_len ${t.maxLen}`);
  if (t.regex && typeof v === 'string' && !new RegExp(t.regex).test(v))
    err(ctx, path, `${JSON.stringify(v)} does not match ${a.type}'s regex`);
  if (t.range && typeof v === 'number' && (v < t.range[0] || v > t.range[1]))
    err(ctx, path, `${v} outside ${a.type}'s range ${t.range.join('..')}`);
  if (t.values && !t.values.includes(v)) err(ctx, path, `${JSON.stringify(v)} not among ${a.type}'s values`);
}

function checkEnum(ctx: Ctx, item: Json, path: string, a: Attribute): void {
  const v = item[a.name];
  const values = a.isArray ? v : [v];
  if (!Array.isArray(values)) return;
  values.forEach((x: unknown, i: number) => {
    const p = a.isArray ? `${path}[${i}]` : path;
    const e = a.enum?.[String(x)];
    if (!e) {
      err(ctx, p, `${JSON.stringify(x)} is not a value of enum ${a.name}`);
      return;
    }
    if (e.deprecated) err(ctx, p, `enum value ${JSON.stringify(x)} of ${a.name} is deprecated`);
    if (!a.sibling || !(a.sibling in item) || x === 99) return;
    const sib = a.isArray ? item[a.sibling]?.[i] : item[a.sibling];
    if (sib !== e.caption)
      err(ctx, `${path.replace(/[^.[\]]+$/, a.sibling)}`, `${JSON.stringify(sib)} should be "${e.caption}"`);
  });
}

function checkValue(ctx: Ctx, v: unknown, path: string, a: Attribute): void {
  if (a.type !== 'object_t') {
    checkScalar(ctx, v, path, a);
    return;
  }
  const obj = ctx.schema.objects.get(a.objectType!);
  if (!obj) {
    err(ctx, path, `schema has no object ${a.objectType}`);
    return;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    err(ctx, path, `expected object ${a.objectType}, got ${typeName(v)}`);
    return;
  }
  if (obj.deprecated) err(ctx, path, `object ${obj.name} is deprecated: ${obj.deprecated}`);
  checkStructure(ctx, v, path, obj);
}

function checkConstraints(ctx: Ctx, item: Json, path: string, s: Structure): void {
  const has = (k: string) => item[k] !== undefined && item[k] !== null;
  const least = s.constraints.at_least_one;
  if (least && !least.some(has)) err(ctx, path || '/', `${s.name}: at_least_one of [${least.join(', ')}]`);
  const one = s.constraints.just_one;
  if (one && one.filter(has).length !== 1)
    err(ctx, path || '/', `${s.name}: just_one of [${one.join(', ')}], got ${one.filter(has).length}`);
}

function checkStructure(ctx: Ctx, item: Json, path: string, s: Structure): void {
  const attrs = applicableAttributes(s, ctx.profiles);
  const at = (name: string) => (path ? `${path}.${name}` : name);
  // An object with no attributes at all ("object") is open by definition (unmapped, xattributes).
  if (Object.keys(s.attributes).length > 0) {
    const known = new Set(attrs.map((a) => a.name));
    for (const k of Object.keys(item)) {
      if (known.has(k)) continue;
      const profile = s.attributes[k]?.profile;
      err(
        ctx,
        at(k),
        profile
          ? `belongs to profile "${profile}", which metadata.profiles does not declare`
          : `not an attribute of ${s.name}`,
      );
    }
  }
  for (const a of attrs) {
    const v = item[a.name];
    if (v === undefined || v === null) {
      if (a.requirement === 'required') err(ctx, at(a.name), `required by ${s.name}, missing`);
      else if (a.requirement === 'recommended') ctx.report.missingRecommended.push(at(a.name));
      continue;
    }
    if (a.deprecated) err(ctx, at(a.name), `deprecated: ${a.deprecated}`);
    if (a.isArray) {
      if (!Array.isArray(v)) {
        err(ctx, at(a.name), `expected an array of ${a.objectType ?? a.type}, got ${typeName(v)}`);
        continue;
      }
      v.forEach((x, i) => {
        checkValue(ctx, x, `${at(a.name)}[${i}]`, a);
      });
    } else if (Array.isArray(v)) {
      err(ctx, at(a.name), `expected one ${a.objectType ?? a.type}, got an array`);
      continue;
    } else checkValue(ctx, v, at(a.name), a);
    if (a.enum) checkEnum(ctx, item, at(a.name), a);
  }
  checkConstraints(ctx, item, path, s);
}

/** The attribute and the values an observable's `name` (e.g. "evidences[].process.file.path") reaches. */
function resolveName(
  ctx: Ctx,
  root: Structure,
  event: Json,
  name: string,
): { attr: Attribute; values: unknown[] } | string {
  const parts = name.split('.');
  let s: Structure | undefined = root;
  let values: unknown[] = [event];
  let attr: Attribute | undefined;
  for (const raw of parts) {
    const m = /^([a-z_0-9]+)(\[(\d*)\])?$/.exec(raw);
    if (!m) return `"${raw}" is not an attribute name`;
    if (!s) return `"${raw}" follows a scalar`;
    attr = applicableAttributes(s, ctx.profiles).find((a) => a.name === m[1]);
    if (!attr) return `${s.name} has no attribute ${m[1]}`;
    const next: unknown[] = [];
    for (const v of values) {
      const x = (v as Json)?.[m[1]];
      if (x === undefined) continue;
      if (attr.isArray && Array.isArray(x)) {
        if (m[3]) next.push(x[Number(m[3])]);
        else next.push(...x);
      } else next.push(x);
    }
    values = next.filter((x) => x !== undefined);
    s = attr.type === 'object_t' ? ctx.schema.objects.get(attr.objectType!) : undefined;
  }
  return attr ? { attr, values } : 'empty name';
}

function checkObservables(ctx: Ctx, cls: Structure, event: Json): void {
  const list = event.observables;
  if (!Array.isArray(list)) return;
  list.forEach((o: Json, i: number) => {
    const p = `observables[${i}]`;
    if (typeof o !== 'object' || o === null) return;
    const caption = ctx.schema.observableTypes.get(o.type_id);
    if (caption === undefined) {
      err(ctx, `${p}.type_id`, `${o.type_id} is not an observable type`);
      return;
    }
    if (o.type !== undefined && o.type !== caption && o.type_id !== 99)
      err(ctx, `${p}.type`, `${JSON.stringify(o.type)} should be "${caption}"`);
    if (typeof o.name !== 'string') return;
    const r = resolveName(ctx, cls, event, o.name);
    if (typeof r === 'string') {
      err(ctx, `${p}.name`, `${o.name}: ${r}`);
      return;
    }
    if (r.values.length === 0) err(ctx, `${p}.name`, `${o.name} is not present in the event`);
    if (r.attr.observable !== o.type_id)
      err(
        ctx,
        `${p}.type_id`,
        `${o.name} has observable type ${r.attr.observable ?? 'none'}, not ${o.type_id}`,
      );
    if (o.value !== undefined && !r.values.some((v) => String(v) === o.value))
      err(ctx, `${p}.value`, `${JSON.stringify(o.value)} is not a value of ${o.name}`);
  });
}

function checkClassHeader(ctx: Ctx, event: Json): Structure | undefined {
  const cls = ctx.schema.classes.get(event.class_uid);
  if (!cls) {
    err(ctx, 'class_uid', `${JSON.stringify(event.class_uid)} is not an OCSF ${ctx.schema.version} class`);
    return undefined;
  }
  const activity = cls.attributes.activity_id?.enum?.[String(event.activity_id)];
  if (event.category_uid !== cls.categoryUid) err(ctx, 'category_uid', `should be ${cls.categoryUid}`);
  if (event.category_name !== undefined && event.category_name !== cls.categoryCaption)
    err(ctx, 'category_name', `should be "${cls.categoryCaption}"`);
  if (event.class_name !== undefined && event.class_name !== cls.caption)
    err(ctx, 'class_name', `should be "${cls.caption}"`);
  if (event.type_uid !== event.class_uid * 100 + event.activity_id)
    err(
      ctx,
      'type_uid',
      `should be class_uid * 100 + activity_id = ${event.class_uid * 100 + event.activity_id}`,
    );
  if (activity && event.type_name !== undefined && event.type_name !== `${cls.caption}: ${activity.caption}`)
    err(ctx, 'type_name', `should be "${cls.caption}: ${activity.caption}"`);
  const version = event.metadata?.version;
  if (version !== ctx.schema.version)
    err(ctx, 'metadata.version', `${JSON.stringify(version)} is not the schema's ${ctx.schema.version}`);
  return cls;
}

export function validateOcsf(schema: OcsfSchema, event: Json): OcsfReport {
  const report: OcsfReport = { errors: [], missingRecommended: [] };
  const declared = event?.metadata?.profiles;
  const profiles: string[] = Array.isArray(declared) ? declared.filter((p) => typeof p === 'string') : [];
  const ctx: Ctx = { schema, profiles, report };
  for (const p of profiles)
    if (!schema.profiles.has(p)) err(ctx, 'metadata.profiles', `unknown profile ${p}`);
  const cls = checkClassHeader(ctx, event);
  if (!cls) return report;
  checkStructure(ctx, event, '', cls);
  checkObservables(ctx, cls, event);
  return report;
}
