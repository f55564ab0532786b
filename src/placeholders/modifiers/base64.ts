import { decodeBase64Text, encodeBase64Text } from '../base64'
import { stringModifier } from './string-input'
import { fail, ok } from './types'

/** Standard padded base64 of the UTF-8 text. */
export const base64encode = stringModifier((text) => ok(encodeBase64Text(text)))

/**
 * Unlike AVP, which keeps whatever bytes decoded before an error (`aGVsbG8`
 * gives `hel`), invalid base64 is an error. Line breaks are skipped, as Go's
 * decoder does. Binary content cannot be a YAML string, so it must be UTF-8.
 */
export const base64decode = stringModifier((text) => {
  const decoded = decodeBase64Text(text.replace(/\r?\n/g, ''))
  if (decoded.ok) return ok(decoded.text)
  return fail(
    decoded.failure === 'not-base64'
      ? 'value is not valid base64'
      : 'decoded value is not valid UTF-8 text',
  )
})
