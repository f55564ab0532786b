import { parseYamlStream } from '../../yaml/parse'
import { toJsonValue } from './json-value'
import { stringModifier } from './string-input'
import { fail, ok } from './types'

/**
 * `jsonParse` and `yamlParse`. Parser messages are never surfaced: both
 * JSON.parse and yaml quote the input they choke on (docs/design/engineering-rules.md).
 */
export const jsonParse = stringModifier((text) => {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    return fail(`value nests arrays and objects more than ${String(MAX_JSON_DEPTH)} levels deep`)
  }
  try {
    return ok(JSON.parse(text) as unknown)
  } catch {
    return fail('value is not valid JSON')
  }
})

/**
 * Deeper JSON is refused before parsing: later steps (jsonPath, printing)
 * walk values recursively and would run out of stack. No Kubernetes value
 * comes close.
 */
const MAX_JSON_DEPTH = 1000

/** Whether brackets outside strings nest deeper than `max`; one linear pass. */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (inString) {
      if (code === 0x5c)
        i++ // a backslash escapes the next character
      else if (code === 0x22) inString = false
    } else if (code === 0x22) {
      inString = true
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > max) return true
    } else if (code === 0x5d || code === 0x7d) {
      depth--
    }
  }
  return false
}

/** YAML 1.1 (as sigs.k8s.io/yaml) into JSON data; the first document only. */
export const yamlParse = stringModifier((text) => {
  let parsed: unknown
  try {
    // Like sigs.k8s.io/yaml: the first document only; an empty text is null.
    const first = parseYamlStream(text, 'secretValue').result[0]
    if (first === undefined) return ok(null)
    if (first.errors.length > 0) return fail('value is not valid YAML')
    parsed = first.toJS({ maxAliasCount: 100 })
  } catch {
    return fail('value is not valid YAML')
  }
  const value = toJsonValue(parsed)
  return value === undefined ? fail('value cannot be represented as JSON') : ok(value)
})
