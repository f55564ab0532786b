import { ConfigError } from '../errors'
import { connectInCluster, type InClusterDeps } from '../kube/client'
import { describeTransportFailure } from '../kube/in-cluster'
import { getSecret, MAX_SECRET_ANSWER_BYTES, type SecretName } from '../kube/secret'
import { decodeSecretBody } from './kube-secret-body'

/** Reads one Kubernetes Secret's data. Injected so tests need no cluster. */
export interface KubeSecretReader {
  /**
   * Resolves to the Secret's decoded key/value pairs. Rejects with a
   * `ConfigError` whose issues start with `--secret-name:`; no issue ever
   * contains the service-account token or a value of the Secret.
   */
  read(secret: SecretName, signal?: AbortSignal): Promise<ReadonlyMap<string, string>>
}

/** AVP's `ArgoCDNamespace` (docs/design/avp-semantics.md). */
export const DEFAULT_SECRET_NAMESPACE = 'argocd'
export const KUBE_TIMEOUT_MS = 5000

// DNS-1123 label (namespaces) and subdomain (Secret names).
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

/**
 * Parses `[NAMESPACE:]NAME`. Exactly two parts are namespace and name, as in
 * AVP's `secretNamespaceName`; AVP turns `a:b:c` silently into `argocd/a`
 * and `:name` into an empty namespace, we reject both. `label` starts every
 * issue: `--secret-name` here, the secret path in the `kubernetessecret` backend.
 */
export function parseSecretName(
  value: string,
  label = '--secret-name',
):
  | { readonly ok: true; readonly secret: SecretName }
  | { readonly ok: false; readonly failure: string } {
  const parts = value.split(':')
  const [first, second] = parts
  const shape = `${label}: ${JSON.stringify(value)} must be NAME or NAMESPACE:NAME`
  if (parts.length > 2 || first === undefined || first === '' || second === '') {
    return { ok: false, failure: shape }
  }
  const secret =
    second === undefined
      ? { namespace: DEFAULT_SECRET_NAMESPACE, name: first }
      : { namespace: first, name: second }
  if (!LABEL.test(secret.namespace) || secret.namespace.length > 63) {
    return { ok: false, failure: `${shape}: namespace "${secret.namespace}" is not a valid name` }
  }
  if (!SUBDOMAIN.test(secret.name) || secret.name.length > 253) {
    return { ok: false, failure: `${shape}: "${secret.name}" is not a valid Secret name` }
  }
  return { ok: true, secret }
}

export interface InClusterOptions extends InClusterDeps {
  readonly timeoutMs?: number
}

/**
 * Reads Secrets from the in-cluster API like client-go's `InClusterConfig`:
 * `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`, the pod's
 * service-account token as bearer and its `ca.crt` as trust root.
 */
export function inClusterSecretReader(options: InClusterOptions): KubeSecretReader {
  const timeoutMs = options.timeoutMs ?? KUBE_TIMEOUT_MS
  return {
    async read(secret, signal) {
      const connection = await connectInCluster(options, {
        timeoutMs,
        maxResponseBytes: MAX_SECRET_ANSWER_BYTES,
      })
      if (!connection.ok)
        throw new ConfigError(connection.failures.map((i) => `--secret-name: ${i}`))
      const { client } = connection
      const where = `${secret.namespace}/${secret.name}`
      const result = await getSecret(client, secret, signal)
      if (!result.ok) {
        const what = `reading secret ${where}`
        return fail(describeTransportFailure(result.failure, client.target, what, timeoutMs))
      }
      if (result.status === 200) return decodeSecretBody(result.body, where)
      return fail(describeStatus(result.status, where))
    },
  }
}

function describeStatus(status: number, where: string): string {
  switch (status) {
    case 401:
      return `the Kubernetes API rejected the service account token (401) reading secret ${where}`
    case 403:
      return `the service account may not read secret ${where}: grant get on secrets`
    case 404:
      return `secret ${where} not found`
    default:
      return `reading secret ${where} failed: HTTP ${String(status)}`
  }
}

function fail(issue: string): never {
  throw new ConfigError([`--secret-name: ${issue}`])
}
