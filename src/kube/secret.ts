import type { JsonAnswer } from '../http/json-request'
import type { KubeClient } from './client'

/** A Secret named by `--secret-name` or a `kubernetessecret` path. */
export interface SecretName {
  readonly namespace: string
  readonly name: string
}

/** A Secret is at most 1 MiB; anything far larger is not a Secret and is not buffered. */
export const MAX_SECRET_ANSWER_BYTES = 4 * 1024 * 1024

/** The API path of one Secret. */
export function secretApiPath(secret: SecretName): string {
  const ns = encodeURIComponent(secret.namespace)
  return `/api/v1/namespaces/${ns}/secrets/${encodeURIComponent(secret.name)}`
}

/** The one Secret GET of `--secret-name` and the `kubernetessecret` backend. */
export function getSecret(
  client: KubeClient,
  secret: SecretName,
  signal?: AbortSignal,
): Promise<JsonAnswer> {
  return client.get(secretApiPath(secret), signal)
}
