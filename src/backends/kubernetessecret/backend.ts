import { parseSecretName } from '../../config/kube-secret'
import { decodeSecretData } from '../../config/kube-secret-body'
import type { SecretName } from '../../kube/secret'
import type { FetchFailure, Lookup, SecretRef } from '../../secrets/ref'
import { Secret } from '../../secrets/secret'
import { stoppedMessage } from '../deadline'
import { fetchDistinct, type Placement } from '../distinct'
import { retrying } from '../retry'
import type { Backend, FetchContext } from '../types'
import type { KubeSecretConfig } from './config'
import { describeSecret, retryVerdict, statusFailure, transportFailure } from './errors'
import type { KubeApi, KubeSecretPort } from './port'

/**
 * The `kubernetessecret` backend: one GET per distinct Secret (`app` and
 * `argocd:app` are one; versions are ignored, as in AVP), at most
 * `config.concurrency` at once, retried on 429, 5xx and connection errors
 * until the run's signal stops it. A missing key is left to the placeholder
 * engine (KEY_NOT_FOUND), as AVP returns nil for it.
 */
export function createKubeSecretBackend(config: KubeSecretConfig, port: KubeSecretPort): Backend {
  let connecting: ReturnType<KubeSecretPort> | undefined
  return {
    type: 'kubernetessecret',
    fetchMany(refs, ctx) {
      const place = (ref: SecretRef): Placement<SecretName> => {
        const parsed = parseSecretName(ref.path, 'secret path')
        if (!parsed.ok) return { failure: { code: 'CONFIG_INVALID', message: parsed.failure } }
        return { key: describeSecret(parsed.secret), target: parsed.secret }
      }
      const read = async (secret: SecretName): Promise<Lookup> => {
        // The service account is read on the first Secret only: no placeholder, no I/O.
        connecting ??= port()
        const connection = await connecting
        if (!connection.ok) {
          const issues = connection.failures.join('; ')
          return fail({
            code: 'CONFIG_INVALID',
            message: `cannot read Kubernetes Secrets: ${issues}`,
          })
        }
        return readSecret(connection.api, secret, config, ctx)
      }
      return fetchDistinct(refs, place, read, config.concurrency)
    },
  }
}

async function readSecret(
  api: KubeApi,
  secret: SecretName,
  config: KubeSecretConfig,
  ctx: FetchContext,
): Promise<Lookup> {
  const { signal } = ctx
  const where = describeSecret(secret)
  const { result, attempts } = await retrying(() => api.getSecret(secret, signal), retryVerdict, {
    maxAttempts: config.maxAttempts,
    signal,
    log: ctx.log,
    what: `get secret ${where}`,
  })
  if (signal.aborted) {
    const last = result.ok ? ` (last answer HTTP ${String(result.status)})` : ''
    return fail({
      code: 'TIMEOUT',
      message: `${stoppedMessage(signal, `reading secret ${where}`)}${last}`,
    })
  }
  if (!result.ok) {
    return fail(transportFailure(result, api.target, secret, config.requestTimeoutMs, attempts))
  }
  if (result.status !== 200) return fail(statusFailure(result.status, secret, attempts))
  const decoded = decodeSecretData(result.body, where)
  if (!decoded.ok) return fail({ code: 'BACKEND_ERROR', message: decoded.failures.join('; ') })
  return { ok: true, data: new Secret(Object.fromEntries(decoded.values)) }
}

function fail(error: FetchFailure): Lookup {
  return { ok: false, failure: error }
}
