import type { FetchFailure } from '../secrets/ref'

/**
 * Whether the run's signal was aborted by the run's deadline rather than by
 * SIGTERM from Argo CD: the two call for different messages. The pipeline
 * builds the signal with `AbortSignal.timeout`, which aborts with a
 * `TimeoutError` (https://developer.mozilla.org/docs/Web/API/AbortSignal/timeout_static).
 */
export function abortedByDeadline(signal: AbortSignal): boolean {
  const reason: unknown = signal.reason
  return (
    signal.aborted &&
    typeof reason === 'object' &&
    reason !== null &&
    (reason as { name?: unknown }).name === 'TimeoutError'
  )
}

/** The TIMEOUT message of a read the run's signal stopped, deadline or SIGTERM. */
export function stoppedMessage(signal: AbortSignal, what: string): string {
  return abortedByDeadline(signal)
    ? `${what} did not finish before the run deadline (AVP_DEADLINE)`
    : `${what} was cancelled: the plugin was asked to stop`
}

/** What a backend knew when the run's signal stopped one of its reads. */
export interface StoppedRead {
  /** `secret app/db`: names the secret, never a value. */
  readonly label: string
  readonly deadlineMs: number
  /** The run's deadline had passed (rather than SIGTERM) when the read was aborted. */
  readonly deadlineHit: boolean
}

/**
 * The failure of a read the run stopped: cancelled by SIGTERM, or out of
 * time, in which case the message says whether `service` (`AWS`, `GCP`, …)
 * had been throttling the requests or simply did not answer.
 */
export function stoppedReadFailure(
  read: StoppedRead,
  service: { readonly short: string; readonly long: string },
  throttled: boolean,
): FetchFailure {
  if (!read.deadlineHit) {
    return { code: 'TIMEOUT', message: `reading ${read.label} was cancelled (the run was stopped)` }
  }
  const seconds = String(read.deadlineMs / 1000)
  if (throttled) {
    return {
      code: 'THROTTLED',
      message: `${service.short} throttled the requests and they could not finish within the ${seconds} s deadline (AVP_DEADLINE) while reading ${read.label}`,
    }
  }
  return {
    code: 'TIMEOUT',
    message: `${service.long} did not answer within the ${seconds} s deadline (AVP_DEADLINE) while reading ${read.label}`,
  }
}
