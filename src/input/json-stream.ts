import { isCollection, isScalar, Scalar, visit, type Document } from 'yaml'
import { isAmbiguousAsPlain } from '../yaml/plain-scalar'

/** One top-level JSON object of a stream and where it starts in the text. */
export interface JsonChunk {
  readonly text: string
  readonly offset: number
}

/**
 * Splits a stream of concatenated JSON objects (`{…}{…}` or one per line,
 * as Go's `json.Decoder` reads them, docs/design/avp-semantics.md) into one chunk per
 * object. Returns `undefined` when the text is not just objects separated by
 * whitespace (then it is parsed as YAML, which reports any error). Strings are
 * skipped with their escapes, so braces inside them do not count.
 */
export function splitJsonObjects(text: string): JsonChunk[] | undefined {
  const chunks: JsonChunk[] = []
  let i = 0
  for (;;) {
    while (i < text.length && /\s/.test(text.charAt(i))) i++
    if (i >= text.length) return chunks
    if (text.charAt(i) !== '{') return undefined
    const end = objectEnd(text, i)
    if (end === undefined) return undefined
    chunks.push({ text: text.slice(i, end), offset: i })
    i = end
  }
}

/** The index just past the object that opens at `start`, or `undefined` if it never closes. */
function objectEnd(text: string, start: number): number | undefined {
  let depth = 0
  for (let i = start; i < text.length; i++) {
    const c = text.charAt(i)
    if (c === '"') {
      i = stringEnd(text, i)
    } else if (c === '{' || c === '[') {
      depth++
    } else if (c === '}' || c === ']') {
      depth--
      if (depth === 0) return i + 1
    }
  }
  return undefined
}

/** The index of the closing quote of the string that opens at `start` (or the text's end). */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charAt(i)
    if (c === '\\') i++
    else if (c === '"') return i
  }
  return text.length
}

/**
 * Makes a document parsed from JSON print as ordinary block YAML, as AVP
 * prints JSON input (docs/design/avp-semantics.md): collections lose their flow
 * style, and a double-quoted single-line string becomes plain when a YAML 1.1
 * reader would still read it as that string (`"name"` → `name`, while `"yes"`,
 * `"8080"` and `""` keep their quotes).
 */
export function toBlockStyle(doc: Document): void {
  visit(doc, {
    Node(_key, node) {
      if (isCollection(node)) node.flow = false
      else if (isScalar(node) && isPlainSafe(node)) node.type = Scalar.PLAIN
    },
  })
}

function isPlainSafe(node: Scalar): boolean {
  return (
    node.type === Scalar.QUOTE_DOUBLE &&
    typeof node.value === 'string' &&
    !node.value.includes('\n') &&
    !isAmbiguousAsPlain(node.value)
  )
}
