import { refKey, type Lookup, type RefKey, type SecretRef } from '../../secrets/ref'
import { Secret } from '../../secrets/secret'
import { abortedByDeadline } from '../deadline'
import { retrying } from '../retry'
import { runBounded } from '../run-bounded'
import type { Backend, BackendDeps, FetchContext } from '../types'
import type { AzureConfig } from './config'
import { classifyFailure, failsWholeVault, isRetryable } from './errors'
import {
  AzureCallError,
  type AzureCallFacts,
  type AzureSecretValue,
  type KeyVaultPort,
} from './port-types'
import { planTargets, type AzureTarget } from './target'

type Attempt =
  | { readonly ok: true; readonly secret: AzureSecretValue }
  | { readonly ok: false; readonly facts: AzureCallFacts }

/** How one target ended: read, absent from the vault, or failed (with how many attempts). */
type Outcome =
  | Attempt
  | {
      readonly ok: false
      readonly facts: AzureCallFacts
      readonly attempts: number
      readonly throttled: boolean
    }

/**
 * The `azurekeyvault` backend: the path is a vault, the key a secret name
 * (the planner makes one ref per key for it, `refPerKey`), so it makes one
 * GetSecret per distinct (vault, secret, version) instead of listing the
 * vault and reading every secret in it. Each vault's first read goes alone:
 * it answers Key Vault's authentication challenge, which the client then
 * reuses for the vault's other reads, made `config.concurrency` at a time.
 * Reads are retried on throttling and server or network failures until the
 * run's signal aborts.
 */
export function createAzureBackend(
  config: AzureConfig,
  _deps: BackendDeps,
  port: KeyVaultPort,
): Backend {
  return {
    type: 'azurekeyvault',
    async fetchMany(refs: readonly SecretRef[], ctx: FetchContext) {
      const plan = planTargets(refs)
      const results = new Map<RefKey, Lookup>()
      for (const { ref, failure } of plan.rejected) {
        results.set(refKey(ref), { ok: false, failure })
      }
      // A key that cannot name a Key Vault secret is simply not in the vault.
      for (const ref of plan.impossible) results.set(refKey(ref), notInVault())
      const answer = (target: AzureTarget, outcome: Outcome): void => {
        for (const ref of target.refs) results.set(refKey(ref), lookupOf(target, ref, outcome, ctx))
      }
      const rest: AzureTarget[] = []
      await runBounded(plan.vaults, config.concurrency, async ({ targets }) => {
        const [first, ...others] = targets
        if (first === undefined) return
        const outcome = await read(port, first, config, ctx)
        answer(first, outcome)
        if (!outcome.ok && failsWholeVault(outcome.facts)) {
          for (const target of others) answer(target, { ...outcome, attempts: 1 })
        } else {
          rest.push(...others)
        }
      })
      await runBounded(rest, config.concurrency, async (target) => {
        answer(target, await read(port, target, config, ctx))
      })
      return results
    },
  }
}

function notInVault(): Lookup {
  return { ok: true, data: new Secret({}) }
}

function lookupOf(
  target: AzureTarget,
  ref: SecretRef,
  outcome: Outcome,
  ctx: FetchContext,
): Lookup {
  if (outcome.ok) {
    const { value, version } = outcome.secret
    return {
      ok: true,
      data: new Secret({ [ref.key ?? target.name]: value }),
      ...(version === undefined ? {} : { version }),
    }
  }
  // Absent: the key (a secret name) is missing from the vault, as in AVP's
  // generic form; the placeholder then reports it as a missing key.
  if (outcome.facts.httpStatus === 404) return notInVault()
  // A pause between attempts cut short by the run's signal leaves the last failure; report the abort.
  const facts = ctx.signal.aborted ? { aborted: true } : outcome.facts
  return {
    ok: false,
    failure: classifyFailure(facts, {
      label: target.label,
      vault: target.vault,
      deadlineMs: ctx.deadlineMs,
      deadlineHit: abortedByDeadline(ctx.signal),
      attempts: 'attempts' in outcome ? outcome.attempts : 1,
      throttled: 'throttled' in outcome && outcome.throttled,
    }),
  }
}

async function read(
  port: KeyVaultPort,
  target: AzureTarget,
  config: AzureConfig,
  ctx: FetchContext,
): Promise<Outcome> {
  let throttled = false
  const { result, attempts } = await retrying(
    () => attempt(port, target, config, ctx.signal),
    (outcome) => {
      if (outcome.ok || !isRetryable(outcome.facts)) return { retry: false }
      const f = outcome.facts
      if (f.httpStatus === 429) throttled = true
      return {
        retry: true,
        reason: f.code ?? f.networkCode ?? `HTTP ${String(f.httpStatus)}`,
        ...(f.retryAfterMs === undefined ? {} : { afterMs: f.retryAfterMs }),
      }
    },
    {
      maxAttempts: config.maxAttempts,
      signal: ctx.signal,
      log: ctx.log,
      what: `get ${target.label}`,
    },
  )
  return result.ok ? result : { ...result, attempts, throttled }
}

/**
 * One GetSecret. Each attempt also has its own time limit, so one stuck
 * connection is abandoned and retried instead of eating the whole deadline.
 */
async function attempt(
  port: KeyVaultPort,
  target: AzureTarget,
  config: AzureConfig,
  run: AbortSignal,
): Promise<Attempt> {
  const signal = AbortSignal.any([run, AbortSignal.timeout(config.attemptTimeoutMs)])
  try {
    return {
      ok: true,
      secret: await port.getSecret(target.vault, target.name, target.version, signal),
    }
  } catch (err) {
    if (!(err instanceof AzureCallError)) throw err
    const facts = err.facts
    if (facts.aborted && !run.aborted) {
      return { ok: false, facts: { ...facts, aborted: false, networkCode: 'ETIMEDOUT' } }
    }
    return { ok: false, facts }
  }
}
