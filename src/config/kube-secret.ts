import { readFile as fsReadFile } from 'node:fs/promises'
import path from 'node:path'
import { ConfigError } from '../errors'
import type { Redactor } from '../secrets/redact'
import { describeFsError } from './config-file'
import { kubeGet } from './kube-request'
import type { KubeGetFailure } from './kube-request'
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

/** AVP's `ArgoCDNamespace` (avp-behaviour.md §2.1 a). */
export const DEFAULT_SECRET_NAMESPACE = 'argocd'
export const DEFAULT_SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'
export const KUBE_TIMEOUT_MS = 5000

// DNS-1123 label (namespaces) and subdomain (Secret names).
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

/**
 * Parses `[NAMESPACE:]NAME`. Exactly two parts are namespace and name, as in
 * AVP's `secretNamespaceName`; AVP turns `a:b:c` silently into `argocd/a`
 * and `:name` into an empty namespace, we reject both.
 */
export function parseSecretName(
  value: string,
):
  | { readonly ok: true; readonly secret: SecretName }
  | { readonly ok: false; readonly issue: string } {
  const parts = value.split(':')
  const [first, second] = parts
  const shape = `--secret-name: ${JSON.stringify(value)} must be NAME or NAMESPACE:NAME`
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
      const target = apiTarget(options.env)
      const [token, ca] = await readServiceAccount(target.dir, readFile)
      options.redactor?.add(token)
      const where = `${secret.namespace}/${secret.name}`
      const ns = encodeURIComponent(secret.namespace)
      const result = await kubeGet({
        host: target.host,
        port: target.port,
        path: `/api/v1/namespaces/${ns}/secrets/${encodeURIComponent(secret.name)}`,
        token,
        ca,
        timeoutMs,
        ...(signal === undefined ? {} : { signal }),
      })
      if (!result.ok) return fail(describeFailure(result.failure, target, where, timeoutMs))
      if (result.status === 200) return decodeSecretBody(result.body, where)
      return fail(describeStatus(result.status, where))
    },
  }
}

interface ApiTarget {
  readonly host: string
  readonly port: number
  /** `host:port` for messages. */
  readonly api: string
  readonly dir: string
}

function apiTarget(env: Readonly<Record<string, string | undefined>>): ApiTarget {
  const host = env['KUBERNETES_SERVICE_HOST'] ?? ''
  const port = env['KUBERNETES_SERVICE_PORT'] ?? ''
  if (host === '') fail('not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST is not set)')
  if (port === '') fail('not running in a Kubernetes pod (KUBERNETES_SERVICE_PORT is not set)')
  if (!/^\d{1,5}$/.test(port)) fail('KUBERNETES_SERVICE_PORT is not a port number')
  const dirSetting = env['AVP_SERVICE_ACCOUNT_DIR']
  return {
    host,
    port: Number(port),
    api: `${host.includes(':') ? `[${host}]` : host}:${port}`,
    dir: dirSetting === undefined || dirSetting === '' ? DEFAULT_SERVICE_ACCOUNT_DIR : dirSetting,
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

async function readServiceAccount(
  dir: string,
  readFile: (p: string) => Promise<string>,
): Promise<[string, string]> {
  const read = async (file: string): Promise<string | { error: string }> => {
    const full = path.join(dir, file)
    try {
      return await readFile(full)
    } catch (error) {
      return { error: `--secret-name: cannot read ${full}: ${describeFsError(error)}` }
    }
  }
  const [token, ca] = await Promise.all([read('token'), read('ca.crt')])
  const issues = [token, ca].flatMap((r) => (typeof r === 'string' ? [] : [r.error]))
  if (typeof token !== 'string' || typeof ca !== 'string') throw new ConfigError(issues)
  if (token.trim() === '') fail(`the service account token ${path.join(dir, 'token')} is empty`)
  return [token.trim(), ca]
}

function describeFailure(
  failure: KubeGetFailure,
  { api, dir }: ApiTarget,
  where: string,
  timeoutMs: number,
): string {
  switch (failure.kind) {
    case 'timeout':
      return `the Kubernetes API at ${api} did not answer within ${String(timeoutMs / 1000)} s`
    case 'aborted':
      return `reading secret ${where} was cancelled`
    case 'tls':
      return `TLS verification of the Kubernetes API at ${api} failed (${failure.code}); check ${path.join(dir, 'ca.crt')}`
    case 'refused':
      return `cannot connect to the Kubernetes API at ${api} (connection refused)`
    case 'network':
      return `cannot reach the Kubernetes API at ${api} (${failure.code})`
  }
}
