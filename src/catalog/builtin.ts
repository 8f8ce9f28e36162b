// ratchain's own catalogue of remote-access tools, read from tools.yaml next to this file (the
// same format users write, so `ratchain catalog check src/catalog/tools.yaml` checks it too).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { assetPath, readAsset, readOptionalAsset } from '../assets.ts';
import { parseRatchainCatalog } from './format.ts';
import type { CatalogTool } from './types.ts';

export { parseBuiltin };

export const BUILTIN_ASSET = 'catalog/tools.yaml';
export const BUILTIN_FILE = assetPath(BUILTIN_ASSET);
/** tools.yaml parsed and checked by the build (scripts/build.ts); only the built package has it. */
export const BUILTIN_CHECKED_ASSET = 'catalog/tools.checked.json';

function parseBuiltin(text: string): CatalogTool[] {
  const { tools, problems } = parseRatchainCatalog(text, BUILTIN_FILE, 'builtin');
  const bad = problems.filter((p) => p.kind !== 'note');
  // A broken built-in catalogue is a bug in ratchain itself, not in the user's input.
  if (bad.length)
    throw new Error(`built-in catalogue: ${bad.map((p) => `${p.where}: ${p.message}`).join('; ')}`);
  return tools;
}

/**
 * The built package reads the catalogue the build checked. Running the sources, checking the YAML
 * with positions takes a few hundred milliseconds, paid by every command; the checked result is
 * cached as JSON in the user's own cache directory (never a shared temp directory: a planted
 * cache could allowlist an attacker's domain), keyed by the content hash. Any cache trouble falls
 * back to parsing.
 */
function loadBuiltin(): CatalogTool[] {
  const checked = readOptionalAsset(BUILTIN_CHECKED_ASSET);
  if (checked) return JSON.parse(checked) as CatalogTool[];
  const text = readAsset(BUILTIN_ASSET);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ratchain');
  const cache = join(dir, `catalog-${hash}.json`);
  try {
    const cached = JSON.parse(readFileSync(cache, 'utf8')) as CatalogTool[];
    if (Array.isArray(cached) && cached.length > 0) return cached;
  } catch {
    // no cache yet, or unreadable: parse below
  }
  const tools = parseBuiltin(text);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${cache}.${process.pid}`;
    writeFileSync(tmp, JSON.stringify(tools));
    renameSync(tmp, cache);
  } catch {
    // a read-only temp directory only costs the parse next time
  }
  return tools;
}

export const BUILTIN_TOOLS: CatalogTool[] = loadBuiltin();
