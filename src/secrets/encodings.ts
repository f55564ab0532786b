import { goYamlDoubleQuoted } from '../yaml/double-quoted'
import { hasLoneSurrogate } from '../yaml/go-yaml-chars'

/**
 * The forms in which a child process or a library may print a secret value
 * it was given. helm quotes values Go-style in schema and template errors
 * (`%q`), JSON tooling escapes them, HTTP clients percent-encode them, and a
 * Kubernetes Secret or a tool's debug output may show them in base64. The
 * redactor masks every form, each without its surrounding quotes (a quoted
 * form contains the unquoted one).
 */
export function encodedForms(value: string): string[] {
  const forms = [
    value,
    // A tool's error shown as a one-line tail loses its control characters.
    value.replace(CONTROLS, ''),
    goQuoted(value, false),
    goQuoted(value, true),
    schemaQuoted(value),
    jsonEscaped(value),
    goJsonEscaped(value),
    yamlSingleQuoted(value),
    ...urlEncoded(value),
  ]
  if (!hasLoneSurrogate(value)) forms.push(goYamlDoubleQuoted(value).slice(1, -1))
  forms.push(...base64Forms(Buffer.from(value, 'utf8')))
  return forms
}

const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f]/g

// Go's strconv.Quote escapes (https://pkg.go.dev/strconv#Quote).
const GO_SHORT: Readonly<Record<number, string>> = {
  0x07: '\\a',
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x0b: '\\v',
  0x22: '\\"',
  0x5c: '\\\\',
}

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u

// Characters strconv.Quote always writes as they are: printable ASCII but `"` and `\`.
const GO_VERBATIM = /[^\x20\x21\x23-\x5b\x5d-\x7e]/gu

/** strconv.Quote (or QuoteToASCII, `%+q`) without the quotes. */
function goQuoted(value: string, asciiOnly: boolean): string {
  return value.replace(GO_VERBATIM, (ch) => goEscape(ch, asciiOnly))
}

function goEscape(ch: string, asciiOnly: boolean): string {
  const code = ch.codePointAt(0) ?? 0
  const short = GO_SHORT[code]
  if (short !== undefined) return short
  if (GO_PRINTABLE.test(ch) && (!asciiOnly || code < 0x80)) return ch
  if (code < 0x20 || code === 0x7f) return `\\x${hex(code, 2)}`
  if (code >= 0xd800 && code <= 0xdfff) return '\\ufffd'
  if (code < 0x10000) return `\\u${hex(code, 4)}`
  return `\\U${hex(code, 8)}`
}

/**
 * Helm's values.schema.json errors quote a value in single quotes: Go's %q
 * with `\"` unescaped and `'` escaped (santhosh-tekuri/jsonschema's `quote`).
 */
function schemaQuoted(value: string): string {
  return goQuoted(value, false).replace(/\\"/g, '"').replace(/'/g, "\\'")
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0')
}

/** JSON.stringify without the quotes. */
function jsonEscaped(value: string): string {
  return JSON.stringify(value).slice(1, -1)
}

/** Go's encoding/json also escapes <, >, &, U+2028 and U+2029. */
function goJsonEscaped(value: string): string {
  return jsonEscaped(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${hex(ch.charCodeAt(0), 4)}`)
}

function yamlSingleQuoted(value: string): string {
  return value.replace(/'/g, "''")
}

/**
 * Percent-encodings: JavaScript's encodeURIComponent, Go's url.QueryEscape
 * (space as `+`) and url.PathEscape, and HTML form encoding; each also with
 * lower-case hex digits.
 */
function urlEncoded(value: string): string[] {
  if (hasLoneSurrogate(value)) return []
  const component = encodeURIComponent(value)
  // Go escapes the five characters encodeURIComponent leaves alone.
  const strict = component.replace(/[!'()*]/g, (ch) => `%${hex(ch.charCodeAt(0), 2).toUpperCase()}`)
  const query = strict.replace(/%20/g, '+')
  const path = strict.replace(/%(24|26|2B|3A|3D|40)/g, (_m, code: string) =>
    String.fromCharCode(parseInt(code, 16)),
  )
  const form = query.replace(/%2A/g, '*').replace(/~/g, '%7E')
  const forms = [component, query, path, form]
  return [...forms, ...forms.map((f) => f.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()))]
}

/**
 * Base64 (standard and URL alphabets) of the value, whole and as it appears
 * inside the encoding of a longer text: there its characters depend on where
 * it starts modulo 3 bytes, so for each of the three alignments the part
 * that the value alone decides is a form of its own.
 */
function base64Forms(bytes: Buffer): string[] {
  const forms: string[] = []
  for (const shift of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64')
    const first = Math.ceil((shift * 8) / 6)
    const last = Math.floor(((shift + bytes.length) * 8) / 6)
    forms.push(encoded.slice(first, last))
  }
  forms.push(bytes.toString('base64'))
  return [...forms, ...forms.map(toBase64Url)]
}

function toBase64Url(standard: string): string {
  return standard.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
