// Locates the real third-party telemetry in ../shared/data (never committed to the project).
// Tests that need it call `sharedData(...)` and skip, with a visible reason, when it is absent.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED = resolve(REPO_ROOT, '..', 'shared');

/** Absolute path of a file under ../shared/data, or undefined when it is not there. */
export function sharedData(rel: string): string | undefined {
  const p = join(SHARED, 'data', rel);
  return existsSync(p) ? p : undefined;
}

/** Absolute path of a file under ../shared/reference, or undefined. */
export function sharedReference(rel: string): string | undefined {
  const p = join(SHARED, 'reference', rel);
  return existsSync(p) ? p : undefined;
}

/** The skip option for node:test when shared data is missing: prints why in the test report. */
export function needsData(...paths: Array<string | undefined>): { skip: string } | { skip: false } {
  if (paths.every((p) => p !== undefined)) return { skip: false };
  if (process.env.CI) throw new Error(`shared test data missing in CI under ${SHARED}`);
  return { skip: `../shared/data not present (fresh clone): ${SHARED}` };
}
