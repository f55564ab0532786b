import { readFile as fsReadFile } from 'node:fs/promises'
import { ConfigError } from '../errors'
import type { Redactor } from '../secrets/redact'
import { describeTransportFailure, inClusterTarget, readServiceAccount } from './kube-in-cluster'
import { kubeGet } from './kube-request'
import { decodeSecretBody } from './kube-secret-body'

/** A Secret named by `--secret-name`. */
export interface SecretName {
  readonly namespace: string
  readonly name: string
}

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
  | { readonly ok: false; readonly issue: string } {
  const parts = value.split(':')
  const [first, second] = parts
  const shape = `${label}: ${JSON.stringify(value)} must be NAME or NAMESPACE:NAME`
  if (parts.length > 2 || first === undefined || first === '' || second === '') {
    return { ok: false, issue: shape }
  }
  const secret =
    second === undefined
      ? { namespace: DEFAULT_SECRET_NAMESPACE, name: first }
      : { namespace: first, name: second }
  if (!LABEL.test(secret.namespace) || secret.namespace.length > 63) {
    return { ok: false, issue: `${shape}: namespace "${secret.namespace}" is not a valid name` }
  }
  if (!SUBDOMAIN.test(secret.name) || secret.name.length > 253) {
    return { ok: false, issue: `${shape}: "${secret.name}" is not a valid Secret name` }
  }
  return { ok: true, secret }
}

/** The API path of one Secret. */
export function secretApiPath(secret: SecretName): string {
  const ns = encodeURIComponent(secret.namespace)
  return `/api/v1/namespaces/${ns}/secrets/${encodeURIComponent(secret.name)}`
}

export interface InClusterOptions {
  /** The sidecar's own environment: `KUBERNETES_SERVICE_HOST/PORT`, `AVP_SERVICE_ACCOUNT_DIR`. */
  readonly env: Readonly<Record<string, string | undefined>>
  readonly readFile?: (p: string) => Promise<string>
  readonly timeoutMs?: number
  /** The service-account token is registered here as soon as it is read. */
  readonly redactor?: Redactor
}

/**
 * Reads Secrets from the in-cluster API like client-go's `InClusterConfig`:
 * `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`, the pod's
 * service-account token as bearer and its `ca.crt` as trust root.
 */
export function inClusterSecretReader(options: InClusterOptions): KubeSecretReader {
  const readFile = options.readFile ?? ((p: string) => fsReadFile(p, 'utf8'))
  const timeoutMs = options.timeoutMs ?? KUBE_TIMEOUT_MS
  return {
    async read(secret, signal) {
      const target = inClusterTarget(options.env)
      if ('issue' in target) return fail(target.issue)
      const account = await readServiceAccount(target.dir, readFile)
      if ('issues' in account)
        throw new ConfigError(account.issues.map((i) => `--secret-name: ${i}`))
      options.redactor?.add(account.token)
      const where = `${secret.namespace}/${secret.name}`
      const result = await kubeGet({
        host: target.host,
        port: target.port,
        path: secretApiPath(secret),
        token: account.token,
        ca: account.ca,
        timeoutMs,
        ...(signal === undefined ? {} : { signal }),
      })
      if (!result.ok)
        return fail(describeTransportFailure(result.failure, target, where, timeoutMs))
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
