// Where a value sits in a YAML file, so a mistake found after parsing (by zod, by a check) can be
// reported at its line and column.
import { isMap, isScalar, isSeq, visit, type Node as YamlNode } from 'yaml';

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

/**
 * Where a key is written a second time in one mapping (the offset of each repeat). The yaml
 * package checks this by comparing every key with every earlier one of its mapping: quadratic,
 * and a simulated fleet's config with 100,000 HostAliases took minutes of CPU. So configs are
 * parsed with `uniqueKeys: false` and checked here, with the same equality (a missing key, or
 * scalars of strictly equal value).
 */
export function repeatedKeys(root: YamlNode | null | undefined): number[] {
  const out: number[] = [];
  visit(root ?? null, {
    Map(_, map) {
      const seen = new Set<unknown>();
      let empty = false;
      for (const { key } of map.items) {
        if (key === null || key === undefined) {
          if (empty) out.push(map.range?.[0] ?? 0);
          empty = true;
        } else if (isScalar(key) && !Number.isNaN(key.value)) {
          if (seen.has(key.value)) out.push(key.range?.[0] ?? 0);
          else seen.add(key.value);
        }
      }
    },
  });
  return out;
}

/**
 * The document's data, or why it has none: yaml refuses to expand aliases past its limit (an
 * alias bomb, a small file that would expand to gigabytes) by throwing, which must end as a
 * problem of the file, not as an internal error.
 */
export function yamlData(doc: { toJS(): unknown }): { data: unknown } | { refused: string } {
  try {
    return { data: doc.toJS() };
  } catch (e) {
    return { refused: `${(e as Error).message}; not read` };
  }
}
