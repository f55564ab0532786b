import { LAYER } from '../config/layers'
import type { Settings } from '../config/settings'

/**
 * A setting only the operator may give (sidecar environment, config file or
 * config Secret): a backend's endpoint, credential or key file. An
 * Application can set any `ARGOCD_ENV_<KEY>`; were it allowed to set these,
 * it could send the sidecar's token to its own server or make the sidecar
 * use another tenant's key. Refused here whatever AVP_APP_ENV_ALLOWLIST
 * says. Returns the trimmed value (`undefined` when unset) and pushes an
 * issue naming the key when an Application set it.
 */
export function operatorSetting(
  settings: Settings,
  key: string,
  issues: string[],
): string | undefined {
  const value = settings.get(key)?.trim()
  if (value === undefined || value === '') return undefined
  if (settings.sourceOf(key) === LAYER.argocdEnv) {
    issues.push(
      `${key}: an Application cannot set it (ARGOCD_ENV_${key}); set it in the sidecar's environment or the plugin's configuration`,
    )
    return undefined
  }
  return value
}
