import { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml'
import { fitsGoYamlBlockScalar, hasLoneSurrogate, needsGoYamlEscapes } from '../yaml/go-yaml-chars'
import { isAmbiguousAsPlain } from '../yaml/plain-scalar'

/**
 * Builds yaml nodes for substituted values. Documents use the failsafe schema
 * (src/input/manifest.ts), so every scalar holds a string and its style alone
 * decides how it prints: numbers, booleans and null are plain text, and a
 * string that a YAML 1.1 reader would take for something else is double-quoted
 * (docs/design/engineering-rules.md).
 */
export type NodeResult =
  | { readonly ok: true; readonly node: Scalar<string> | YAMLMap | YAMLSeq }
  | { readonly ok: false; readonly failure: string }

/**
 * Chooses the style of a string scalar. `previous` is the style the scalar had
 * in the source: quotes the author chose are kept when they are not needed.
 * Text that go-yaml would not read back raw (U+2028, U+0085, `\r`, controls,
 * see src/yaml/go-yaml-chars.ts) is always double-quoted with escapes.
 */
export function stringStyle(text: string, previous?: Scalar.Type): Scalar.Type {
  if (needsGoYamlEscapes(text)) return Scalar.QUOTE_DOUBLE
  if (text.includes('\n')) {
    return fitsGoYamlBlockScalar(text) ? Scalar.BLOCK_LITERAL : Scalar.QUOTE_DOUBLE
  }
  if (isAmbiguousAsPlain(text)) return Scalar.QUOTE_DOUBLE
  if (previous === Scalar.QUOTE_DOUBLE || previous === Scalar.QUOTE_SINGLE) return previous
  // The stringifier itself quotes text that cannot be plain (`a: b`, `#x`, `*x`).
  return Scalar.PLAIN
}

/** Writes a string into an existing scalar, keeping its comments and anchor. */
export function setScalarString(scalar: Scalar, text: string): void {
  scalar.value = text
  scalar.type = stringStyle(text, scalar.type)
}

/** A new string scalar. */
export function stringNode(text: string): Scalar<string> {
  const node = new Scalar(text)
  node.type = stringStyle(text)
  return node
}

function plainNode(text: string): Scalar<string> {
  const node = new Scalar(text)
  node.type = Scalar.PLAIN
  return node
}

// Mapping keys cannot be block scalars; `<<` is a YAML 1.1 merge key.
function keyNode(key: string): Scalar<string> {
  const node = new Scalar(key)
  node.type =
    key.includes('\n') || key === '<<' || needsGoYamlEscapes(key) || isAmbiguousAsPlain(key)
      ? Scalar.QUOTE_DOUBLE
      : Scalar.PLAIN
  return node
}

/** Names the type of a value for messages: never the value itself. */
export function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'list'
  if (typeof value === 'object') return isPlainObject(value) ? 'map' : 'object'
  return typeof value
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * Why a value cannot be written byte-exact as YAML, if so: an unpaired UTF-16
 * surrogate (from a JSON `\ud800` escape) has no UTF-8 form, and writing it
 * would silently change it to U+FFFD. Names the place, never the value.
 */
export function unwritableReason(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return hasLoneSurrogate(value)
      ? 'the value holds an unpaired UTF-16 surrogate, which YAML cannot carry'
      : undefined
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const reason = unwritableReason(item)
      if (reason !== undefined) return reason
    }
    return undefined
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (hasLoneSurrogate(key)) {
        return 'a key of the value holds an unpaired UTF-16 surrogate, which YAML cannot carry'
      }
      const reason = unwritableReason(item)
      if (reason !== undefined) return reason
    }
  }
  return undefined
}

/** Converts a backend or modifier value into a yaml node. */
export function toYamlNode(value: unknown): NodeResult {
  if (typeof value === 'string') return { ok: true, node: stringNode(value) }
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? { ok: true, node: plainNode(String(value)) }
      : { ok: false, failure: 'a non-finite number cannot be written as YAML' }
  }
  if (typeof value === 'bigint') return { ok: true, node: plainNode(value.toString()) }
  if (typeof value === 'boolean') return { ok: true, node: plainNode(value ? 'true' : 'false') }
  if (value === null) return { ok: true, node: plainNode('null') }
  if (Array.isArray(value)) return seqNode(value)
  if (typeof value === 'object' && isPlainObject(value)) return mapNode(value)
  return { ok: false, failure: `a value of type ${typeName(value)} cannot be written as YAML` }
}

function seqNode(items: readonly unknown[]): NodeResult {
  const seq = new YAMLSeq()
  for (const item of items) {
    const result = toYamlNode(item)
    if (!result.ok) return result
    seq.items.push(result.node)
  }
  return { ok: true, node: seq }
}

function mapNode(entries: Record<string, unknown>): NodeResult {
  const map = new YAMLMap()
  for (const [key, item] of Object.entries(entries)) {
    const result = toYamlNode(item)
    if (!result.ok) return result
    map.items.push(new Pair(keyNode(key), result.node))
  }
  return { ok: true, node: map }
}
