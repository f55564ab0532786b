import type { DebugLog } from '../../log'
import type { FetchFailure } from '../../secrets/ref'
import { notJsonSuccess, plainHttpToTls, transportFailure } from './errors'
import { VaultTransportError, type VaultPort, type VaultResponse } from './port-types'
import { withRetries } from './retry'

/** Everything one Vault call of a run needs. */
export interface CallContext {
  readonly port: VaultPort
  /** Aborted by the deadline (`AVP_DEADLINE`) or by the run (SIGTERM). */
  readonly signal: AbortSignal
  readonly log: DebugLog
  readonly address: string
  /** `VAULT_NAMESPACE`, for messages. */
  readonly namespace: string | undefined
  readonly maxAttempts: number
  readonly requestTimeoutMs: number
  /** The failure for a call cut short by `signal`: the deadline or a cancellation. */
  abortFailure(what: string): FetchFailure
}

/** An HTTP answer, or why there was none. */
export type Answer =
  | { readonly ok: true; readonly response: VaultResponse }
  | { readonly ok: false; readonly failure: FetchFailure }

/**
 * One logical Vault call with retries (retry.ts). Transport errors become
 * failures here, and so do plain HTTP sent to a TLS port and a success whose
 * body is not JSON; other HTTP
 * statuses are left to the caller, which knows what a 404 means for its request. `what` names the operation for messages:
 * `reading secret/data/app`.
 */
export async function callVault(
  ctx: CallContext,
  what: string,
  op: (signal: AbortSignal) => Promise<VaultResponse>,
): Promise<Answer> {
  if (ctx.signal.aborted) return { ok: false, failure: ctx.abortFailure(what) }
  try {
    const response = await withRetries(() => op(ctx.signal), {
      maxAttempts: ctx.maxAttempts,
      signal: ctx.signal,
      log: ctx.log,
      what,
    })
    const wrongScheme = plainHttpToTls(response, what, ctx.address)
    if (wrongScheme !== undefined) return { ok: false, failure: wrongScheme }
    const garbled = notJsonSuccess(response, what)
    if (garbled !== undefined) return { ok: false, failure: garbled }
    return { ok: true, response }
  } catch (err) {
    if (!(err instanceof VaultTransportError)) throw err
    if (err.code === 'ABORTED' || isAborted(ctx.signal)) {
      return { ok: false, failure: ctx.abortFailure(what) }
    }
    return { ok: false, failure: transportFailure(err.code, what, ctx) }
  }
}

/** Read through a call: TypeScript narrows `signal.aborted` to false after the first check, but it may change while awaiting. */
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted
}
