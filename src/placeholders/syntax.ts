import { compileModifier } from './modifiers'
import type { Modifier } from './modifiers'
import { scanGeneric, scanIndividual, scanInline, stripBrackets } from './scan'

// AVP's placeholder grammar (docs/design/avp-semantics.md), translated from Go
// RE2 with the `U` flag: the generic form is the shortest `<…>` on one line;
// the inline form may span lines. scan.ts matches both in linear time.

/** One placeholder found in a string: its offsets and its text as written. */
export interface Match {
  readonly start: number
  readonly end: number
  readonly raw: string
}

/** Where a placeholder's value comes from. */
export type PlaceholderSource =
  | {
      readonly kind: 'inline'
      readonly path: string
      readonly key: string
      readonly version?: string
    }
  | { readonly kind: 'generic'; readonly key: string }

/** A parsed placeholder: where its value comes from and the modifiers to run. */
export interface Placeholder {
  readonly source: PlaceholderSource
  readonly modifiers: readonly Modifier[]
}

/** A placeholder, or the syntax problem that stops it. */
export type ParsedPlaceholder =
  | { readonly ok: true; readonly placeholder: Placeholder }
  | { readonly ok: false; readonly failure: string }

/** True when the text holds a generic `<…>`: the Secret base64 rule looks for this (docs/design/avp-semantics.md). */
export function hasGenericPlaceholder(text: string): boolean {
  return scanGeneric(text, true).length > 0
}

/**
 * Finds the placeholders in a string. `generic` is the auto-ignore rule of
 * docs/design/avp-semantics.md: without the path annotation only `<path:…>` placeholders count, so
 * `<KEY>` in a CRD description survives (AVP #130).
 */
export function findPlaceholders(text: string, generic: boolean): Match[] {
  const spans = generic ? scanGeneric(text) : scanInline(text)
  return spans.map(({ start, end }) => ({ start, end, raw: text.slice(start, end) }))
}

/**
 * Parses a match as AVP does: strip every leading `<` and trailing `>` (so
 * `<<key>>` matches `<<key>` and names `key`), split on every `|`, then the
 * first field is an inline `path:P#K[#V]` or a generic key. Unlike AVP, the
 * path and version are trimmed like the key.
 */
export function parsePlaceholder(raw: string): ParsedPlaceholder {
  const [first = '', ...segments] = stripBrackets(raw).split('|')
  const modifiers: Modifier[] = []
  for (const segment of segments) {
    const compiled = compileModifier(segment)
    if (!compiled.ok) return { ok: false, failure: compiled.failure }
    modifiers.push(compiled.modifier)
  }
  const name = first.trim()
  const inline = scanIndividual(name)
  if (inline === undefined)
    return { ok: true, placeholder: { source: { kind: 'generic', key: name }, modifiers } }
  const path = inline.path.trim()
  const key = inline.key.trim()
  const version = (inline.version ?? '').trim()
  if (path === '') return { ok: false, failure: 'the secret path is empty' }
  if (key === '') return { ok: false, failure: 'the secret key is empty' }
  const source: PlaceholderSource =
    version === '' ? { kind: 'inline', path, key } : { kind: 'inline', path, key, version }
  return { ok: true, placeholder: { source, modifiers } }
}
