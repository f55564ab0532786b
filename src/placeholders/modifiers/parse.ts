import { parseYamlStream } from '../../yaml/parse'
import { toJsonValue } from './json-value'
import { stringModifier } from './string-input'
import { fail, ok } from './types'

/**
 * `jsonParse` and `yamlParse`. Parser messages are never surfaced: both
 * JSON.parse and yaml quote the input they choke on (docs/design/engineering-rules.md).
 */
export const jsonParse = stringModifier((text) => {
  try {
    return ok(JSON.parse(text) as unknown)
  } catch {
    return fail('value is not valid JSON')
  }
})

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
