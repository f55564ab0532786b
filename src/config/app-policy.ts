import { ARGOCD_ENV_PREFIX } from './layers'
import { SCOPE_POLICY_FILE_KEY, SCOPE_POLICY_KEY } from './scope-policy'

/**
 * What an Application may choose, in one place. An Application author controls
 * `spec.source.plugin.env` (it arrives as `ARGOCD_ENV_<KEY>`) and the plugin
 * parameters, while the sidecar holds every team's credentials. AVP lets the
 * plugin env set any key, so whoever can write an Application can point the
 * sidecar's Vault credentials at their own server (`ARGOCD_ENV_VAULT_ADDR`)
 * or lift the operator's `AVP_PATH_VALIDATION` (argoproj-labs/argocd-vault-plugin#491).
 *
 * Here the default is deny: an Application may set only what cannot select
 * credentials, endpoints, files, cache locations or filesystem reach. Every
 * other key, including keys this version does not know (a new backend's), is
 * refused unless the operator lists it in the sidecar's own environment:
 * `AVP_APP_ENV_ALLOWLIST` for plugin env keys, `AVP_APP_PARAM_ALLOWLIST` for
 * plugin parameters (comma-separated, `*` for any, as AVP). The lists add to
 * the safe defaults below. They are read from the sidecar's environment only:
 * Argo CD never lets an Application set an un-prefixed variable.
 */
export const APP_ENV_ALLOWLIST_KEY = 'AVP_APP_ENV_ALLOWLIST'
export const APP_PARAM_ALLOWLIST_KEY = 'AVP_APP_PARAM_ALLOWLIST'

/**
 * Keys that decide what Applications may do: no allow-list, not even `*`,
 * lets an Application set them, or it could widen its own reach.
 */
export const OPERATOR_ONLY_KEYS: readonly string[] = [
  APP_ENV_ALLOWLIST_KEY,
  APP_PARAM_ALLOWLIST_KEY,
  SCOPE_POLICY_KEY,
  SCOPE_POLICY_FILE_KEY,
]

/**
 * Plugin env keys every Application may set. `HELM_ARGS` accepts only flags
 * that pick values or toggle output (render/helm-args.ts); its value files and
 * `HELM_VALUES` stay inside the repository (render/safe-path.ts).
 * `AVP_KV_VERSION` chooses how a path is read, not where from or as whom.
 */
export const SAFE_APP_ENV_KEYS: readonly string[] = ['AVP_KV_VERSION', 'HELM_ARGS', 'HELM_VALUES']

/**
 * Plugin parameters every Application may set: value files inside the
 * repository, values, release name, output toggles. Not listed, so refused by
 * default: `load-restrictor`, which lets kustomize read any file of the
 * sidecar (`configMapGenerator` with `files: [/proc/1/environ]`).
 */
export const SAFE_APP_PARAMS: readonly string[] = [
  'render',
  'values-files',
  'values',
  'set',
  'set-string',
  'release-name',
  'include-crds',
  'skip-tests',
  'ignore-missing-value-files',
  'resolve-values-placeholders',
  'enable-helm',
]

/** The operator's decision for this sidecar. */
export interface AppPolicy {
  /** Plugin env keys (upper case, without `ARGOCD_ENV_`) an Application may set; `any` for `*`. */
  readonly envKeys: ReadonlySet<string> | 'any'
  /** Plugin parameter names an Application may set; `any` for `*`. */
  readonly params: ReadonlySet<string> | 'any'
}

type Env = Readonly<Record<string, string | undefined>>

export function readAppPolicy(env: Env): AppPolicy {
  return {
    envKeys: allowList(env[APP_ENV_ALLOWLIST_KEY], SAFE_APP_ENV_KEYS, (k) => k.toUpperCase()),
    params: allowList(env[APP_PARAM_ALLOWLIST_KEY], SAFE_APP_PARAMS, (k) => k.toLowerCase()),
  }
}

function allowList(
  raw: string | undefined,
  safe: readonly string[],
  normalize: (key: string) => string,
): ReadonlySet<string> | 'any' {
  const extra = (raw ?? '')
    .split(',')
    .map((k) => normalize(k.trim()))
    .filter((k) => k !== '')
  return extra.includes('*') ? 'any' : new Set([...safe, ...extra])
}

/** One issue per plugin env key the policy refuses; `keys` are upper case, prefix stripped. */
export function appEnvIssues(policy: AppPolicy, keys: Iterable<string>): string[] {
  const issues: string[] = []
  for (const key of keys) {
    if (OPERATOR_ONLY_KEYS.includes(key)) {
      issues.push(
        `${ARGOCD_ENV_PREFIX}${key}: an Application cannot change ${key}; only the sidecar's environment sets it`,
      )
    } else if (policy.envKeys !== 'any' && !policy.envKeys.has(key)) {
      issues.push(
        `${ARGOCD_ENV_PREFIX}${key}: Applications may not set ${key} on this plugin (it could select credentials, endpoints, files or cache locations); the operator can allow it with ${APP_ENV_ALLOWLIST_KEY} in the sidecar's environment (allowed: ${listed(policy.envKeys)})`,
      )
    }
  }
  return issues
}

/**
 * One issue per plugin parameter the policy refuses. `options` are the names
 * the plugin reads (render/param-names.ts); any other name is ignored (not
 * read at all) unless it names an operator-only key. Default: every name counts.
 */
export function appParamIssues(
  policy: AppPolicy,
  names: Iterable<string>,
  options?: readonly string[],
): string[] {
  const issues: string[] = []
  for (const name of names) {
    // Nothing reads these from a parameter; a parameter that looks like one
    // is refused all the same, so a tenant is told rather than ignored.
    const asKey = name.toUpperCase().replace(/[^A-Z0-9]/g, '_')
    if (OPERATOR_ONLY_KEYS.includes(asKey)) {
      issues.push(
        `plugin parameter "${name}": an Application cannot change ${asKey}; only the operator sets it`,
      )
    } else if (options !== undefined && !options.includes(name)) {
      continue
    } else if (policy.params !== 'any' && !policy.params.has(name)) {
      issues.push(
        `plugin parameter "${name}": Applications may not set it on this plugin (it widens what the render tools may read); the operator can allow it with ${APP_PARAM_ALLOWLIST_KEY} in the sidecar's environment`,
      )
    }
  }
  return issues
}

function listed(keys: ReadonlySet<string>): string {
  return [...keys].sort().join(', ')
}
