import type { DebugLog } from '../log'

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number
  /** Aborts the pause between attempts (run deadline, SIGTERM). */
  readonly signal: AbortSignal
  readonly log: DebugLog
  /** For the debug log: `get secret argocd/app`. Never a value. */
  readonly what: string
  readonly baseMs?: number
  readonly capMs?: number
  readonly random?: () => number
}

/** What one attempt's outcome calls for: keep it, or try again (with the server's hint, if any). */
export type Verdict =
  | { readonly retry: false }
  | { readonly retry: true; readonly reason: string; readonly afterMs?: number }

export interface Retried<T> {
  /** The last outcome: a success, a final failure, or the one before the signal aborted. */
  readonly result: T
  readonly attempts: number
}

const BASE_MS = 200
const CAP_MS = 4000

/**
 * Runs `attempt` until `judge` keeps its outcome or the attempts run out, with
 * exponential backoff and full jitter between attempts (AWS architecture
 * blog, "Exponential Backoff And Jitter"), or the server's `Retry-After`
 * when it sent one, capped. For HTTP backends without an SDK that retries
 * (Kubernetes API, 1Password Connect). An abort during a pause ends the loop
 * with the last outcome; the caller sees the aborted signal.
 */
export async function retrying<T>(
  attempt: () => Promise<T>,
  judge: (outcome: T) => Verdict,
  policy: RetryPolicy,
): Promise<Retried<T>> {
  const cap = policy.capMs ?? CAP_MS
  const base = policy.baseMs ?? BASE_MS
  for (let n = 1; ; n++) {
    const result = await attempt()
    const verdict = judge(result)
    if (!verdict.retry || n >= policy.maxAttempts || policy.signal.aborted) {
      return { result, attempts: n }
    }
    const delayMs =
      verdict.afterMs === undefined
        ? fullJitterMs(n, base, cap, policy.random)
        : Math.round(Math.min(cap, verdict.afterMs))
    policy.log({ kind: 'retry', what: policy.what, attempt: n, delayMs, reason: verdict.reason })
    if (!(await pause(delayMs, policy.signal))) return { result, attempts: n }
  }
}

/**
 * Full jitter: uniform in [0, min(cap, base·2^(attempt-1))], rounded (AWS
 * architecture blog, "Exponential Backoff And Jitter"). The one backoff
 * formula of every backend that retries by itself.
 */
export function fullJitterMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  return Math.round(random() * Math.min(capMs, baseMs * 2 ** (attempt - 1)))
}

/** `Retry-After` in seconds (the HTTP-date form is rare on these APIs and ignored). */
export function retryAfterMs(header: string | null | undefined): number | undefined {
  if (header === null || header === undefined || !/^\d{1,4}$/.test(header.trim())) return undefined
  return Number(header.trim()) * 1000
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. The one wait of every backend. */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false)
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
