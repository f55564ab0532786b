import type { FetchFailure } from '../../secrets/ref'
import { retryAfterMs, type Verdict } from '../retry'
import type { ConnectAnswer, ConnectFailure } from './port'

/** 429 and 5xx (Connect's sync with 1Password.com) and connection failures may pass. */
export function retryVerdict(answer: ConnectAnswer): Verdict {
  if (!answer.ok) {
    const { failure } = answer
    switch (failure.kind) {
      case 'aborted':
      case 'too-large':
        return { retry: false }
      case 'timeout':
        return { retry: true, reason: 'timeout' }
      case 'refused':
        return { retry: true, reason: 'ECONNREFUSED' }
      case 'tls':
      case 'network':
        return { retry: true, reason: failure.code }
    }
  }
  const { status } = answer
  if (status !== 429 && !(status >= 500 && status !== 501)) return { retry: false }
  const afterMs = retryAfterMs(answer.retryAfter)
  return {
    retry: true,
    reason: `HTTP ${String(status)}`,
    ...(afterMs === undefined ? {} : { afterMs }),
  }
}

/**
 * A non-2xx answer as one line about `what` (`vault "Prod"`, `item "db" in
 * vault "Prod"`). Connect's own `message` is never quoted: what reaches the
 * user is our text and the status only.
 */
export function statusFailure(status: number, what: string, attempts: number): FetchFailure {
  const tries = attempts > 1 ? `, ${String(attempts)} attempts` : ''
  switch (status) {
    case 401:
      return {
        code: 'AUTH_FAILED',
        message: `1Password Connect rejected the token (OP_CONNECT_TOKEN) reading ${what} (HTTP 401)`,
      }
    case 403:
      return {
        code: 'ACCESS_DENIED',
        message: `access denied to ${what}: the Connect token (OP_CONNECT_TOKEN) needs read access to the vault (HTTP 403)`,
      }
    case 404:
      return { code: 'SECRET_NOT_FOUND', message: `${what} not found in 1Password Connect` }
    case 429:
      return {
        code: 'THROTTLED',
        message: `1Password Connect throttled the requests for ${what} until the retries ran out (HTTP 429${tries})`,
      }
    default:
      return status >= 500
        ? {
            code: 'UNAVAILABLE',
            message: `1Password Connect failed reading ${what} (HTTP ${String(status)}${tries})`,
          }
        : { code: 'BACKEND_ERROR', message: `reading ${what} failed: HTTP ${String(status)}` }
  }
}

/** No answer: the host is shown by origin only (OP_CONNECT_HOST may carry user:password). */
export function transportFailure(
  failure: ConnectFailure,
  host: URL,
  what: string,
  timeoutMs: number,
  attempts: number,
): FetchFailure {
  const tries = attempts > 1 ? ` (${String(attempts)} attempts)` : ''
  const at = `1Password Connect at ${host.protocol}//${host.host}`
  switch (failure.kind) {
    case 'timeout':
      return {
        code: 'UNAVAILABLE',
        message: `${at} did not answer within ${String(timeoutMs / 1000)} s reading ${what}${tries}`,
      }
    case 'aborted':
      return { code: 'TIMEOUT', message: `reading ${what} was cancelled` }
    case 'refused':
      return { code: 'UNAVAILABLE', message: `cannot reach ${at} (ECONNREFUSED)${tries}` }
    case 'tls':
    case 'network':
      return { code: 'UNAVAILABLE', message: `cannot reach ${at} (${failure.code})${tries}` }
    case 'too-large':
      return {
        code: 'BACKEND_ERROR',
        message: `${at} answered ${what} with more than ${String(failure.limit)} bytes`,
      }
  }
}
