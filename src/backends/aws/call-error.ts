/**
 * A failed Secrets Manager call, reduced to allow-listed fields (style guide
 * B.4.2): the error `name`, the HTTP status, the request id and counts. Never
 * the SDK error's message, request or response, which `port.ts` drops.
 */
export interface AwsCallFacts {
  /** `err.name` (`ResourceNotFoundException`, `AbortError`, `TimeoutError`, …); sanitised. */
  readonly name: string
  /** A Node network code such as `ECONNREFUSED`, when there was no HTTP answer. */
  readonly networkCode?: string
  readonly httpStatus?: number
  readonly requestId?: string
  /** `$fault`: `server` for 5xx-class failures. */
  readonly fault?: 'client' | 'server'
  readonly attempts?: number
  /** True when the call was given up because its AbortSignal fired (deadline or SIGTERM). */
  readonly aborted: boolean
  /** True when any attempt of the call was throttled (seen by the port's attempt observer). */
  readonly throttled: boolean
  /** InvalidRequestException because the secret is scheduled for deletion (from the message, which is not kept). */
  readonly deletion: boolean
}

export class AwsCallError extends Error {
  override readonly name = 'AwsCallError'
  constructor(readonly facts: AwsCallFacts) {
    super(`Secrets Manager call failed: ${facts.name}`)
  }
}

/** Error names safe to print: identifier-like, so a hostile server cannot smuggle text through `__type`. */
export function safeName(name: unknown): string {
  return typeof name === 'string' && /^[A-Za-z][A-Za-z0-9_.]{0,99}$/.test(name)
    ? name
    : 'UnknownError'
}

/** Names the SDK's standard retry strategy treats as throttling (contracts.md §3.6). */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
  'TransactionInProgressException',
])

export function isThrottlingName(name: string): boolean {
  return THROTTLING.has(name)
}
