// Data files the code reads at run time (the tool catalogue, rule packs), by their path under src/.
// Running the sources they are read from src/; in the package the build copies them to dist/,
// beside the bundle (every chunk sits in dist/ itself, so this module's URL is dist/ there); the
// single executable swaps this module for assets.sea.ts, which reads them from the executable.
// Reading data through here, never through `import.meta.url` elsewhere, is what keeps all three
// working when a data file is added.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('./', import.meta.url);

/** Where the asset `name` ("catalog/tools.yaml") lies, for messages and for `catalog check`. */
export function assetPath(name: string): string {
  return fileURLToPath(new URL(name, ROOT));
}

/** The asset's text; throws when it does not exist. */
export function readAsset(name: string): string {
  return readFileSync(new URL(name, ROOT), 'utf8');
}

/** The asset's text, or undefined when this layout has no such asset (a build-only one). */
export function readOptionalAsset(name: string): string | undefined {
  const url = new URL(name, ROOT);
  return existsSync(url) ? readFileSync(url, 'utf8') : undefined;
}

/** Names of the assets directly inside `dir` ("rules"), sorted, as "rules/x.yaml". */
export function listAssets(dir: string): string[] {
  const base = dir.replace(/\/+$/, '');
  return readdirSync(new URL(`${base}/`, ROOT), { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => `${base}/${e.name}`)
    .sort();
}
