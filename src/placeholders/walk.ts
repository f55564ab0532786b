import { isMap, isScalar, isSeq } from 'yaml'
import type { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml'

/** Where a string scalar sits, so that it can be replaced or removed. */
export type Target =
  | { readonly kind: 'pair'; readonly map: YAMLMap; readonly pair: Pair }
  | { readonly kind: 'item'; readonly seq: YAMLSeq; readonly index: number }

/** A string value found in a document. */
export interface StringNode {
  readonly scalar: Scalar<string>
  readonly target: Target
  /** Dot path, e.g. `spec.template.spec.containers[0].image`. */
  readonly field: string
}

// A key that reads unambiguously after a dot; others are written `["a.b"]`.
const SIMPLE_KEY = /^[^.[\]"'\s]+$/

/** Appends a map key to a field path. */
export function keyPath(parent: string, key: string): string {
  if (!SIMPLE_KEY.test(key)) return `${parent}[${JSON.stringify(key)}]`
  return parent === '' ? key : `${parent}.${key}`
}

/** Appends a sequence index to a field path. */
export function indexPath(parent: string, index: number): string {
  return `${parent}[${String(index)}]`
}

function isStringScalar(node: unknown): node is Scalar<string> {
  return isScalar(node) && typeof node.value === 'string'
}

/**
 * Lists every string value under a node: map values and sequence items at any
 * depth, nested sequences included (AVP skips those, docs/design/avp-semantics.md). Map keys are never
 * values. Aliases are skipped: their anchor is visited where it is defined.
 */
export function collectStrings(node: YAMLMap | YAMLSeq, field: string, out: StringNode[]): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?'
      visit(pair.value, keyPath(field, key), { kind: 'pair', map: node, pair }, out)
    }
  } else {
    node.items.forEach((item, index) => {
      visit(item, indexPath(field, index), { kind: 'item', seq: node, index }, out)
    })
  }
}

function visit(node: unknown, field: string, target: Target, out: StringNode[]): void {
  if (isStringScalar(node)) out.push({ scalar: node, target, field })
  else if (isMap(node) || isSeq(node)) collectStrings(node, field, out)
}
