import { hasLoneSurrogate } from './go-yaml-chars'

/** The short escapes of YAML's double-quoted style that go-yaml reads. */
const SHORT_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['\u0000', '\\0'],
  ['\u0007', '\\a'],
  ['\b', '\\b'],
  ['\t', '\\t'],
  ['\n', '\\n'],
  ['\u000b', '\\v'],
  ['\f', '\\f'],
  ['\r', '\\r'],
  ['\u001b', '\\e'],
  ['"', '\\"'],
  ['\\', '\\\\'],
  ['\u0085', '\\N'],
  ['\u2028', '\\L'],
  ['\u2029', '\\P'],
])

// Everything that is escaped: quote, backslash, tab, line breaks, every
// character go-yaml's reader refuses raw, and the BOM.
const ESCAPED = /["\\\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g

function escapeChar(ch: string): string {
  const short = SHORT_ESCAPES.get(ch)
  if (short !== undefined) return short
  const code = ch.charCodeAt(0)
  const hex = code.toString(16).toUpperCase()
  return code <= 0xff ? `\\x${hex.padStart(2, '0')}` : `\\u${hex.padStart(4, '0')}`
}

/**
 * Writes `text` as a one-line YAML double-quoted scalar that go-yaml (and any
 * YAML 1.1 or 1.2 reader) reads back as exactly `text`: no raw line break of
 * any kind, no character a reader refuses, nothing folded. Throws on an
 * unpaired surrogate; callers refuse such values first, with a message that
 * names the field, not the value.
 */
export function goYamlDoubleQuoted(text: string): string {
  if (hasLoneSurrogate(text))
    throw new RangeError('an unpaired surrogate cannot be written as YAML')
  return `"${text.replace(ESCAPED, escapeChar)}"`
}
