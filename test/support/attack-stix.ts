// ATT&CK's own list of techniques, read from its STIX 2.1 bundle (mitre-attack/attack-stix-data,
// enterprise-attack/enterprise-attack.json) when ../shared/reference holds one, so a Navigator
// layer's technique ids, names and tactics can be checked against ATT&CK itself, not only against
// the table ratchain keeps. Facts used: techniques are `attack-pattern` objects whose `mitre-attack`
// external reference carries the id, `kill_chain_phases` name the tactics, `revoked` and
// `x_mitre_deprecated` retire one, and the `x-mitre-collection` object carries the release.
import { sharedReference } from './data.ts';

// biome-ignore lint/suspicious/noExplicitAny: STIX bundles and layers are arbitrary JSON
type Json = any;

export interface AttackTechnique {
  id: string;
  name: string;
  /** Tactic short names ("persistence"), as layers name them. */
  tactics: string[];
  retired: boolean;
}

export interface AttackData {
  /** The release, "18.0", when the bundle says. */
  version?: string;
  techniques: Map<string, AttackTechnique>;
}

/** Where the bundle may lie: as the attack-stix-data repository lays it out, or on its own. */
const CANDIDATES = [
  'attack-stix-data/enterprise-attack/enterprise-attack.json',
  'enterprise-attack/enterprise-attack.json',
  'enterprise-attack.json',
];

export function attackBundleFile(): string | undefined {
  for (const c of CANDIDATES) {
    const p = sharedReference(c);
    if (p) return p;
  }
  return undefined;
}

export function attackData(bundle: Json): AttackData {
  const techniques = new Map<string, AttackTechnique>();
  let version: string | undefined;
  for (const o of bundle?.objects ?? []) {
    if (o.type === 'x-mitre-collection' && typeof o.x_mitre_version === 'string') version = o.x_mitre_version;
    if (o.type !== 'attack-pattern') continue;
    const ref = (o.external_references ?? []).find((r: Json) => r.source_name === 'mitre-attack');
    if (!ref?.external_id) continue;
    const tactics = (o.kill_chain_phases ?? [])
      .filter((k: Json) => k.kill_chain_name === 'mitre-attack')
      .map((k: Json) => k.phase_name);
    const retired = o.revoked === true || o.x_mitre_deprecated === true;
    const known = techniques.get(ref.external_id);
    // An id can appear on a revoked object and on its live successor: the live one counts.
    if (!known || (known.retired && !retired))
      techniques.set(ref.external_id, { id: ref.external_id, name: o.name, tactics, retired });
  }
  return { version, techniques };
}

/** What in the layer ATT&CK does not back: unknown or retired ids, wrong tactics, names, release. */
export function checkLayerAgainstAttack(layer: Json, attack: AttackData): string[] {
  const errors: string[] = [];
  if (attack.version && String(layer.versions?.attack) !== attack.version.split('.')[0])
    errors.push(`versions.attack ${layer.versions?.attack} is not the bundle's release ${attack.version}`);
  for (const t of layer.techniques ?? []) {
    const id = t.techniqueID;
    const known = attack.techniques.get(id);
    if (!known) {
      errors.push(`${id}: not an ATT&CK technique`);
      continue;
    }
    if (known.retired) errors.push(`${id}: revoked or deprecated in ATT&CK`);
    if (t.tactic !== undefined && !known.tactics.includes(t.tactic))
      errors.push(`${id}: tactic ${t.tactic} is not one of ${known.tactics.join(', ')}`);
    for (const l of t.links ?? [])
      if (typeof l.label === 'string' && l.label.startsWith(`${id} `) && l.label !== `${id} ${known.name}`)
        errors.push(`${id}: named "${l.label.slice(id.length + 1)}", ATT&CK says "${known.name}"`);
  }
  return errors;
}
