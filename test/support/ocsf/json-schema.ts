// A JSON Schema (draft-07) for one OCSF event class under a set of profiles, generated from the
// compiled schema (schema.ts): one definition per object reachable from the class, every
// attribute typed from the dictionary (regex, max_len, range), enums as value lists with their
// siblings' captions, required attributes, at_least_one / just_one constraints, and no attribute
// the class or object does not define. scripts/schemas.ts writes it to schema/.
import { type Attribute, applicableAttributes, type OcsfSchema, type Structure } from './schema.ts';

type JsonSchema = Record<string, unknown>;

const BASE_TYPE: Record<string, JsonSchema> = {
  boolean_t: { type: 'boolean' },
  float_t: { type: 'number' },
  integer_t: { type: 'integer', minimum: -(2 ** 31), maximum: 2 ** 31 - 1 },
  long_t: { type: 'integer' },
  string_t: { type: 'string' },
  json_t: {},
};

function scalar(schema: OcsfSchema, a: Attribute): JsonSchema {
  const t = schema.types.get(a.type)!;
  const out: JsonSchema = { ...BASE_TYPE[t.base] };
  if (t.regex) out.pattern = t.regex;
  if (t.maxLen !== undefined) out.maxLength = t.maxLen;
  if (t.range) Object.assign(out, { minimum: t.range[0], maximum: t.range[1] });
  if (t.values) out.enum = t.values;
  if (a.enum) {
    const numeric = t.base !== 'string_t';
    out.enum = Object.keys(a.enum).map((k) => (numeric ? Number(k) : k));
  }
  return out;
}

function attributeSchema(schema: OcsfSchema, a: Attribute): JsonSchema {
  const one: JsonSchema =
    a.type === 'object_t' ? { $ref: `#/definitions/${a.objectType}` } : scalar(schema, a);
  const described = { description: a.caption, ...one };
  return a.isArray ? { description: a.caption, type: 'array', items: one } : described;
}

/** "If severity_id is 3 then severity is 'Medium'": one rule per enum value, 99 Other excepted. */
function siblingRules(attrs: Attribute[]): JsonSchema[] {
  const rules: JsonSchema[] = [];
  const names = new Set(attrs.map((a) => a.name));
  for (const a of attrs) {
    if (!a.enum || !a.sibling || a.isArray || !names.has(a.sibling)) continue;
    for (const [k, v] of Object.entries(a.enum)) {
      if (k === '99') continue;
      const value = Number.isNaN(Number(k)) ? k : Number(k);
      rules.push({
        if: { properties: { [a.name]: { const: value } }, required: [a.name] },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
        then: { properties: { [a.sibling]: { const: v.caption } } },
      });
    }
  }
  return rules;
}

function structureSchema(schema: OcsfSchema, s: Structure, profiles: readonly string[]): JsonSchema {
  const attrs = applicableAttributes(s, profiles).filter((a) => !a.deprecated);
  const out: JsonSchema = { title: s.caption, type: 'object' };
  if (Object.keys(s.attributes).length === 0) return out; // "object": open by definition
  out.properties = Object.fromEntries(attrs.map((a) => [a.name, attributeSchema(schema, a)]));
  const required = attrs.filter((a) => a.requirement === 'required').map((a) => a.name);
  if (required.length) out.required = required;
  out.additionalProperties = false;
  const all: JsonSchema[] = siblingRules(attrs);
  if (s.constraints.at_least_one)
    all.push({ anyOf: s.constraints.at_least_one.map((k) => ({ required: [k] })) });
  if (s.constraints.just_one) all.push({ oneOf: s.constraints.just_one.map((k) => ({ required: [k] })) });
  if (all.length) out.allOf = all;
  return out;
}

/** Objects reachable from a structure under these profiles, in a stable (sorted) order. */
function reachable(schema: OcsfSchema, root: Structure, profiles: readonly string[]): string[] {
  const seen = new Set<string>();
  const visit = (s: Structure) => {
    for (const a of applicableAttributes(s, profiles)) {
      if (a.type !== 'object_t' || a.deprecated || seen.has(a.objectType!)) continue;
      seen.add(a.objectType!);
      visit(schema.objects.get(a.objectType!)!);
    }
  };
  visit(root);
  return [...seen].sort();
}

export interface ClassSchemaOptions {
  classUid: number;
  profiles: readonly string[];
  id: string;
}

export function ocsfClassJsonSchema(schema: OcsfSchema, o: ClassSchemaOptions): JsonSchema {
  const cls = schema.classes.get(o.classUid);
  if (!cls) throw new Error(`OCSF ${schema.version} has no class ${o.classUid}`);
  const body = structureSchema(schema, cls, o.profiles);
  const definitions: Record<string, JsonSchema> = {};
  for (const name of reachable(schema, cls, o.profiles))
    definitions[name] = structureSchema(schema, schema.objects.get(name)!, o.profiles);
  // The version the events declare is the one this schema was generated from.
  const meta = definitions.metadata as { properties: Record<string, JsonSchema> };
  meta.properties.version = { ...meta.properties.version, const: schema.version };
  // Profile attributes are allowed above because these profiles are declared: require that.
  if (o.profiles.length)
    meta.properties.profiles = {
      ...meta.properties.profiles,
      allOf: o.profiles.map((p) => ({ contains: { const: p } })),
    };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: o.id,
    ...body,
    title: `OCSF ${schema.version} ${cls.caption} (class_uid ${cls.uid}), profiles: ${o.profiles.join(', ') || 'none'}`,
    description: `Generated by scripts/schemas.ts from the OCSF schema source at release ${schema.version} (dictionary, objects, events and profiles resolved by test/support/ocsf/schema.ts). Do not edit by hand.`,
    definitions,
  };
}
