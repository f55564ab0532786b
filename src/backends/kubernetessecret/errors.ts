import type { JsonAnswer } from '../../http/json-request'
import { describeTransportFailure, type ApiTarget } from '../../kube/in-cluster'
import type { SecretName } from '../../kube/secret'
import type { FetchFailure } from '../../secrets/ref'
import { retryAfterMs, type Verdict } from '../retry'

/** `namespace/name`, for messages. */
export function describeSecret(secret: SecretName): string {
  return `${secret.namespace}/${secret.name}`
}

/** 429 (API priority and fairness), 5xx and connection failures may pass; TLS and 4xx will not. */
export function retryVerdict(result: JsonAnswer): Verdict {
  if (result.ok) {
    const { status } = result
    if (status === 429 || (status >= 500 && status !== 501)) {
      const afterMs = retryAfterMs(result.retryAfter)
      return {
        retry: true,
        reason: `HTTP ${String(status)}`,
        ...(afterMs === undefined ? {} : { afterMs }),
      }
    }
    return { retry: false }
  }
  const { kind } = result.failure
  if (kind === 'timeout' || kind === 'refused' || kind === 'network')
    return { retry: true, reason: kind }
  return { retry: false }
}

/**
 * A non-200 answer as one line. The body (a `metav1.Status`) is never quoted:
 * its message is the server's text, which a proxy could fill with anything.
 */
export function statusFailure(status: number, secret: SecretName, attempts: number): FetchFailure {
  const where = describeSecret(secret)
  const tries = attempts > 1 ? `, ${String(attempts)} attempts` : ''
  switch (status) {
    case 401:
      return {
        code: 'AUTH_FAILED',
        message: `the Kubernetes API rejected the service account token (HTTP 401) reading secret ${where}`,
      }
    case 403:
      return {
        code: 'ACCESS_DENIED',
        message: `access denied to secret ${where}: the plugin's service account needs "get secrets in namespace ${secret.namespace}" (a Role and RoleBinding in ${secret.namespace})`,
      }
    case 404:
      return { code: 'SECRET_NOT_FOUND', message: `secret ${where} not found` }
    case 429:
      return {
        code: 'THROTTLED',
        message: `the Kubernetes API throttled the requests for secret ${where} until the retries ran out (HTTP 429${tries})`,
      }
    default:
      return status >= 500
        ? {
            code: 'UNAVAILABLE',
            message: `the Kubernetes API failed reading secret ${where} (HTTP ${String(status)}${tries})`,
          }
        : {
            code: 'BACKEND_ERROR',
            message: `reading secret ${where} failed: HTTP ${String(status)}`,
          }
  }
}

/** No answer at all: TLS, refused, unreachable, per-attempt timeout. */
export function transportFailure(
  result: Extract<JsonAnswer, { ok: false }>,
  target: ApiTarget,
  secret: SecretName,
  timeoutMs: number,
  attempts: number,
): FetchFailure {
  const tries = attempts > 1 ? ` (${String(attempts)} attempts)` : ''
  const message = `${describeTransportFailure(result.failure, target, `reading secret ${describeSecret(secret)}`, timeoutMs)}${tries}`
  const { kind } = result.failure
  return { code: kind === 'tls' || kind === 'too-large' ? 'BACKEND_ERROR' : 'UNAVAILABLE', message }
}
