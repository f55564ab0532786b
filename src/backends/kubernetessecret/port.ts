// The only file that talks to the Kubernetes API for this backend. There is
// no SDK: the in-cluster Secret GET that `--secret-name` uses (kube/secret.ts)
// is enough for one resource kind and keeps @kubernetes/client-node (and its
// request stack, whose errors can carry the bearer token) out of the image.
import type { JsonAnswer } from '../../http/json-request'
import { connectInCluster } from '../../kube/client'
import type { ApiTarget } from '../../kube/in-cluster'
import { getSecret, MAX_SECRET_ANSWER_BYTES, type SecretName } from '../../kube/secret'
import type { BackendDeps } from '../types'

/** The API server of this run, ready for requests. */
export interface KubeApi {
  readonly target: ApiTarget
  /** One GET; never rejects (failures come back as data, see http/json-request.ts). */
  getSecret(secret: SecretName, signal: AbortSignal): Promise<JsonAnswer>
}

/** Our narrow view of the Kubernetes API. Tests implement it in memory. */
export type KubeSecretPort = () => Promise<
  | { readonly ok: true; readonly api: KubeApi }
  | { readonly ok: false; readonly failures: readonly string[] }
>

/**
 * The pod's own API server and service account, found in the sidecar's
 * environment (never in a setting, so an Application cannot send the token
 * elsewhere). The token is registered with the redactor as soon as it is read.
 */
export function inClusterPort(deps: BackendDeps, timeoutMs: number): KubeSecretPort {
  return async () => {
    const connection = await connectInCluster(
      { env: deps.env, registerSecret: deps.registerSecret },
      { timeoutMs, maxResponseBytes: MAX_SECRET_ANSWER_BYTES },
    )
    if (!connection.ok) return connection
    const { client } = connection
    return {
      ok: true,
      api: {
        target: client.target,
        getSecret: (secret, signal) => getSecret(client, secret, signal),
      },
    }
  }
}
