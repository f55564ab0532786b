// The only file that talks to the Kubernetes API for this backend. There is
// no SDK: the in-cluster GET that `--secret-name` uses is enough for one
// resource kind and keeps @kubernetes/client-node (and its request stack,
// whose errors can carry the bearer token) out of the image.
import { readFile } from 'node:fs/promises'
import { inClusterTarget, readServiceAccount, type ApiTarget } from '../../config/kube-in-cluster'
import { kubeGet, type KubeGetResult } from '../../config/kube-request'
import { secretApiPath, type SecretName } from '../../config/kube-secret'
import type { BackendDeps } from '../types'

/** The API server of this run, ready for requests. */
export interface KubeApi {
  readonly target: ApiTarget
  /** One GET; never rejects (failures come back as data, see kube-request.ts). */
  getSecret(secret: SecretName, signal: AbortSignal): Promise<KubeGetResult>
}

/** Our narrow view of the Kubernetes API. Tests implement it in memory. */
export type KubeSecretPort = () => Promise<
  | { readonly ok: true; readonly api: KubeApi }
  | { readonly ok: false; readonly issues: readonly string[] }
>

/**
 * The pod's own API server and service account, found in the sidecar's
 * environment (never in a setting, so an Application cannot send the token
 * elsewhere). The token is registered with the redactor as soon as it is read.
 */
export function inClusterPort(deps: BackendDeps, timeoutMs: number): KubeSecretPort {
  return async () => {
    const target = inClusterTarget(deps.env)
    if ('issue' in target) return { ok: false, issues: [target.issue] }
    const account = await readServiceAccount(target.dir, (p) => readFile(p, 'utf8'))
    if ('issues' in account) return { ok: false, issues: account.issues }
    deps.redactor.add(account.token)
    return {
      ok: true,
      api: {
        target,
        getSecret: (secret, signal) =>
          kubeGet({
            host: target.host,
            port: target.port,
            path: secretApiPath(secret),
            token: account.token,
            ca: account.ca,
            timeoutMs,
            signal,
          }),
      },
    }
  }
}
