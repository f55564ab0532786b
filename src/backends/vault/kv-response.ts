import type { FetchFailure, SecretData } from '../../secrets/ref'
import { firstError, statusFailure } from './errors'
import type { ReadPlan } from './kv-plan'
import { kvV2DataPath, showPath, withoutData } from './paths'
import type { VaultResponse } from './port-types'

export type ReadOutcome =
  | { readonly ok: true; readonly data: SecretData; readonly version?: string }
  | { readonly ok: false; readonly failure: FetchFailure }

const INVALID_V2_PATH = 'Invalid path for a versioned K/V secrets engine'

/**
 * Maps Vault's answer to a KV read onto secret data or a precise failure
 * (docs/design/vault-wire.md). Messages name the path read, never a value.
 */
export function interpretRead(
  response: VaultResponse,
  plan: ReadPlan,
  version: string | undefined,
  attempts: number,
): ReadOutcome {
  const shown = showPath(plan.requestPath)
  const { status, body } = response
  if (status === 200 || status === 204) return interpretSuccess(field(body, 'data'), plan, version)
  if (status === 404) return fail(notFound(body, plan, version))
  const forcedV1 = status === 403 ? v1OnV2Mount(plan) : undefined
  if (forcedV1 !== undefined) {
    const base = statusFailure(response, `reading ${shown}`, attempts)
    if (base.code === 'ACCESS_DENIED') {
      return fail({ code: 'WRONG_ENGINE', message: `${base.message}; ${forcedV1}` })
    }
  }
  if (status === 403 && plan.mount?.kind === 'unknown' && plan.mount.reason === 'denied') {
    const base = statusFailure(response, `reading ${shown}`, attempts)
    if (base.code !== 'ACCESS_DENIED') return fail(base)
    const hint = `; Vault also refused the mount lookup, so ${plan.written[0] ?? ''}/ may not be a mount, or the policy grants nothing under it`
    return fail({ code: 'ACCESS_DENIED', message: `${base.message}${hint}` })
  }
  return fail(statusFailure(response, `reading ${shown}`, attempts))
}

function interpretSuccess(data: unknown, plan: ReadPlan, version: string | undefined): ReadOutcome {
  const shown = showPath(plan.requestPath)
  const v2 = plan.kv === '2' || (plan.kv === 'unknown' && looksLikeV2(data))
  if (!v2) {
    if (isRecord(data)) return { ok: true, data }
    return fail({ code: 'SECRET_NOT_FOUND', message: `Vault returned no data for ${shown}` })
  }
  const inner = field(data, 'data')
  if (isRecord(inner)) {
    const number = field(field(data, 'metadata'), 'version')
    return Number.isSafeInteger(number)
      ? { ok: true, data: inner, version: String(number) }
      : { ok: true, data: inner }
  }
  const metadata = field(data, 'metadata')
  if (inner === null && isRecord(metadata)) return fail(deleted(metadata, shown, version))
  return fail({
    code: 'WRONG_ENGINE',
    message: `${shown} is not a KV v2 secret (Vault's answer has no data.data)${mountNote(plan)}; the mount looks like KV v1: set kv-version 1 or check the path`,
  })
}

function notFound(body: unknown, plan: ReadPlan, version: string | undefined): FetchFailure {
  const shown = showPath(plan.requestPath)
  const metadata = field(field(body, 'data'), 'metadata')
  // KV v2: a deleted or destroyed version is a 404 that still has data.metadata (docs/design/vault-wire.md).
  if (isRecord(metadata)) return deleted(metadata, shown, version)
  const engine = wrongEngine(body, plan, shown)
  if (engine !== undefined) return engine
  if (version !== undefined && plan.kv !== '1') {
    return { code: 'SECRET_NOT_FOUND', message: `version ${version} of ${shown} does not exist` }
  }
  const detail = firstError(body)
  if (detail?.includes('no handler for route') === true) {
    return {
      code: 'SECRET_NOT_FOUND',
      message: `no secrets engine is mounted at ${shown} (${detail})`,
    }
  }
  const refused =
    plan.mount?.kind === 'unknown' && plan.mount.reason === 'denied'
      ? `; Vault also refused the mount lookup, so ${plan.written[0] ?? ''}/ may not be a mount`
      : ''
  return { code: 'SECRET_NOT_FOUND', message: `secret not found: ${shown}${refused}` }
}

/** A 404 caused by reading a mount with the other KV version's path rules (AVP #47). */
function wrongEngine(body: unknown, plan: ReadPlan, shown: string): FetchFailure | undefined {
  const warnings = field(body, 'warnings')
  if (
    Array.isArray(warnings) &&
    warnings.some((w) => typeof w === 'string' && w.includes(INVALID_V2_PATH))
  ) {
    const why =
      plan.kvSource === 'none'
        ? 'the mount lookup was refused'
        : `kv-version 1 comes from ${plan.kvSource}`
    return {
      code: 'WRONG_ENGINE',
      message: `${shown} is on a KV v2 mount, which needs data/ after the mount; it was read as KV v1 because ${why}`,
    }
  }
  const mount = plan.mount?.kind === 'known' ? plan.mount : undefined
  if (mount?.kvVersion === '1' && plan.kv === '1' && plan.written[mount.mount.length] === 'data') {
    const meant = showPath(withoutData(plan.written, mount.mount.length))
    return {
      code: 'WRONG_ENGINE',
      message: `no secret at ${shown}: mount ${showPath(mount.mount)}/ is KV v1, which has no data/ segment (did you mean ${meant}?)`,
    }
  }
  if (mount?.kvVersion === '1' && plan.kv === '2') {
    return {
      code: 'WRONG_ENGINE',
      message: `no secret at ${shown}: mount ${showPath(mount.mount)}/ is KV v1, but ${plan.kvSource} says KV v2`,
    }
  }
  return undefined
}

/**
 * KV v1 forced (annotation or `AVP_KV_VERSION`) on a mount the lookup says is
 * KV v2: a policy written for v2 grants `<mount>/data/…` only, so the read
 * is refused rather than answered with the "Invalid path" warning.
 */
function v1OnV2Mount(plan: ReadPlan): string | undefined {
  const mount = plan.mount?.kind === 'known' ? plan.mount : undefined
  if (plan.kv !== '1' || mount?.kvVersion !== '2') return undefined
  const meant = showPath(kvV2DataPath(plan.written, mount.mount.length))
  return `mount ${showPath(mount.mount)}/ is KV v2, but kv-version 1 comes from ${plan.kvSource}; KV v2 reads ${meant}`
}

function deleted(
  metadata: Readonly<Record<string, unknown>>,
  shown: string,
  version: string | undefined,
): FetchFailure {
  const n = typeof metadata['version'] === 'number' ? String(metadata['version']) : (version ?? '?')
  const which =
    version === undefined ? `the latest version (${n}) of ${shown}` : `version ${n} of ${shown}`
  const when = typeof metadata['deletion_time'] === 'string' ? metadata['deletion_time'] : ''
  const what =
    metadata['destroyed'] === true
      ? 'was destroyed'
      : when !== ''
        ? `was deleted at ${when}`
        : 'was deleted'
  return { code: 'VERSION_DELETED', message: `${which} ${what}` }
}

function mountNote(plan: ReadPlan): string {
  return plan.mount?.kind === 'known' ? ` (mount ${showPath(plan.mount.mount)}/)` : ''
}

/** A KV v2 read answer: `{data: {...} | null, metadata: {version, ...}}`. */
function looksLikeV2(data: unknown): boolean {
  const metadata = field(data, 'metadata')
  const inner = field(data, 'data')
  return (
    isRecord(metadata) &&
    typeof metadata['version'] === 'number' &&
    (inner === null || isRecord(inner))
  )
}

function field(value: unknown, name: string): unknown {
  return isRecord(value) ? value[name] : undefined
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function fail(failure: FetchFailure): ReadOutcome {
  return { ok: false, failure }
}
