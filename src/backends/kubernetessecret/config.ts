import type { RequestLimits } from '../request-limits'
import type { ConfigResult } from '../types'

/**
 * The configuration of `AVP_TYPE=kubernetessecret`. There is nothing to
 * configure: the API server, the token and the CA are the pod's own (`KUBERNETES_SERVICE_HOST/PORT`, the mounted service
 * account), read from the sidecar's environment and never from a setting.
 */
export type KubeSecretConfig = RequestLimits

/**
 * 8 GETs at once: client-go's default client-side limit is 5 QPS with a burst
 * of 10, and the API server's priority and fairness handles more; a render
 * rarely names more than a few Secrets.
 */
const CONCURRENCY = 8
const MAX_ATTEMPTS = 3
const REQUEST_TIMEOUT_MS = 5_000

/** Nothing to read from the settings; the signature is every entry's. */
export function parseKubeSecretConfig(): ConfigResult<KubeSecretConfig> {
  return {
    ok: true,
    config: {
      concurrency: CONCURRENCY,
      maxAttempts: MAX_ATTEMPTS,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    },
  }
}
