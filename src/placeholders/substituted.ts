import type { Match } from './syntax'

/** Where a placeholder found in the rendered manifests came from. */
export type Origin = 'template' | 'substituted' | 'ambiguous'

/**
 * Tells a placeholder written in the chart from one that arrived inside a
 * value substituted earlier in the run (Helm values resolved before `helm
 * template`, which copies them into the manifests). A substituted value is
 * never resolved again: a secret holding `<path:other#key>` must not fetch a
 * second secret. A placeholder that lies inside an occurrence of such a value
 * is `substituted` (left as written); one that merely appears in such a value
 * (helm may have trimmed or re-quoted it) is `ambiguous` and refused.
 */
export function originOf(match: Match, text: string, substituted: readonly string[]): Origin {
  let ambiguous = false
  for (const value of substituted) {
    for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + 1)) {
      const end = at + value.length
      if (match.start >= at && match.end <= end) return 'substituted'
      if (match.start < end && match.end > at) ambiguous = true
    }
    if (value.includes(match.raw)) ambiguous = true
  }
  return ambiguous ? 'ambiguous' : 'template'
}

/** The strings of a revealed value that could hold a placeholder (`<…>`), for `originOf`. */
export function placeholderLikeStrings(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') {
    if (value.includes('<') && value.includes('>')) out.add(value)
  } else if (Array.isArray(value)) {
    for (const item of value) placeholderLikeStrings(item, out)
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) placeholderLikeStrings(item, out)
  }
}
