import { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml'
import { isAmbiguousAsPlain } from '../yaml/plain-scalar'

/**
 * Builds yaml nodes for substituted values. Documents use the failsafe schema
 * (src/input/manifest.ts), so every scalar holds a string and its style alone
 * decides how it prints: numbers, booleans and null are plain text, and a
 * string that a YAML 1.1 reader would take for something else is double-quoted
 * (contracts.md §4.2 hazard 2).
 */
export type NodeResult =
  | { readonly ok: true; readonly node: Scalar<string> | YAMLMap | YAMLSeq }
  | { readonly ok: false; readonly reason: string }

// A line that ends in spaces or tabs reads badly in a block scalar (editors
// strip it), and control characters other than tab need escapes.
const NEEDS_ESCAPES = /[ \t]\n|[ \t]$|[\x00-\x08\x0b-\x1f\x7f]/

/**
 * Chooses the style of a string scalar. `previous` is the style the scalar had
 * in the source: quotes the author chose are kept when they are not needed.
 */
export function stringStyle(text: string, previous?: Scalar.Type): Scalar.Type {
  if (text.includes('\n')) {
    return NEEDS_ESCAPES.test(text) ? Scalar.QUOTE_DOUBLE : Scalar.BLOCK_LITERAL
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
    key.includes('\n') || key === '<<' || isAmbiguousAsPlain(key)
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

/** Converts a backend or modifier value into a yaml node. */
export function toYamlNode(value: unknown): NodeResult {
  if (typeof value === 'string') return { ok: true, node: stringNode(value) }
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? { ok: true, node: plainNode(String(value)) }
      : { ok: false, reason: 'a non-finite number cannot be written as YAML' }
  }
  if (typeof value === 'bigint') return { ok: true, node: plainNode(value.toString()) }
  if (typeof value === 'boolean') return { ok: true, node: plainNode(value ? 'true' : 'false') }
  if (value === null) return { ok: true, node: plainNode('null') }
  if (Array.isArray(value)) return seqNode(value)
  if (typeof value === 'object' && isPlainObject(value)) return mapNode(value)
  return { ok: false, reason: `a value of type ${typeName(value)} cannot be written as YAML` }
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
