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
