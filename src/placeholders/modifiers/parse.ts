import { parseAllDocuments } from 'yaml'
import type { DocumentOptions, ParseOptions, SchemaOptions, Tags } from 'yaml'
import { addDuplicateKeyErrors, NO_LIBRARY_KEY_CHECK } from '../../yaml/unique-keys'
import { toJsonValue } from './json-value'
import { stringModifier } from './string-input'
import { fail, ok } from './types'

/**
 * `jsonParse` and `yamlParse`. Parser messages are never surfaced: both
 * JSON.parse and yaml quote the input they choke on (style guide B.4.3).
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

// sigs.k8s.io/yaml reads YAML 1.1 and keeps timestamps as strings when the
// target is interface{}. logLevel 'silent' stops yaml from printing warnings
// (they quote keys) through process.emitWarning.
const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: (tags: Tags) =>
    tags.filter((tag) => typeof tag === 'string' || tag.tag !== 'tag:yaml.org,2002:timestamp'),
  logLevel: 'silent',
  prettyErrors: false,
  ...NO_LIBRARY_KEY_CHECK,
}

/** YAML 1.1 (as sigs.k8s.io/yaml) into JSON data; the first document only. */
export const yamlParse = stringModifier((text) => {
  let parsed: unknown
  try {
    const docs = parseAllDocuments(text, YAML_OPTIONS)
    // Like sigs.k8s.io/yaml: the first document only; an empty text is null.
    const first = docs[0]
    if (first === undefined) return ok(null)
    addDuplicateKeyErrors(first)
    if (first.errors.length > 0) return fail('value is not valid YAML')
    parsed = first.toJS({ maxAliasCount: 100 })
  } catch {
    return fail('value is not valid YAML')
  }
  const value = toJsonValue(parsed)
  return value === undefined ? fail('value cannot be represented as JSON') : ok(value)
})
