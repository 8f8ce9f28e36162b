// The built-in data every command starts from (the tool catalogue, the rule packs, the default
// config), checked. Running from a clone, each is checked from its source here (the catalogue and
// the packs cached by content, checked-cache.ts). The build runs the same checks once, ships the
// results as JSON beside the bundle (CHECKED_ASSETS) and bundles checked-builtins.built.ts in place
// of this module, so the package loads no checker (yaml, zod) unless a user's own file needs one.
import { assetPath, readAsset } from './assets.ts';
import { parseRatchainCatalog } from './catalog/format.ts';
import type { CatalogTool } from './catalog/types.ts';
import { CATALOG_ASSET, CHECKED_ASSETS, cachedCheck } from './checked-cache.ts';
import { type Config, configSchema } from './config/schema.ts';
import { checkBuiltinRules, rulesOfSpec } from './rules/load.ts';
import type { RuleSet, RulesSpec } from './rules/rule-set.ts';

export { CATALOG_ASSET, CHECKED_ASSETS };

/** tools.yaml checked; a broken built-in catalogue is a bug in ratchain, not in the user's input. */
export function checkBuiltinCatalog(text: string): CatalogTool[] {
  const { tools, problems } = parseRatchainCatalog(text, assetPath(CATALOG_ASSET), 'builtin');
  const bad = problems.filter((p) => p.kind !== 'note');
  if (bad.length)
    throw new Error(`built-in catalogue: ${bad.map((p) => `${p.where}: ${p.message}`).join('; ')}`);
  return tools;
}

export function builtinTools(): CatalogTool[] {
  const text = readAsset(CATALOG_ASSET);
  return cachedCheck(
    'catalog',
    [text, assetPath(CATALOG_ASSET)],
    () => checkBuiltinCatalog(text),
    (c): c is CatalogTool[] => Array.isArray(c) && c.length > 0,
  );
}

export function builtinRuleSet(): RuleSet {
  return checkBuiltinRules();
}

/** Every setting at its default. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}

/** The rules a spec made in code gives (a config read from a file had its own loaded already). */
export function loadRulesSpec(spec: RulesSpec): RuleSet {
  return rulesOfSpec(spec);
}
