/**
 * The configuration layers and their normalisation. Every layer becomes a map
 * of upper-cased key → non-empty value, ready for `settingsFromLayers`.
 */

/** Layer names as `Settings.sourceOf` reports them, highest precedence first. */
export const LAYER = {
  argocdEnv: 'ARGOCD_ENV_',
  env: 'env',
  file: 'config file',
  secret: 'secret',
  defaults: 'default',
} as const

export interface Layer {
  readonly name: string
  readonly values: ReadonlyMap<string, string>
}

/** Argo CD ≥ 2.4 prefixes every `spec.source.plugin.env` name with this (docs/design/argocd-cmp-contract.md). */
export const ARGOCD_ENV_PREFIX = 'ARGOCD_ENV_'

/** AVP passes these through `strings.TrimSpace` (config_test: `AVP_TYPE: "vault\n"`). */
const TRIMMED_KEYS = new Set(['AVP_TYPE', 'AVP_AUTH_TYPE'])

export interface Normalized {
  readonly values: Map<string, string>
  readonly issues: string[]
}

/**
 * Upper-cases keys, trims the keys AVP trims and drops empty values (empty
 * counts as unset, as viper's AllowEmptyEnv=false). Two spellings of one key
 * that differ only in letter case are an issue rather than a silent pick.
 */
export function normalizeEntries(
  entries: Iterable<readonly [string, string]>,
  label: string,
): Normalized {
  const values = new Map<string, string>()
  const issues: string[] = []
  for (const [rawKey, rawValue] of entries) {
    const key = rawKey.toUpperCase()
    const value = TRIMMED_KEYS.has(key) ? rawValue.trim() : rawValue
    if (value === '') continue
    if (values.has(key)) {
      issues.push(`${label}: ${key} is given more than once (keys are case-insensitive)`)
      continue
    }
    values.set(key, value)
  }
  return { values, issues }
}

/** Every `ARGOCD_ENV_<KEY>` variable with the prefix stripped, in name order. */
export function argocdEnvEntries(
  env: Readonly<Record<string, string | undefined>>,
): [string, string][] {
  // The prefix is checked with its underscore: AVP's check without it
  // (docs/design/avp-semantics.md) would turn `ARGOCD_ENVX` into a key.
  return Object.keys(env)
    .filter((name) => name.startsWith(ARGOCD_ENV_PREFIX) && name.length > ARGOCD_ENV_PREFIX.length)
    .sort()
    .map((name) => [name.slice(ARGOCD_ENV_PREFIX.length), env[name] ?? ''])
}

/**
 * The plain environment variables that are settings: upper-case names only
 * (viper looks up `os.Getenv(UPPER(key))`, so `avp_type` in the env is not
 * read by AVP either) with a setting prefix (`AVP_` and each backend's, such
 * as `VAULT_`: backends/registry.ts) or named by a lower layer, so that a real
 * env var always beats a file value.
 */
export function plainEnvEntries(
  env: Readonly<Record<string, string | undefined>>,
  prefixes: readonly string[],
  lowerKeys: ReadonlySet<string>,
): [string, string][] {
  return Object.keys(env)
    .filter((name) => name === name.toUpperCase() && !name.startsWith(ARGOCD_ENV_PREFIX))
    .filter((name) => prefixes.some((p) => name.startsWith(p)) || lowerKeys.has(name))
    .sort()
    .map((name) => [name, env[name] ?? ''])
}
