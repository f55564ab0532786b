import { ARGOCD_ENV_PREFIX } from './layers'

/**
 * Which settings an Application may set through `spec.source.plugin.env`
 * (they arrive as `ARGOCD_ENV_<KEY>`, contracts.md §1.4). AVP lets them set
 * anything, so whoever can write an Application can point the sidecar's Vault
 * credentials at their own server (`ARGOCD_ENV_VAULT_ADDR`) or lift the
 * administrator's `AVP_PATH_VALIDATION` (users-and-peers.md §1.4, AVP #491).
 *
 * `AVP_APP_ENV_ALLOWLIST`, read only from the sidecar's own environment,
 * closes that: a comma-separated list of keys Applications may set (`*` for
 * any, the default, for AVP compatibility; empty-but-set means none). Only
 * configuration keys are policed (`AVP_*`, `VAULT_*`, `AWS_*`); render
 * knobs such as `HELM_VALUES` are not settings.
 */
export const APP_ENV_ALLOWLIST_KEY = 'AVP_APP_ENV_ALLOWLIST'

const POLICED_PREFIXES = ['AVP_', 'VAULT_', 'AWS_'] as const

export function appEnvIssues(
  env: Readonly<Record<string, string | undefined>>,
  appKeys: Iterable<string>,
): string[] {
  const raw = env[APP_ENV_ALLOWLIST_KEY]
  const allowed =
    raw === undefined
      ? undefined
      : new Set(
          raw
            .split(',')
            .map((k) => k.trim().toUpperCase())
            .filter((k) => k !== ''),
        )
  const issues: string[] = []
  for (const key of appKeys) {
    if (!POLICED_PREFIXES.some((prefix) => key.startsWith(prefix))) continue
    if (key === APP_ENV_ALLOWLIST_KEY) {
      issues.push(
        `${ARGOCD_ENV_PREFIX}${key}: an Application cannot change ${APP_ENV_ALLOWLIST_KEY}; only the sidecar's environment sets it`,
      )
    } else if (allowed !== undefined && !allowed.has('*') && !allowed.has(key)) {
      const list = allowed.size === 0 ? 'none' : [...allowed].sort().join(', ')
      issues.push(
        `${ARGOCD_ENV_PREFIX}${key}: this plugin does not let Applications set ${key} (${APP_ENV_ALLOWLIST_KEY} allows: ${list})`,
      )
    }
  }
  return issues
}
