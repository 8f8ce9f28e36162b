// Where a value sits in a YAML file, so a mistake found after parsing (by zod, by a check) can be
// reported at its line and column.
import { isMap, isSeq, type Node as YamlNode } from 'yaml';

/** The YAML node at `path` (keys and indexes), or the deepest one that exists on the way. */
export function nodeAt(root: YamlNode | null | undefined, path: PropertyKey[]): YamlNode | undefined {
  let n: YamlNode | null | undefined = root;
  for (const key of path) {
    if (isMap(n)) {
      const pair = n.items.find((p) => (p.key as { value?: unknown })?.value === key);
      if (!pair) break;
      n = (pair.value as YamlNode) ?? (pair.key as YamlNode);
    } else if (isSeq(n) && typeof key === 'number') {
      const item = n.items[key] as YamlNode | undefined;
      if (!item) break;
      n = item;
    } else break;
  }
  return n ?? undefined;
}

/** The node of the key `key` itself inside the mapping at `path` (for unknown keys). */
export function keyNodeAt(
  root: YamlNode | null | undefined,
  path: PropertyKey[],
  key: string,
): YamlNode | undefined {
  const parent = nodeAt(root, path);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => (p.key as { value?: unknown })?.value === key);
  return (pair?.key as YamlNode) ?? undefined;
}
