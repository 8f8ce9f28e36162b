// The package's and the single executable's checked-builtins.ts: the build's checked results,
// read as JSON (scripts/build.ts swaps this module in). Rule packs are recorded by asset name and
// given the path where this install keeps them.
import { assetPath, readAsset } from './assets.ts';
import type * as Source from './checked-builtins.ts';
import { CHECKED_ASSETS } from './checked-cache.ts';
import type { RuleSet } from './rules/rule-set.ts';

export const builtinTools: typeof Source.builtinTools = () => JSON.parse(readAsset(CHECKED_ASSETS.catalog));

export const builtinRuleSet: typeof Source.builtinRuleSet = () => {
  const set: RuleSet = JSON.parse(readAsset(CHECKED_ASSETS.rules));
  for (const p of set.packs) p.file = assetPath(p.file);
  for (const records of Object.values(set.groups)) for (const r of records) r.file = assetPath(r.file);
  return set;
};

export const defaultConfig: typeof Source.defaultConfig = () => JSON.parse(readAsset(CHECKED_ASSETS.config));

/**
 * In the package every config comes from a file, whose rules config/load.ts loaded and
 * rule-set.ts remembered when it checked the file; a spec not seen there is a bug.
 */
export const loadRulesSpec: typeof Source.loadRulesSpec = (spec) => {
  throw new Error(`internal: the rules of ${JSON.stringify(spec)} were not loaded with their config`);
};
