import { base64decode, base64encode } from './base64'
import { indent } from './indent'
import { jsonPath } from './json-path'
import { jsonParse, yamlParse } from './parse'
import { sha256sum } from './sha256'
import type { ModifierFactory, ModifierFn } from './types'

export type { ModifierResult } from './types'

/** The seven modifiers AVP documents (docs/design/avp-semantics.md); names are case-sensitive. */
const MODIFIERS: Readonly<Record<string, ModifierFactory>> = {
  base64encode,
  base64decode,
  jsonPath,
  jsonParse,
  yamlParse,
  indent,
  sha256sum,
}

/** A modifier ready to run, with its name for messages. */
export interface Modifier {
  readonly name: string
  /** The segment as written, trimmed (`jsonPath {.a}`): arguments never hold a value. */
  readonly text: string
  readonly run: ModifierFn
}

/** A compiled modifier, or a syntax message naming the modifier. */
export type CompiledModifier =
  | { readonly ok: true; readonly modifier: Modifier }
  | { readonly ok: false; readonly failure: string }

/**
 * Compiles one `| name args…` segment (split on whitespace, as AVP does). An
 * empty segment or unknown name is a syntax problem here, where AVP panics or
 * reports it only once the value has been fetched.
 */
export function compileModifier(segment: string): CompiledModifier {
  const [name, ...args] = segment.split(/\s+/).filter((field) => field !== '')
  if (name === undefined) return { ok: false, failure: 'empty modifier' }
  const factory = Object.hasOwn(MODIFIERS, name) ? MODIFIERS[name] : undefined
  if (factory === undefined) return { ok: false, failure: `unknown modifier "${name}"` }
  const compiled = factory(args)
  if (!compiled.ok) return { ok: false, failure: `${name}: ${compiled.failure}` }
  return { ok: true, modifier: { name, text: segment.trim(), run: compiled.run } }
}
