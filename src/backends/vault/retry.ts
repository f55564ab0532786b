import { fullJitterMs, pause, type RetryPolicy } from '../retry'
import { isRetryableCode, isRetryableStatus } from './errors'
import { VaultTransportError, type VaultResponse } from './port-types'

const BASE_MS = 250
const CAP_MS = 4000

/**
 * Runs `op` until it gets an answer worth keeping. The port sends each
 * request once (docs/design/vault-wire.md), so retries live here: on 429, 412, 5xx and connection errors,
 * with exponential backoff and full jitter; never on 400/403/404. The last
 * response (or transport error) is returned (or thrown) as is. Sleeping
 * stops at once when `signal` aborts.
 */
export async function withRetries(
  op: () => Promise<VaultResponse>,
  options: RetryPolicy,
): Promise<VaultResponse> {
  for (let attempt = 1; ; attempt++) {
    let reason: string
    try {
      const response = await op()
      if (!isRetryableStatus(response.status) || attempt >= options.maxAttempts) return response
      reason = `status ${String(response.status)}`
    } catch (err) {
      const retryable = err instanceof VaultTransportError && isRetryableCode(err.code)
      if (!retryable || attempt >= options.maxAttempts) throw err
      reason = err.code
    }
    const delayMs = backoffMs(attempt, options)
    options.log({ kind: 'retry', what: options.what, attempt, delayMs, reason })
    if (!(await pause(delayMs, options.signal))) throw new VaultTransportError('ABORTED')
  }
}

/** Vault's backoff: the shared full-jitter formula with Vault's own base. */
export function backoffMs(
  attempt: number,
  options: Pick<RetryPolicy, 'baseMs' | 'capMs' | 'random'>,
): number {
  return fullJitterMs(attempt, options.baseMs ?? BASE_MS, options.capMs ?? CAP_MS, options.random)
}
