import { setMaxListeners } from 'node:events'
import type { FetchFailure } from '../../secrets/ref'
import type { FetchContext } from '../types'
import type { CallContext } from './call'
import type { VaultConfig } from './config'
import type { VaultPort } from './port-types'

/** Listeners besides the calls in flight: the login before the fan-out, and room for one more. */
const LISTENER_MARGIN = 2

/** A `CallContext` for one `fetchMany`, with its own deadline; `dispose()` ends it. */
export interface RunContext extends CallContext {
  dispose(): void
}

/**
 * Combines the run's signal (Argo CD's SIGTERM, the CLI's run deadline) with
 * our own `AVP_DEADLINE` timer, so Vault calls stop in time even if the
 * caller set no deadline (docs/design/argocd-cmp-contract.md). Disposing closes the port,
 * which drops any connection still open.
 */
export function startRun(config: VaultConfig, port: VaultPort, ctx: FetchContext): RunContext {
  const deadline = new AbortController()
  const timer = setTimeout(() => {
    deadline.abort()
  }, config.deadlineMs)
  const signal = AbortSignal.any([ctx.signal, deadline.signal])
  // Every call in flight (a request or a retry's sleep) listens for the abort
  // and stops listening when it ends, so up to `concurrency` listeners are
  // normal. Node warns on stderr past 10; the limit is raised just enough that
  // a listener left behind by each call would still be reported.
  setMaxListeners(config.concurrency + LISTENER_MARGIN, signal)
  return {
    port,
    signal,
    log: ctx.log,
    address: config.address,
    namespace: config.namespace,
    maxAttempts: config.maxAttempts,
    requestTimeoutMs: config.requestTimeoutMs,
    abortFailure: (what) =>
      abortFailure(what, deadline.signal.aborted || isTimeout(ctx.signal), config),
    dispose() {
      clearTimeout(timer)
      port.close()
    },
  }
}

function abortFailure(what: string, byDeadline: boolean, config: VaultConfig): FetchFailure {
  if (byDeadline) {
    const seconds = String(config.deadlineMs / 1000)
    return {
      code: 'TIMEOUT',
      message: `Vault did not answer within the ${seconds} s deadline (AVP_DEADLINE) while ${what}`,
    }
  }
  return { code: 'TIMEOUT', message: `the run was stopped (SIGTERM or SIGINT) while ${what}` }
}

/** `AbortSignal.timeout()` aborts with a `TimeoutError` DOMException: the CLI's run deadline. */
function isTimeout(signal: AbortSignal): boolean {
  const reason: unknown = signal.reason
  return signal.aborted && reason instanceof Error && reason.name === 'TimeoutError'
}
