import type { ErrorCode } from '../errors'
import type { Lookup, RefKey } from '../secrets/ref'
import { ANNOTATIONS } from './annotations'
import type { PlannedPlaceholder } from './types'

/** What one placeholder turned into. Messages name paths, keys and versions only. */
export type Outcome =
  | { readonly kind: 'skip' } // planning already reported a problem
  | { readonly kind: 'value'; readonly value: unknown }
  | {
      readonly kind: 'problem'
      readonly code: ErrorCode
      readonly message: string
      /** A missing key: `remove-missing` may drop the field instead (docs/design/avp-semantics.md). */
      readonly missing: boolean
    }

const SKIP: Outcome = { kind: 'skip' }

function problem(code: ErrorCode, message: string, missing = false): Outcome {
  return { kind: 'problem', code, message, missing }
}

/**
 * Looks a placeholder's value up in the fetched secrets and runs its modifiers,
 * which only run once the value was found (docs/design/avp-semantics.md).
 */
export function resolvePlaceholder(
  planned: PlannedPlaceholder,
  lookups: ReadonlyMap<RefKey, Lookup>,
  onReveal: (value: unknown) => void,
): Outcome {
  const placeholder = planned.placeholder
  if (placeholder === undefined) return SKIP
  const key = placeholder.source.key
  if (planned.ref === undefined || planned.refKey === undefined) {
    return problem(
      'KEY_NOT_FOUND',
      `key ${JSON.stringify(key)} not found: the ${ANNOTATIONS.path} annotation is empty`,
      true,
    )
  }
  const lookup = lookups.get(planned.refKey)
  if (lookup === undefined) {
    return problem('INTERNAL', `the secret at ${planned.ref.path} was not fetched`)
  }
  if (!lookup.ok) return problem(lookup.failure.code, lookup.failure.message)
  const data = lookup.data.reveal()
  if (!Object.hasOwn(data, key)) {
    const version = planned.ref.version
    const where = version === undefined ? '' : ` (version ${version})`
    return problem(
      'KEY_NOT_FOUND',
      `key ${JSON.stringify(key)} not found in ${planned.ref.path}${where}`,
      true,
    )
  }
  let value = data[key]
  onReveal(value)
  for (const modifier of placeholder.modifiers) {
    const result = modifier.run(value)
    if (!result.ok) return problem('MODIFIER_FAILED', `${modifier.name}: ${result.failure}`)
    value = result.value
  }
  if (placeholder.modifiers.length > 0) onReveal(value)
  return { kind: 'value', value }
}
