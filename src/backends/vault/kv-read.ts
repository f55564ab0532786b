import type { FetchFailure, SecretRef } from '../../secrets/ref'
import type { VaultSession } from './auth/session'
import { callVault, type Answer } from './call'
import type { VaultConfig } from './config'
import { isInvalidToken } from './errors'
import { planRead, versionQuery, type PlanResult } from './kv-plan'
import type { MountResolver } from './kv-mounts'
import { interpretRead, type ReadOutcome } from './kv-response'
import { showPath } from './paths'
import type { VaultResponse } from './port-types'
import type { RunContext } from './run-context'

export interface ReadDeps {
  readonly config: VaultConfig
  readonly run: RunContext
  readonly session: VaultSession
  readonly mounts: MountResolver
  /** Reads of this `fetchMany` by request (path and query): `secret/app` and `secret/data/app` share one. */
  readonly reads: Map<string, Promise<Answer>>
}

/** Plans how to read one ref, looking its mount up (once per mount and run) when needed. */
export function planRef(ref: SecretRef, deps: ReadDeps): Promise<PlanResult> {
  const { run } = deps
  return planRead(ref, deps.config.kvVersion, (path) =>
    deps.mounts.resolve(
      path,
      (p, what) =>
        authed(deps, what, (token, signal) =>
          run.port.read(['sys', 'internal', 'ui', 'mounts', ...p], {}, { signal, token }),
        ),
      run.log,
    ),
  )
}

/** Reads one ref: plan the path (mount lookup if needed), read with the run's token, interpret. */
export async function readSecret(ref: SecretRef, deps: ReadDeps): Promise<ReadOutcome> {
  const { run } = deps
  const planned = await planRef(ref, deps)
  if (!planned.ok) return planned
  const { plan } = planned
  const version = versionQuery(ref.version, plan)
  if ('failure' in version) return { ok: false, failure: version.failure }
  if ('ignored' in version) {
    // As in AVP: KV v1 has no versions, so the version is dropped (docs/design/avp-semantics.md).
    run.log({ kind: 'note', message: `version ignored for ${ref.path}: KV v1 has no versions` })
  }
  const query = 'query' in version ? version.query : {}
  const shown = showPath(plan.requestPath)
  const key = JSON.stringify([plan.requestPath, query])
  let pending = deps.reads.get(key)
  if (pending === undefined) {
    pending = authed(deps, `reading ${shown}`, (token, signal) =>
      run.port.read(plan.requestPath, query, { signal, token }),
    )
    deps.reads.set(key, pending)
  }
  const answer = await pending
  if (!answer.ok) return answer
  return interpretRead(answer.response, plan, query['version'], run.maxAttempts)
}

/** For a static token (`VAULT_TOKEN`, `~/.vault-token`) that Vault refuses: nothing can replace it. */
const TOKEN_REFUSED: FetchFailure = {
  code: 'AUTH_FAILED',
  message: 'the Vault token was refused (revoked, expired or wrong)',
}

/**
 * A call with the run's token. A 403 may mean the policy forbids the path
 * or that the token itself is no longer good: Vault says `invalid token`,
 * OpenBao does not, so when in doubt the session asks
 * `auth/token/lookup-self` (once per token). A refused token from the cache
 * is replaced by one fresh login (shared by every call) and the call is made
 * once more; a refused static token fails the run with `AUTH_FAILED`. A
 * token this run's login just issued is not checked: its 403 is the policy's.
 */
export async function authed(
  deps: ReadDeps,
  what: string,
  op: (token: string, signal: AbortSignal) => Promise<VaultResponse>,
): Promise<Answer> {
  const { run, session } = deps
  const current = await session.token(run)
  if (!current.ok) return { ok: false, failure: current.failure }
  const answer = await callVault(run, what, (signal) => op(current.token, signal))
  if (!answer.ok || answer.response.status !== 403 || current.source === 'login') return answer
  const refused = isInvalidToken(answer.response) || (await session.refused(current.token, run))
  if (!refused) return answer
  if (current.source === 'static') return { ok: false, failure: TOKEN_REFUSED }
  const fresh = await session.replace(current.token, run)
  if (fresh === undefined) return answer
  if (!fresh.ok) return { ok: false, failure: fresh.failure }
  if (fresh.token === current.token) return answer
  return callVault(run, what, (signal) => op(fresh.token, signal))
}
