import type { Node } from 'yaml'
import { encodeBase64Text } from './base64'
import type { PlannedSite } from './types'
import { setScalarString, toYamlNode, typeName, unwritableReason } from './yaml-node'

/** Whether a result could be written; the failure names a type, never a value. */
export type WriteResult = { readonly ok: true } | { readonly ok: false; readonly failure: string }

const OK: WriteResult = { ok: true }

/**
 * Writes a site's result into its document. A string keeps the scalar (and
 * its comments); another value replaces the node. ConfigMap fields and base64
 * Secret fields take strings only: numbers and booleans become their text,
 * where AVP panics on anything else (docs/design/avp-semantics.md).
 */
export function writeResult(
  site: PlannedSite,
  result: unknown,
  onReveal: (value: unknown) => void,
): WriteResult {
  const unwritable = unwritableReason(result)
  if (unwritable !== undefined) return { ok: false, failure: unwritable }
  if (site.encoding === 'base64' || site.context.kind === 'ConfigMap') {
    const text = stringify(result)
    if (text === undefined) {
      const what = site.encoding === 'base64' ? 'base64-encoded Secret' : 'ConfigMap string'
      return { ok: false, failure: `${describe(result)} cannot be written into a ${what} field` }
    }
    const encoded = site.encoding === 'base64' ? encodeBase64Text(text) : text
    if (site.encoding === 'base64') onReveal(encoded)
    setScalarString(site.scalar, encoded)
    return OK
  }
  if (typeof result === 'string') {
    setScalarString(site.scalar, result)
    return OK
  }
  const built = toYamlNode(result)
  if (!built.ok) return { ok: false, failure: built.failure }
  replaceNode(site, built.node)
  return OK
}

function stringify(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'bigint') return value.toString()
  return undefined
}

function describe(value: unknown): string {
  if (typeof value === 'number') return 'a non-finite number'
  const name = typeName(value)
  return name === 'null' ? 'null' : `a ${name}`
}

/** Puts a new node where the scalar was, carrying its comments over. */
function replaceNode(site: PlannedSite, node: Node): void {
  const old = site.scalar
  if (old.commentBefore != null) node.commentBefore = old.commentBefore
  if (old.comment != null) node.comment = old.comment
  if (old.spaceBefore === true) node.spaceBefore = true
  // Aliases (`*x`) point at the anchor by name: it must move to the new node.
  if (old.anchor !== undefined) node.anchor = old.anchor
  if (site.target.kind === 'pair') site.target.pair.value = node
  else site.target.seq.items[site.target.index] = node
}

/**
 * Deletes the key of a map value (remove-missing). Only a map value without
 * an anchor can go: an alias elsewhere would be left pointing at nothing.
 */
export function canRemove(site: PlannedSite): boolean {
  return site.target.kind === 'pair' && site.scalar.anchor === undefined
}

/** Removes the map entry that holds the site. */
export function removeField(site: PlannedSite): void {
  if (site.target.kind !== 'pair') return
  const items = site.target.map.items
  const at = items.indexOf(site.target.pair)
  if (at >= 0) items.splice(at, 1)
}
