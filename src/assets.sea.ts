// The single executable's data files (see assets.ts): embedded as SEA assets by
// scripts/build-binary.ts, with `assets.json` listing their names.
import { getAsset } from 'node:sea';
import type * as Files from './assets.ts';

const names: string[] = JSON.parse(getAsset('assets.json', 'utf8'));
const present = new Set(names);

export const assetPath: typeof Files.assetPath = (name) => `<ratchain>/${name}`;

export const readOptionalAsset: typeof Files.readOptionalAsset = (name) =>
  present.has(name) ? getAsset(name, 'utf8') : undefined;

export const readAsset: typeof Files.readAsset = (name) => {
  const text = readOptionalAsset(name);
  if (text === undefined) throw new Error(`no embedded asset ${name}`);
  return text;
};

export const listAssets: typeof Files.listAssets = (dir) => {
  const base = `${dir.replace(/\/+$/, '')}/`;
  return names.filter((n) => n.startsWith(base) && !n.slice(base.length).includes('/')).sort();
};
