import path from 'node:path'
import { describeFsError } from '../fs-error'
import type { HttpFailure } from '../http/json-request'

/**
 * Where the in-cluster Kubernetes API is and how to authenticate to it, as
 * client-go's `InClusterConfig` finds them: `KUBERNETES_SERVICE_HOST/PORT`
 * and the pod's service-account token and CA. Shared by `--secret-name`, the
 * `kubernetessecret` backend and `refresh`. Everything comes from the sidecar's own
 * environment, never from a setting, so an Application cannot point the
 * token at another server.
 */
export interface ApiTarget {
  readonly host: string
  readonly port: number
  /** `host:port` for messages. */
  readonly api: string
  /** The service-account directory (`token`, `ca.crt`). */
  readonly dir: string
}

export interface ServiceAccount {
  readonly token: string
  /** PEM CA bundle of the cluster. */
  readonly ca: string
}

export const DEFAULT_SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'

/** The API endpoint, or an issue (without a key prefix) saying why there is none. */
export function inClusterTarget(
  env: Readonly<Record<string, string | undefined>>,
): ApiTarget | { readonly failure: string } {
  const host = env['KUBERNETES_SERVICE_HOST'] ?? ''
  const port = env['KUBERNETES_SERVICE_PORT'] ?? ''
  if (host === '')
    return { failure: 'not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST is not set)' }
  if (port === '')
    return { failure: 'not running in a Kubernetes pod (KUBERNETES_SERVICE_PORT is not set)' }
  if (!/^\d{1,5}$/.test(port)) return { failure: 'KUBERNETES_SERVICE_PORT is not a port number' }
  const dirSetting = env['AVP_SERVICE_ACCOUNT_DIR']
  return {
    host,
    port: Number(port),
    api: `${host.includes(':') ? `[${host}]` : host}:${port}`,
    dir: dirSetting === undefined || dirSetting === '' ? DEFAULT_SERVICE_ACCOUNT_DIR : dirSetting,
  }
}

/** Reads `token` and `ca.crt`; failures name the files and the errno, never their content. */
export async function readServiceAccount(
  dir: string,
  readFile: (p: string) => Promise<string>,
): Promise<ServiceAccount | { readonly failures: readonly string[] }> {
  const read = async (file: string): Promise<string | { error: string }> => {
    const full = path.join(dir, file)
    try {
      return await readFile(full)
    } catch (error) {
      return { error: `cannot read ${full}: ${describeFsError(error)}` }
    }
  }
  const [token, ca] = await Promise.all([read('token'), read('ca.crt')])
  if (typeof token !== 'string' || typeof ca !== 'string') {
    return { failures: [token, ca].flatMap((r) => (typeof r === 'string' ? [] : [r.error])) }
  }
  if (token.trim() === '') {
    return { failures: [`the service account token ${path.join(dir, 'token')} is empty`] }
  }
  return { token: token.trim(), ca }
}

/**
 * Why a request got no answer, naming the API and never the token. `what` is
 * the request in words ("reading secret argocd/x").
 */
export function describeTransportFailure(
  failure: HttpFailure,
  { api, dir }: ApiTarget,
  what: string,
  timeoutMs: number,
): string {
  switch (failure.kind) {
    case 'timeout':
      return `the Kubernetes API at ${api} did not answer within ${String(timeoutMs / 1000)} s`
    case 'aborted':
      return `${what} was cancelled`
    case 'tls':
      return `TLS verification of the Kubernetes API at ${api} failed (${failure.code}); check ${path.join(dir, 'ca.crt')}`
    case 'refused':
      return `cannot connect to the Kubernetes API at ${api} (connection refused)`
    case 'network':
      return `cannot reach the Kubernetes API at ${api} (${failure.code})`
    case 'too-large':
      return `${what}: the Kubernetes API answer is larger than ${String(Math.round(failure.limit / 1048576))} MiB`
  }
}
