import { parseSecretName, type SecretName } from '../../config/kube-secret'
import { decodeSecretData } from '../../config/kube-secret-body'
import {
  refKey,
  type FetchFailure,
  type Lookup,
  type RefKey,
  type SecretRef,
} from '../../secrets/ref'
import { Secret } from '../../secrets/secret'
import { stoppedMessage } from '../deadline'
import { retrying } from '../retry'
import { runBounded } from '../run-bounded'
import type { Backend, BackendDeps, FetchContext } from '../types'
import type { KubeSecretConfig } from './config'
import { describeSecret, retryVerdict, statusFailure, transportFailure } from './errors'
import { inClusterPort, type KubeApi, type KubeSecretPort } from './port'

/** One distinct Secret to read and the refs it serves (versions are ignored, as in AVP). */
interface Target {
  readonly secret: SecretName
  readonly refs: SecretRef[]
}

/**
 * The `kubernetessecret` backend: one GET per distinct Secret, at most
 * `config.concurrency` at once, retried on 429, 5xx and connection errors
 * within the run's deadline. A missing key is left to the placeholder engine
 * (KEY_NOT_FOUND), as AVP returns nil for it.
 */
export function createKubeSecretBackend(
  config: KubeSecretConfig,
  deps: BackendDeps,
  port: KubeSecretPort = inClusterPort(deps, config.requestTimeoutMs),
): Backend {
  let connecting: ReturnType<KubeSecretPort> | undefined
  return {
    type: 'kubernetessecret',
    async fetchMany(refs, ctx) {
      const results = new Map<RefKey, Lookup>()
      const targets = new Map<string, Target>()
      for (const ref of refs) {
        const parsed = parseSecretName(ref.path, 'secret path')
        if (!parsed.ok) {
          results.set(refKey(ref), {
            ok: false,
            error: { code: 'CONFIG_INVALID', message: parsed.issue },
          })
          continue
        }
        const key = describeSecret(parsed.secret)
        const target = targets.get(key) ?? { secret: parsed.secret, refs: [] }
        target.refs.push(ref)
        targets.set(key, target)
      }
      if (targets.size === 0) return results
      connecting ??= port()
      const connection = await connecting
      if (!connection.ok) {
        const error: FetchFailure = {
          code: 'CONFIG_INVALID',
          message: `cannot read Kubernetes Secrets: ${connection.issues.join('; ')}`,
        }
        for (const target of targets.values()) {
          for (const ref of target.refs) results.set(refKey(ref), { ok: false, error })
        }
        return results
      }
      await runBounded([...targets.values()], config.concurrency, async (target) => {
        const lookup = await readSecret(connection.api, target.secret, ctx.signal, config, ctx)
        for (const ref of target.refs) results.set(refKey(ref), lookup)
      })
      return results
    },
  }
}

async function readSecret(
  api: KubeApi,
  secret: SecretName,
  signal: AbortSignal,
  config: KubeSecretConfig,
  ctx: FetchContext,
): Promise<Lookup> {
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
  if (!decoded.ok) return fail({ code: 'BACKEND_ERROR', message: decoded.issues.join('; ') })
  return { ok: true, data: new Secret(Object.fromEntries(decoded.values)) }
}

function fail(error: FetchFailure): Lookup {
  return { ok: false, error }
}
