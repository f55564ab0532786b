import { refKey, type Lookup, type RefKey, type SecretRef } from '../../secrets/ref'
import { abortedByDeadline } from '../deadline'
import { retrying } from '../retry'
import { runBounded } from '../run-bounded'
import type { Backend, BackendDeps, FetchContext } from '../types'
import type { GcpConfig } from './config'
import { classifyFailure, isRetryable } from './errors'
import { payloadLookup } from './payload'
import { GcpCallError, type GcpCallFacts, type SecretManagerPort } from './port-types'
import { planTargets, type GcpTarget } from './target'

type Attempt =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly facts: GcpCallFacts }

/**
 * The `gcpsecretmanager` backend: one AccessSecretVersion per distinct
 * (secret, version), `config.concurrency` at a time, each retried on
 * throttling and server or network failures until the run's signal aborts.
 * Credentials are the client library's (ADC); none passes through here.
 */
export function createGcpBackend(
  config: GcpConfig,
  _deps: BackendDeps,
  port: SecretManagerPort,
): Backend {
  return {
    type: 'gcpsecretmanager',
    async fetchMany(refs: readonly SecretRef[], ctx: FetchContext) {
      const plan = planTargets(refs)
      const results = new Map<RefKey, Lookup>()
      for (const { ref, failure } of plan.rejected) {
        results.set(refKey(ref), { ok: false, failure })
      }
      await runBounded(plan.targets, config.concurrency, async (target) => {
        const lookup = await fetchTarget(port, target, config, ctx)
        for (const ref of target.refs) results.set(refKey(ref), lookup)
      })
      return results
    },
  }
}

async function fetchTarget(
  port: SecretManagerPort,
  target: GcpTarget,
  config: GcpConfig,
  ctx: FetchContext,
): Promise<Lookup> {
  let retried: string | undefined
  const { result, attempts } = await retrying(
    () => attempt(port, target, config, ctx.signal),
    (outcome) => {
      if (outcome.ok || outcome.facts.aborted || !isRetryable(outcome.facts))
        return { retry: false }
      const f = outcome.facts
      retried = f.status ?? f.networkCode ?? `HTTP ${String(f.httpStatus)}`
      return { retry: true, reason: retried }
    },
    {
      maxAttempts: config.maxAttempts,
      signal: ctx.signal,
      log: ctx.log,
      what: `access ${target.name}`,
    },
  )
  if (result.ok) return payloadLookup(target, result.bytes)
  // A pause between attempts cut short by the run's signal leaves the last failure; report the abort.
  const facts = ctx.signal.aborted ? { aborted: true } : result.facts
  return {
    ok: false,
    failure: classifyFailure(facts, {
      label: target.label,
      deadlineMs: ctx.deadlineMs,
      deadlineHit: abortedByDeadline(ctx.signal),
      attempts,
      ...(retried === undefined ? {} : { retried }),
    }),
  }
}

/**
 * One AccessSecretVersion. Each attempt also has its own time limit, so one
 * stuck connection is abandoned and retried instead of eating the whole
 * deadline; running out of it counts as DEADLINE_EXCEEDED.
 */
async function attempt(
  port: SecretManagerPort,
  target: GcpTarget,
  config: GcpConfig,
  run: AbortSignal,
): Promise<Attempt> {
  const signal = AbortSignal.any([run, AbortSignal.timeout(config.attemptTimeoutMs)])
  try {
    return { ok: true, bytes: await port.access(target.name, signal) }
  } catch (err) {
    if (!(err instanceof GcpCallError)) throw err
    const facts = err.facts
    if (facts.aborted && !run.aborted) {
      return { ok: false, facts: { ...facts, aborted: false, status: 'DEADLINE_EXCEEDED' } }
    }
    return { ok: false, facts }
  }
}
