/**
 * Which configuration keys hold credentials, and how a value may appear in a
 * message (docs/design/engineering-rules.md: a credential's value is never shown).
 *
 * Decision: a key is credential-like when one of its `_`-separated words is
 * TOKEN, SECRET, PASSWORD, PASSWD, KEY, APIKEY, CREDENTIAL(S), PRIVATE or JWT,
 * or it contains ROLE_ID (Vault AppRole treats the role id as half a
 * credential). Identifiers such as `AWS_ACCESS_KEY_ID` and `AVP_YCL_KEY_ID`
 * are deliberately included: masking an identifier costs a little
 * diagnostics, leaking one helps an attacker. Keys ending in `_PATH`, `_FILE`
 * or `_DIR` name a location, not a credential (`AVP_K8S_TOKEN_PATH`,
 * `AWS_WEB_IDENTITY_TOKEN_FILE`, `AVP_TOKEN_CACHE_DIR`), so they are shown,
 * as is `VAULT_CLIENT_KEY`, which the Vault CLI defines as a file path.
 */

const CREDENTIAL_WORDS = new Set([
  'TOKEN',
  'SECRET',
  'PASSWORD',
  'PASSWD',
  'KEY',
  'APIKEY',
  'CREDENTIAL',
  'CREDENTIALS',
  'PRIVATE',
  'JWT',
])

const LOCATION_SUFFIX = /_(PATH|FILE|DIR)$/
const LOCATION_KEYS = new Set(['VAULT_CLIENT_KEY'])

/** Longest non-credential value quoted in a message; longer ones are cut. */
const MAX_QUOTED = 80

/** True when `key` (any letter case) names a credential whose value must never be shown. */
export function isCredentialKey(key: string): boolean {
  const upper = key.toUpperCase()
  if (LOCATION_SUFFIX.test(upper) || LOCATION_KEYS.has(upper)) return false
  if (upper.includes('ROLE_ID')) return true
  return upper.split('_').some((word) => CREDENTIAL_WORDS.has(word))
}

/**
 * Renders a configuration value for an error message: a credential shows as
 * `(set, N chars)`, anything else is quoted (and shortened when long).
 */
export function describeValue(key: string, value: string | undefined): string {
  if (value === undefined || value === '') return '(unset)'
  if (isCredentialKey(key)) return `(set, ${String(value.length)} chars)`
  const shown = value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value
  return JSON.stringify(shown)
}
