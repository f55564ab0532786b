import { isCollection, isMap, isPair, isScalar, YAMLParseError, type Document } from 'yaml'

/**
 * Parse options for documents whose maps must not repeat a key. The yaml
 * library's own check (`uniqueKeys: true`) compares every new key with every
 * earlier key of its map, which takes minutes on a 200k-key values file; it is
 * turned off here, and `addDuplicateKeyErrors` does the same check with a set
 * per map after parsing.
 */
export const NO_LIBRARY_KEY_CHECK = { uniqueKeys: false } as const

/**
 * Adds a `DUPLICATE_KEY` error to `doc.errors` for every map key that repeats
 * an earlier scalar key of the same map, exactly the keys the library's
 * default check rejects (equal scalar values; collection keys never repeat).
 * Callers then handle it like any parse error. Iterative, so deep documents
 * cannot overflow the stack.
 */
export function addDuplicateKeyErrors(doc: Document): void {
  const pending: unknown[] = [doc.contents]
  for (let node = pending.pop(); pending.length > 0 || node !== undefined; node = pending.pop()) {
    if (!isCollection(node)) continue
    const seen = isMap(node) ? new Set<unknown>() : undefined
    for (const item of node.items) {
      if (!isPair(item)) {
        pending.push(item)
        continue
      }
      pending.push(item.key, item.value)
      if (seen === undefined || !isScalar(item.key)) continue
      if (seen.has(item.key.value)) {
        const at = item.key.range?.[0] ?? 0
        doc.errors.push(
          new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'),
        )
      }
      seen.add(item.key.value)
    }
  }
}
