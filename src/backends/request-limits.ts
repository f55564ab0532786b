/**
 * The limits of a backend that makes its own HTTP requests, with no SDK to
 * retry for it (`kubernetessecret`, `1passwordconnect`; see retry.ts). The
 * run's deadline is not one of them: it is the run's signal.
 */
export interface RequestLimits {
  /** Reads in flight at once. */
  readonly concurrency: number
  /** Attempts per request on 429, 5xx and connection errors, the first included. */
  readonly maxAttempts: number
  /** Time for one attempt's answer. */
  readonly requestTimeoutMs: number
}
