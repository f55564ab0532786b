import { parseYamlDocument } from '../yaml/parse'
import { ProblemsError } from '../errors'
import type { Manifest } from '../input/manifest'

/**
 * Re-reads one emitted YAML document as YAML 1.1 and writes it as one line of
 * compact JSON, so the JSON holds exactly the types Argo CD's YAML 1.1 decoder
 * would see in the YAML output (`replicas: 3` a number, `enabled: yes` true,
 * `commitId: 81111e1` the float 811110, quoted strings strings).
 */
export function toJsonLine(yamlText: string, manifest: Manifest): string {
  const fail = (message: string): ProblemsError =>
    new ProblemsError([
      {
        code: 'INPUT_INVALID',
        message,
        location: { file: manifest.source, document: manifest.index },
      },
    ])
  const doc = parseYamlDocument(yamlText, 'printedOutput').result
  // Cannot happen for text we printed ourselves; the parser's message is not
  // shown since it could quote a value.
  if (doc.errors.length > 0) throw fail('cannot convert the document to JSON')
  const seen = { nonFinite: false }
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: 1000 })
  } catch {
    throw fail('cannot convert the document to JSON: too many aliases')
  }
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) seen.nonFinite = true
    return v
  })
  // JSON has no .inf or .nan; AVP fails on them too (docs/design/avp-semantics.md).
  if (seen.nonFinite) throw fail('.inf and .nan cannot be written as JSON')
  return `${json.replace(RAW_FOR_GO_YAML, unicodeEscape)}\n`
}

/**
 * Argo CD reads each JSON line with go-yaml, which takes a raw U+0085, U+2028
 * or U+2029 inside a string for a line break and refuses DEL, C1 controls,
 * U+FEFF, U+FFFE and U+FFFF (src/yaml/go-yaml-chars.ts). `JSON.stringify`
 * writes them raw; as `\uXXXX` escapes they are the same JSON and read back
 * exactly. Outside strings JSON text is ASCII, so only strings are touched.
 */
const RAW_FOR_GO_YAML = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g

function unicodeEscape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`
}
