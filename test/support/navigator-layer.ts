// A check of ATT&CK Navigator layers against the layer format 4.5 definition (property names,
// types, required properties, allowed values, the versions object), written from the format's
// specification (mitre-attack/attack-navigator, layers/spec/v4.5/layerformat.md), so a test can
// say the layer loads: what the Navigator reads is there, typed as it expects.

// biome-ignore lint/suspicious/noExplicitAny: layers are arbitrary JSON
type Json = any;

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array';
interface Prop {
  kind: Kind;
  required?: boolean;
  values?: readonly unknown[];
}

const LAYER: Record<string, Prop> = {
  versions: { kind: 'object' },
  name: { kind: 'string', required: true },
  description: { kind: 'string' },
  domain: { kind: 'string', required: true, values: ['enterprise-attack', 'mobile-attack', 'ics-attack'] },
  customDataURL: { kind: 'string' },
  filters: { kind: 'object' },
  sorting: { kind: 'number', values: [0, 1, 2, 3] },
  layout: { kind: 'object' },
  hideDisabled: { kind: 'boolean' },
  techniques: { kind: 'array' },
  gradient: { kind: 'object' },
  legendItems: { kind: 'array' },
  showTacticRowBackground: { kind: 'boolean' },
  tacticRowBackground: { kind: 'string' },
  selectTechniquesAcrossTactics: { kind: 'boolean' },
  selectSubtechniquesWithParent: { kind: 'boolean' },
  selectVisibleTechniques: { kind: 'boolean' },
  metadata: { kind: 'array' },
  links: { kind: 'array' },
};
const VERSIONS: Record<string, Prop> = {
  attack: { kind: 'string' },
  navigator: { kind: 'string', required: true },
  layer: { kind: 'string', required: true, values: ['4.5'] },
};
const TECHNIQUE: Record<string, Prop> = {
  techniqueID: { kind: 'string', required: true },
  tactic: { kind: 'string' },
  comment: { kind: 'string' },
  enabled: { kind: 'boolean' },
  score: { kind: 'number' },
  color: { kind: 'string' },
  metadata: { kind: 'array' },
  links: { kind: 'array' },
  showSubtechniques: { kind: 'boolean' },
};
const GRADIENT: Record<string, Prop> = {
  colors: { kind: 'array', required: true },
  minValue: { kind: 'number', required: true },
  maxValue: { kind: 'number', required: true },
};
const LAYOUT: Record<string, Prop> = {
  layout: { kind: 'string', values: ['side', 'flat', 'mini'] },
  showID: { kind: 'boolean' },
  showName: { kind: 'boolean' },
  showAggregateScores: { kind: 'boolean' },
  countUnscored: { kind: 'boolean' },
  aggregateFunction: { kind: 'string', values: ['average', 'min', 'max', 'sum'] },
  expandedSubtechniques: { kind: 'string', values: ['none', 'all', 'annotated'] },
};
const ENTERPRISE_PLATFORMS = [
  'PRE',
  'Windows',
  'Linux',
  'macOS',
  'Network',
  'AWS',
  'GCP',
  'Azure',
  'Azure AD',
  'Office 365',
  'SaaS',
];
/** The enterprise tactics' short names (the Navigator's "tactic" values). */
export const ENTERPRISE_TACTICS = [
  'reconnaissance',
  'resource-development',
  'initial-access',
  'execution',
  'persistence',
  'privilege-escalation',
  'defense-evasion',
  'credential-access',
  'discovery',
  'lateral-movement',
  'collection',
  'command-and-control',
  'exfiltration',
  'impact',
];

function kindOf(v: unknown): Kind | 'null' {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v as Kind;
}

function checkObject(o: Json, props: Record<string, Prop>, at: string, errors: string[]): void {
  if (kindOf(o) !== 'object') {
    errors.push(`${at}: expected an object`);
    return;
  }
  for (const k of Object.keys(o)) if (!(k in props)) errors.push(`${at}.${k}: not a property of the format`);
  for (const [k, p] of Object.entries(props)) {
    const v = o[k];
    if (v === undefined) {
      if (p.required) errors.push(`${at}.${k}: required`);
      continue;
    }
    if (kindOf(v) !== p.kind) errors.push(`${at}.${k}: expected ${p.kind}, got ${kindOf(v)}`);
    else if (p.values && !p.values.includes(v)) errors.push(`${at}.${k}: ${JSON.stringify(v)} not allowed`);
  }
}

function checkPairs(list: Json, keys: [string, string], at: string, errors: string[]): void {
  if (!Array.isArray(list)) return;
  list.forEach((x, i) => {
    if (x?.divider === true && Object.keys(x).length === 1) return;
    const props = {
      [keys[0]]: { kind: 'string', required: true },
      [keys[1]]: { kind: 'string', required: true },
    };
    checkObject(x, props as Record<string, Prop>, `${at}[${i}]`, errors);
    if (keys[1] === 'url' && typeof x?.url === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(x.url))
      errors.push(`${at}[${i}].url: must start with a protocol`);
  });
}

function versionAtLeast(v: string, min: string): boolean {
  const a = v.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** Every way the layer departs from format 4.5; empty when the Navigator loads it as written. */
export function checkLayer(layer: Json): string[] {
  const errors: string[] = [];
  checkObject(layer, LAYER, 'layer', errors);
  if (kindOf(layer) !== 'object') return errors;
  if (layer.versions) {
    checkObject(layer.versions, VERSIONS, 'layer.versions', errors);
    const nav = layer.versions.navigator;
    if (typeof nav === 'string' && !(/^\d+\.\d+\.\d+$/.test(nav) && versionAtLeast(nav, '4.9.0')))
      errors.push(`layer.versions.navigator: ${nav} is not a version at least 4.9.0`);
    if (layer.versions.attack !== undefined && !/^\d+(\.\d+)?$/.test(layer.versions.attack))
      errors.push(`layer.versions.attack: ${layer.versions.attack} is not an ATT&CK version`);
  } else errors.push('layer.versions: a 4.5 layer names its versions');
  if (layer.layout) checkObject(layer.layout, LAYOUT, 'layer.layout', errors);
  if (layer.filters) {
    checkObject(layer.filters, { platforms: { kind: 'array' } }, 'layer.filters', errors);
    for (const p of layer.filters.platforms ?? [])
      if (!ENTERPRISE_PLATFORMS.includes(p)) errors.push(`layer.filters.platforms: ${p} is not a platform`);
  }
  if (layer.gradient) {
    checkObject(layer.gradient, GRADIENT, 'layer.gradient', errors);
    const g = layer.gradient;
    if (!(Array.isArray(g.colors) && g.colors.length >= 2))
      errors.push('layer.gradient.colors: at least two');
    if (!(g.maxValue > g.minValue)) errors.push('layer.gradient: maxValue must be > minValue');
  }
  checkPairs(layer.metadata, ['name', 'value'], 'layer.metadata', errors);
  checkPairs(layer.links, ['label', 'url'], 'layer.links', errors);
  (layer.techniques ?? []).forEach((t: Json, i: number) => {
    const at = `layer.techniques[${i}]`;
    checkObject(t, TECHNIQUE, at, errors);
    if (typeof t?.techniqueID === 'string' && !/^T\d{4}(\.\d{3})?$/.test(t.techniqueID))
      errors.push(`${at}.techniqueID: ${t.techniqueID} is not T#### or T####.###`);
    if (t?.tactic !== undefined && !ENTERPRISE_TACTICS.includes(t.tactic))
      errors.push(`${at}.tactic: ${t.tactic} is not an enterprise tactic`);
    checkPairs(t?.metadata, ['name', 'value'], `${at}.metadata`, errors);
    checkPairs(t?.links, ['label', 'url'], `${at}.links`, errors);
  });
  return errors;
}
