import { LAYER } from './layers'
import type { Settings } from './settings'

/**
 * Settings that choose where a credential is sent or which credential is
 * loaded (an endpoint, a token authority, a key file). An Application sets
 * `ARGOCD_ENV_*` and is not trusted (docs/security.md): whatever
 * `AVP_APP_ENV_ALLOWLIST` says, these come only from the sidecar's own
 * environment, the config file or the Kubernetes Secret.
 */
export function sidecarOnlyIssues(settings: Settings, keys: readonly string[]): string[] {
  return keys
    .filter((key) => settings.sourceOf(key) === LAYER.argocdEnv)
    .map(
      (key) =>
        `${LAYER.argocdEnv}${key}: ${key} chooses an endpoint or credential, so only the sidecar's environment, config file or Secret may set it`,
    )
}
