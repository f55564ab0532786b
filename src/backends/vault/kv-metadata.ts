import type { CurrentVersion } from '../types'
import { statusFailure } from './errors'
import type { ReadPlan } from './kv-plan'
import { authed, planRef, type ReadDeps } from './kv-read'
import { showPath, type VaultPath } from './paths'
import type { VaultResponse } from './port-types'

/**
 * The current version of one KV v2 secret from `GET <mount>/metadata/<path>`,
 * which returns versions and timestamps, never the data
 * (docs/design/vault-wire.md). A policy for `refresh` needs `read` on
 * `<mount>/metadata/*` only, not on the secrets' data.
 */
export async function readCurrentVersion(path: string, deps: ReadDeps): Promise<CurrentVersion> {
  const planned = await planRef({ path }, deps)
  if (!planned.ok) return { kind: 'failed', failure: planned.failure }
  const { plan } = planned
  const shown = showPath(plan.written)
  if (plan.kv === '1') {
    return { kind: 'unversioned', why: `${shown} is on a KV v1 mount, which has no versions` }
  }
  const metadata = metadataPath(plan)
  if (metadata === undefined) {
    const message = `cannot tell where the mount of ${shown} ends (Vault refused the mount lookup); set AVP_KV_VERSION=2 or grant read on sys/internal/ui/mounts/${plan.written[0] ?? ''}`
    return { kind: 'failed', failure: { code: 'ACCESS_DENIED', message } }
  }
  const what = `reading the metadata of ${shown} (${showPath(metadata)})`
  const answer = await authed(deps, what, (token, signal) =>
    deps.run.port.read(metadata, {}, { signal, token }),
  )
  if (!answer.ok) return { kind: 'failed', failure: answer.failure }
  return interpretMetadata(answer.response, shown, what, deps.run.maxAttempts, Date.now())
}

/** `<mount>/metadata/<rest>` for the KV v2 data path `<mount>/data/<rest>`. */
function metadataPath(plan: ReadPlan): VaultPath | undefined {
  // An unknown mount (lookup refused, no override): AVP-style `mount/data/…` paths say where it ends.
  const length = plan.mount?.kind === 'known' ? plan.mount.mount.length : 1
  if (plan.requestPath[length] !== 'data') return undefined
  return [...plan.requestPath.slice(0, length), 'metadata', ...plan.requestPath.slice(length + 1)]
}

/**
 * `data.current_version` and that version's state. A deletion time in the
 * future (`delete_version_after`) is not a deletion yet.
 */
export function interpretMetadata(
  response: VaultResponse,
  shown: string,
  what: string,
  attempts: number,
  now: number,
): CurrentVersion {
  if (response.status === 404) return { kind: 'gone', why: `${shown} no longer exists` }
  if (response.status !== 200) {
    return { kind: 'failed', failure: statusFailure(response, what, attempts) }
  }
  const data = field(response.body, 'data')
  const current = field(data, 'current_version')
  if (!Number.isSafeInteger(current) || (current as number) < 1) {
    if (current === 0) return { kind: 'gone', why: `${shown} has no versions left` }
    const message = `Vault's metadata answer for ${shown} has no current_version (is it a KV v2 mount?)`
    return { kind: 'failed', failure: { code: 'WRONG_ENGINE', message } }
  }
  const version = String(current)
  const state = field(field(data, 'versions'), version)
  if (field(state, 'destroyed') === true) {
    return { kind: 'gone', why: `version ${version} of ${shown} was destroyed` }
  }
  const deleted = field(state, 'deletion_time')
  if (typeof deleted === 'string' && deleted !== '' && Date.parse(deleted) <= now) {
    return { kind: 'gone', why: `version ${version} of ${shown} was deleted at ${deleted}` }
  }
  return { kind: 'current', version }
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[name]
    : undefined
}
