// A resolver for the OCSF schema source (ocsf/ocsf-schema at a release tag, read in place from
// ../shared/reference): it compiles the dictionary, objects, events and profiles the way the OCSF
// server does, so tests can validate ratchain's events against the schema they declare and a
// script can emit a JSON Schema from it. What it resolves:
// - `extends` on events and objects (the parent's attributes deep-merged under the child's; the
//   child's constraints replace the parent's; profile lists are joined),
// - `$include` of profiles and other files into `attributes` (the including item wins; a profile's
//   attributes are tagged with the profile's name unless the includer says `"profile": null`),
// - every attribute completed from the dictionary (type, is_array, sibling, enum, observable), with
//   enums merged from dictionary, parent and child,
// - the dictionary's data types (base type, regex, max_len, range, values),
// - the observable type ids from types, objects, dictionary attributes and object attributes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type Requirement = 'required' | 'recommended' | 'optional';

export interface EnumValue {
  caption: string;
  deprecated?: boolean;
}

export interface Attribute {
  name: string;
  caption: string;
  /** A data type from the dictionary (string_t, port_t, ...) or "object_t". */
  type: string;
  /** The object's name when type is "object_t". */
  objectType?: string;
  isArray: boolean;
  requirement: Requirement;
  enum?: Record<string, EnumValue>;
  sibling?: string;
  /** The profile this attribute belongs to (absent: always part of its class or object). */
  profile?: string;
  deprecated?: string;
  /** Observable type id this attribute carries, most specific first (attribute, dictionary, type, object). */
  observable?: number;
}

export interface Constraints {
  at_least_one?: string[];
  just_one?: string[];
}

export interface Structure {
  name: string;
  caption: string;
  attributes: Record<string, Attribute>;
  constraints: Constraints;
  deprecated?: string;
  observable?: number;
}

export interface EventClass extends Structure {
  uid: number;
  categoryUid: number;
  categoryCaption: string;
}

export interface DataType {
  name: string;
  caption: string;
  /** The primitive it refines (string_t, integer_t, long_t, ...); itself for a primitive. */
  base: string;
  regex?: string;
  maxLen?: number;
  range?: [number, number];
  values?: unknown[];
}

export interface OcsfSchema {
  version: string;
  types: Map<string, DataType>;
  objects: Map<string, Structure>;
  classes: Map<number, EventClass>;
  profiles: Set<string>;
  /** Observable type_id → caption (the enum the compiled `observable.type_id` carries). */
  observableTypes: Map<number, string>;
}

// biome-ignore lint/suspicious/noExplicitAny: raw schema source JSON, shape checked while resolving
type Raw = Record<string, any>;

const PRIMITIVES = new Set(['boolean_t', 'float_t', 'integer_t', 'long_t', 'string_t', 'json_t']);

function readJson(path: string): Raw {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...jsonFiles(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

function isPlainObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `over` merged onto `base`, objects recursively; `over`'s explicit nulls win. */
export function deepMerge(base: Raw | undefined, over: Raw | undefined): Raw {
  const out: Raw = { ...(base ?? {}) };
  for (const [k, v] of Object.entries(over ?? {})) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k], v) : v;
  }
  return out;
}

function deprecation(raw: Raw | undefined): string | undefined {
  const d = raw?.['@deprecated'];
  if (!d) return undefined;
  return `${d.message ?? 'deprecated'}${d.since ? ` (since ${d.since})` : ''}`.replace(/<[^>]+>/g, '');
}

interface Source {
  root: string;
  dictionary: Raw;
  rawObjects: Map<string, Raw>;
  rawEvents: Map<string, Raw>;
  profiles: Map<string, Raw>;
  categories: Raw;
}

function readSource(root: string): Source {
  const rawObjects = new Map<string, Raw>();
  for (const f of jsonFiles(join(root, 'objects'))) {
    const o = readJson(f);
    rawObjects.set(o.name, o);
  }
  const rawEvents = new Map<string, Raw>();
  for (const f of jsonFiles(join(root, 'events'))) {
    const e = readJson(f);
    rawEvents.set(e.name, e);
  }
  const profiles = new Map<string, Raw>();
  for (const f of jsonFiles(join(root, 'profiles'))) {
    const p = readJson(f);
    profiles.set(p.name, p);
  }
  return {
    root,
    dictionary: readJson(join(root, 'dictionary.json')),
    rawObjects,
    rawEvents,
    profiles,
    categories: readJson(join(root, 'categories.json')).attributes,
  };
}

/** An item's own attributes with its `$include`s merged underneath them. */
function ownAttributes(src: Source, item: Raw): Raw {
  const attrs: Raw = { ...(item.attributes ?? {}) };
  const includes = attrs.$include;
  delete attrs.$include;
  const list: string[] = includes === undefined ? [] : Array.isArray(includes) ? includes : [includes];
  let included: Raw = {};
  for (const rel of list) {
    const inc = readJson(join(src.root, rel));
    const isProfile = inc.meta === 'profile' || rel.startsWith('profiles/');
    const incAttrs: Raw = {};
    for (const [k, v] of Object.entries(inc.attributes ?? {})) {
      incAttrs[k] = isProfile ? { ...(inc.annotations ?? {}), profile: inc.name, ...(v as Raw) } : v;
    }
    included = deepMerge(included, incAttrs);
  }
  return deepMerge(included, attrs);
}

/** An item with its `extends` chain resolved: attributes, constraints, profiles. */
function resolveExtends(src: Source, item: Raw, pool: Map<string, Raw>, seen: string[] = []): Raw {
  const attributes = ownAttributes(src, item);
  if (!item.extends) return { ...item, attributes };
  if (seen.includes(item.extends))
    throw new Error(`OCSF: extends cycle ${[...seen, item.extends].join(' > ')}`);
  const parentRaw = pool.get(item.extends);
  if (!parentRaw) throw new Error(`OCSF: ${item.name} extends unknown ${item.extends}`);
  const parent = resolveExtends(src, parentRaw, pool, [...seen, item.name]);
  return {
    ...parent,
    ...item,
    attributes: deepMerge(parent.attributes, attributes),
    constraints: item.constraints ?? parent.constraints,
    profiles: [...new Set([...(parent.profiles ?? []), ...(item.profiles ?? [])])],
  };
}

function enumOf(raw: Raw | undefined): Record<string, EnumValue> | undefined {
  if (!raw) return undefined;
  const out: Record<string, EnumValue> = {};
  for (const [k, v] of Object.entries(raw)) {
    out[k] = { caption: (v as Raw).caption, ...((v as Raw)['@deprecated'] ? { deprecated: true } : {}) };
  }
  return out;
}

function compileStructure(
  src: Source,
  types: Map<string, DataType>,
  resolved: Raw,
  objectObservable: (name: string) => number | undefined,
): Structure {
  const dict = src.dictionary.attributes as Raw;
  const attributes: Record<string, Attribute> = {};
  for (const [name, own] of Object.entries(resolved.attributes as Raw)) {
    const base = dict[name];
    if (!base) throw new Error(`OCSF: attribute ${resolved.name}.${name} is not in the dictionary`);
    const a = deepMerge(base, own as Raw);
    const isObject = !types.has(a.type);
    if (isObject && !src.rawObjects.has(a.type))
      throw new Error(`OCSF: ${resolved.name}.${name} has unknown type ${a.type}`);
    attributes[name] = {
      name,
      caption: a.caption ?? name,
      type: isObject ? 'object_t' : a.type,
      ...(isObject ? { objectType: a.type } : {}),
      isArray: a.is_array === true,
      requirement: (a.requirement ?? 'optional') as Requirement,
      ...(a.enum ? { enum: enumOf(a.enum) } : {}),
      ...(a.sibling ? { sibling: a.sibling } : {}),
      ...(a.profile ? { profile: a.profile } : {}),
      ...(deprecation(a) ? { deprecated: deprecation(a) } : {}),
      ...(() => {
        const o =
          (own as Raw).observable ??
          base.observable ??
          (isObject ? objectObservable(a.type) : types.get(a.type) && typeObservable(src, a.type));
        return o === undefined ? {} : { observable: o as number };
      })(),
    };
  }
  return {
    name: resolved.name,
    caption: resolved.caption ?? resolved.name,
    attributes,
    constraints: resolved.constraints ?? {},
    ...(deprecation(resolved) ? { deprecated: deprecation(resolved) } : {}),
    ...(resolved.observable !== undefined ? { observable: resolved.observable } : {}),
  };
}

function typeObservable(src: Source, type: string): number | undefined {
  return (src.dictionary.types.attributes as Raw)[type]?.observable;
}

function compileTypes(src: Source): Map<string, DataType> {
  const out = new Map<string, DataType>();
  const raw = src.dictionary.types.attributes as Raw;
  for (const [name, t] of Object.entries(raw) as Array<[string, Raw]>) {
    const base = t.type ?? name;
    if (!PRIMITIVES.has(base)) throw new Error(`OCSF: type ${name} refines unknown ${base}`);
    out.set(name, {
      name,
      caption: t.caption,
      base,
      ...(t.regex ? { regex: t.regex } : {}),
      ...(t.max_len ? { maxLen: t.max_len } : {}),
      ...(t.range ? { range: t.range } : {}),
      ...(t.values ? { values: t.values } : {}),
    });
  }
  return out;
}

function observableTypes(src: Source, objects: Map<string, Structure>): Map<number, string> {
  const out = new Map<number, string>([
    [0, 'Unknown'],
    [99, 'Other'],
  ]);
  const add = (id: unknown, caption: string) => {
    if (typeof id === 'number' && !out.has(id)) out.set(id, caption);
  };
  for (const t of Object.values(src.dictionary.types.attributes as Raw)) add(t.observable, t.caption);
  for (const a of Object.values(src.dictionary.attributes as Raw)) add(a.observable, a.caption);
  for (const raw of src.rawObjects.values()) {
    add(raw.observable, raw.caption);
    for (const [name, own] of Object.entries(raw.attributes ?? {}) as Array<[string, Raw]>) {
      if (name === '$include' || own.observable === undefined) continue;
      const caption = objects.get(raw.name)?.attributes[name]?.caption ?? name;
      add(own.observable, `${raw.caption}: ${caption}`);
    }
  }
  return out;
}

/**
 * As the OCSF server compiles a class: class_uid, category_uid and type_uid each have the one set
 * of values that class allows (the base event's enums name only the base event).
 */
function fixClassEnums(s: Structure, uid: number, category: Raw): void {
  const a = s.attributes;
  a.class_uid.enum = { [uid]: { caption: s.caption } };
  a.category_uid.enum = { [category.uid]: { caption: category.caption } };
  const types: Record<string, EnumValue> = {};
  for (const [id, v] of Object.entries(a.activity_id.enum ?? {}))
    types[uid * 100 + Number(id)] = { caption: `${s.caption}: ${v.caption}` };
  a.type_uid.enum = types;
}

/** Compiles the schema source at `root` (the folder holding dictionary.json). */
export function loadOcsfSchema(root: string): OcsfSchema {
  const src = readSource(root);
  const types = compileTypes(src);
  const objObservable = (name: string) => src.rawObjects.get(name)?.observable as number | undefined;
  const objects = new Map<string, Structure>();
  for (const raw of src.rawObjects.values()) {
    objects.set(
      raw.name,
      compileStructure(src, types, resolveExtends(src, raw, src.rawObjects), objObservable),
    );
  }
  const classes = new Map<number, EventClass>();
  for (const raw of src.rawEvents.values()) {
    const r = resolveExtends(src, raw, src.rawEvents);
    const category = src.categories[r.category];
    if (raw.uid === undefined || !category) continue; // abstract bases (base_event, finding, ...)
    const uid = category.uid * 1000 + raw.uid;
    const s = compileStructure(src, types, r, objObservable);
    fixClassEnums(s, uid, category);
    classes.set(uid, { ...s, uid, categoryUid: category.uid, categoryCaption: category.caption });
  }
  // As compiled by the OCSF server: observable.type_id lists every observable type defined anywhere.
  const obsTypes = observableTypes(src, objects);
  const typeId = objects.get('observable')?.attributes.type_id;
  if (typeId)
    typeId.enum = Object.fromEntries([...obsTypes].map(([id, caption]) => [String(id), { caption }]));
  return {
    version: readJson(join(root, 'version.json')).version,
    types,
    objects,
    classes,
    profiles: new Set(src.profiles.keys()),
    observableTypes: obsTypes,
  };
}

/** The attributes of a class or object that apply under these profiles. */
export function applicableAttributes(s: Structure, profiles: readonly string[]): Attribute[] {
  return Object.values(s.attributes).filter((a) => a.profile === undefined || profiles.includes(a.profile));
}
