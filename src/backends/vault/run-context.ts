import { setMaxListeners } from 'node:events'
import type { FetchFailure } from '../../secrets/ref'
import { abortedByDeadline } from '../deadline'
import type { FetchContext } from '../types'
import type { CallContext } from './call'
import type { VaultConfig } from './config'
import type { VaultPort } from './port-types'

/** Listeners besides the calls in flight: the login before the fan-out, and room for one more. */
const LISTENER_MARGIN = 2

/** A `CallContext` for one `fetchMany`; `dispose()` ends it. */
export interface RunContext extends CallContext {
  dispose(): void
}

/**
 * Follows the run's signal, the only deadline (the pipeline aborts it when
 * `AVP_DEADLINE` passes, Argo CD's SIGTERM aborts it too;
 * docs/design/argocd-cmp-contract.md). Disposing closes the port, which drops
 * any connection still open.
 */
export function startRun(config: VaultConfig, port: VaultPort, ctx: FetchContext): RunContext {
  // A signal of our own that follows the run's, so its listener limit is ours to set.
  const signal = AbortSignal.any([ctx.signal])
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
    abortFailure: (what) => abortFailure(what, abortedByDeadline(ctx.signal), ctx.deadlineMs),
    dispose() {
      port.close()
    },
  }
}

function abortFailure(what: string, byDeadline: boolean, deadlineMs: number): FetchFailure {
  if (byDeadline) {
    const seconds = String(deadlineMs / 1000)
    return {
      code: 'TIMEOUT',
      message: `Vault did not answer within the ${seconds} s deadline (AVP_DEADLINE) while ${what}`,
    }
  }
  return { code: 'TIMEOUT', message: `the run was stopped (SIGTERM or SIGINT) while ${what}` }
}
