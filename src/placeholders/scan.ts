/**
 * Hand-written scanners for AVP's placeholder grammar, in linear time.
 *
 * The grammar is easy to write as regular expressions (the comments show
 * each one), but a backtracking engine runs them in quadratic time on hostile
 * text: a 400 KB line of `<` with no `>` tries every `<` against the rest of
 * the line. Each scanner here matches exactly what its expression matches
 * (test/unit/placeholders/scan.test.ts compares them on random text) while
 * looking at every character a bounded number of times.
 */

/** One match: its offsets in the scanned text. */
export interface Span {
  readonly start: number
  readonly end: number
}

const LT = 0x3c // <
const GT = 0x3e // >
const NL = 0x0a // \n

/**
 * `/<([^\n]*?)>/g`: the shortest `<…>` on one line. The match starts at the
 * first `<` that has a `>` before the line ends and stops at that `>`; when
 * the line ends first, no `<` on it can match, so the scan goes on after it.
 * With `firstOnly`, stops at the first match.
 */
export function scanGeneric(text: string, firstOnly = false): Span[] {
  const spans: Span[] = []
  let from = 0
  for (;;) {
    const start = text.indexOf('<', from)
    if (start === -1) return spans
    let end = start + 1
    while (end < text.length) {
      const code = text.charCodeAt(end)
      if (code === GT || code === NL) break
      end++
    }
    if (end >= text.length) return spans
    from = end + 1
    if (text.charCodeAt(end) === NL) continue
    spans.push({ start, end: end + 1 })
    if (firstOnly) return spans
  }
}

/** For every offset, the offset of the next `char` at or after it (`text.length` when none). */
function nextIndexTable(text: string, char: number): Int32Array {
  const table = new Int32Array(text.length + 1)
  let next = text.length
  table[text.length] = next
  for (let i = text.length - 1; i >= 0; i--) {
    if (text.charCodeAt(i) === char) next = i
    table[i] = next
  }
  return table
}

function at(table: Int32Array, index: number): number {
  return table[Math.min(index, table.length - 1)] ?? table.length - 1
}

const HASH = 0x23 // #
const INLINE_OPEN = '<path:'

/**
 * `/<path:([^#]+?)#([^#]+?)(?:#([^#]+?))??>/g`, which may span lines. The
 * path runs to the first `#` (at least one character). The key (at least one
 * character, none a `#`) ends at the first `>` after its first character; if a
 * `#` comes first, a version (at least one character, none a `#`) must follow
 * and ends at its first `>` after its first character. Lookup tables of the
 * next `#` and `>` keep every attempt constant-time.
 */
export function scanInline(text: string): Span[] {
  const spans: Span[] = []
  let start = text.indexOf(INLINE_OPEN)
  // Every match needs a `#` and a `>` after its start: without them, skip the tables.
  if (start === -1 || !text.includes('#', start) || !text.includes('>', start)) {
    return spans
  }
  const nextHash = nextIndexTable(text, HASH)
  const nextGt = nextIndexTable(text, GT)
  const n = text.length
  while (start !== -1) {
    const end = inlineEnd(start + INLINE_OPEN.length, n, nextHash, nextGt)
    if (end === undefined) {
      start = text.indexOf(INLINE_OPEN, start + 1)
    } else {
      spans.push({ start, end })
      start = text.indexOf(INLINE_OPEN, end)
    }
  }
  return spans
}

/** The end (exclusive) of an inline placeholder whose path starts at `pathStart`, if it matches. */
function inlineEnd(
  pathStart: number,
  n: number,
  nextHash: Int32Array,
  nextGt: Int32Array,
): number | undefined {
  const pathEnd = at(nextHash, pathStart)
  if (pathEnd === pathStart || pathEnd >= n) return undefined
  const keyStart = pathEnd + 1
  const keyEnd = at(nextHash, keyStart)
  if (keyEnd === keyStart) return undefined
  const close = at(nextGt, keyStart + 1)
  if (close < keyEnd && close < n) return close + 1
  if (keyEnd >= n) return undefined
  const versionStart = keyEnd + 1
  const versionEnd = at(nextHash, versionStart)
  const versionClose = at(nextGt, versionStart + 1)
  if (versionEnd === versionStart || versionClose >= versionEnd || versionClose >= n)
    return undefined
  return versionClose + 1
}

/** The parts of AVP's individual `path:P#K[#V]` syntax found in a placeholder's name. */
export interface IndividualParts {
  readonly path: string
  readonly key: string
  readonly version?: string
}

/**
 * `/path:([^#]+)#([^#]+)(?:#([^\n]+))?/` (unanchored, greedy): the first
 * `path:` followed by a non-empty path up to a `#`, a non-empty key up to the
 * next `#` or the end, and optionally `#` and a version up to the line's end.
 * A failed attempt fails for every `path:` before the same `#` too, so the
 * search resumes after that `#`.
 */
export function scanIndividual(name: string): IndividualParts | undefined {
  const open = 'path:'
  let start = name.indexOf(open)
  while (start !== -1) {
    const pathStart = start + open.length
    const pathEnd = name.indexOf('#', pathStart)
    if (pathEnd === -1) return undefined
    if (pathEnd === pathStart) {
      start = name.indexOf(open, start + 1)
      continue
    }
    const keyStart = pathEnd + 1
    const hash = name.indexOf('#', keyStart)
    const keyEnd = hash === -1 ? name.length : hash
    if (keyEnd === keyStart) {
      // Every `path:` whose path would end at this same `#` fails the same way.
      start = name.indexOf(open, Math.max(start + 1, pathEnd - open.length + 1))
      continue
    }
    const parts = { path: name.slice(pathStart, pathEnd), key: name.slice(keyStart, keyEnd) }
    if (hash === -1) return parts
    const newline = name.indexOf('\n', hash + 1)
    const versionEnd = newline === -1 ? name.length : newline
    return versionEnd > hash + 1 ? { ...parts, version: name.slice(hash + 1, versionEnd) } : parts
  }
  return undefined
}

/** `text` without its leading `<` and trailing `>` characters (`/^<+/`, `/>+$/`). */
export function stripBrackets(text: string): string {
  let start = 0
  while (start < text.length && text.charCodeAt(start) === LT) start++
  let end = text.length
  while (end > start && text.charCodeAt(end - 1) === GT) end--
  return text.slice(start, end)
}
