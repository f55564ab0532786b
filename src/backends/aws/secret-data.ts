import type { SecretData } from '../../secrets/ref'
import type { SecretValue } from './port-types'

/**
 * Reserved keys (docs/backends/aws.md). `SecretString` gives the whole secret string,
 * so a plain-text (or JSON string, array, number) secret can be used whole:
 * `<path:my/plain#SecretString>`. `SecretBinary` gives a binary secret
 * base64-encoded, the key AVP uses for it (docs/design/avp-semantics.md).
 */
export const SECRET_STRING_KEY = 'SecretString'
export const SECRET_BINARY_KEY = 'SecretBinary'

/**
 * The keys of one secret value: the fields of a JSON-object SecretString
 * (JSON types kept, as AVP does), plus the whole string under `SecretString`
 * unless the object has a field of that name. `undefined` when the value has
 * neither a string nor a binary part.
 */
export function toSecretData(value: SecretValue): SecretData | undefined {
  if (value.secretString !== undefined) {
    const text = value.secretString
    const object = parseJsonObject(text)
    if (object === undefined) return { [SECRET_STRING_KEY]: text }
    return Object.hasOwn(object, SECRET_STRING_KEY)
      ? object
      : { ...object, [SECRET_STRING_KEY]: text }
  }
  if (value.secretBinary !== undefined) {
    return { [SECRET_BINARY_KEY]: Buffer.from(value.secretBinary).toString('base64') }
  }
  return undefined
}

/** A JSON object, or `undefined`. The parser's message echoes its input, so it is dropped (docs/design/engineering-rules.md). */
function parseJsonObject(text: string): Record<string, unknown> | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
  return parsed as Record<string, unknown>
}
