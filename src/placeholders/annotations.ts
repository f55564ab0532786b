import { isMap, isScalar, Scalar } from 'yaml'
import type { YAMLMap } from 'yaml'

/** The AVP annotations (docs/design/avp-semantics.md), spelled exactly as AVP does. */
export const ANNOTATIONS = {
  path: 'avp.kubernetes.io/path',
  ignore: 'avp.kubernetes.io/ignore',
  kvVersion: 'avp.kubernetes.io/kv-version',
  secretVersion: 'avp.kubernetes.io/secret-version',
  removeMissing: 'avp.kubernetes.io/remove-missing',
} as const

// Under the failsafe schema an unquoted `~`, `null` or empty value is the
// string itself; in Kubernetes' eyes it is null, which we read as empty.
const PLAIN_NULL = /^(?:~|null|Null|NULL)?$/

/** The text of a scalar child, or `undefined` when it is missing or not a scalar. */
export function scalarText(map: YAMLMap, key: string): string | undefined {
  const node: unknown = map.get(key, true)
  if (!isScalar(node) || typeof node.value !== 'string') return undefined
  if (node.type === Scalar.PLAIN && PLAIN_NULL.test(node.value)) return ''
  return node.value
}

/** A map child, or `undefined`. */
export function mapChild(map: YAMLMap, key: string): YAMLMap | undefined {
  const node: unknown = map.get(key, true)
  return isMap(node) ? node : undefined
}

/**
 * Reads `metadata.annotations`. Under the failsafe schema every value is a
 * string, so AVP's pitfall (one non-string value voids them all, docs/design/avp-semantics.md) does
 * not arise: `avp.kubernetes.io/kv-version: 2` works unquoted.
 */
export function readAnnotations(object: YAMLMap): ReadonlyMap<string, string> {
  const annotations = new Map<string, string>()
  const metadata = mapChild(object, 'metadata')
  const node = metadata === undefined ? undefined : mapChild(metadata, 'annotations')
  if (node === undefined) return annotations
  for (const pair of node.items) {
    if (!isScalar(pair.key) || typeof pair.key.value !== 'string') continue
    const text = scalarText(node, pair.key.value)
    if (text !== undefined) annotations.set(pair.key.value, text)
  }
  return annotations
}

/** Go's strconv.ParseBool truth; anything else, including invalid text, is false (docs/design/avp-semantics.md). */
export function parseBool(text: string | undefined): boolean {
  return text !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)
}
