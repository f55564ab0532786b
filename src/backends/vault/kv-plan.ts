import type { FetchFailure, SecretRef } from '../../secrets/ref'
import type { MountInfo, MountResult } from './kv-mounts'
import { kvV2DataPath, showPath, splitSecretPath, type VaultPath } from './paths'

/** Where the KV version of a read came from, for messages. */
export type KvSource = 'avp.kubernetes.io/kv-version' | 'AVP_KV_VERSION' | 'detected' | 'none'

/** How to read one ref: the request path and what we know of its mount. */
export interface ReadPlan {
  readonly written: VaultPath
  readonly requestPath: VaultPath
  /** `unknown`: the mount lookup was refused and no override is set; read as written. */
  readonly kv: '1' | '2' | 'unknown'
  readonly kvSource: KvSource
  /** The mount, when Vault told us (or, for an override without lookup, assumed). */
  readonly mount?: MountInfo
}

export type PlanResult =
  | { readonly ok: true; readonly plan: ReadPlan }
  | { readonly ok: false; readonly failure: FetchFailure }

/**
 * Top-level paths that are never secrets engines: the plugin's own token
 * (`auth/token/lookup-self`), the server's configuration, identities and the
 * token's cubbyhole. A manifest must not be able to print any of them.
 */
const RESERVED = new Set(['auth', 'sys', 'identity', 'cubbyhole'])

/** Engines whose reads are secrets: KV (both versions) and its legacy name. */
const SECRET_ENGINES = new Set(['kv', 'generic'])

/**
 * Decides the request path of a ref. Paths under `auth/`, `sys/`,
 * `identity/` and `cubbyhole/` are refused before any request, and the
 * mount is always looked up (once per mount and run), so a path on any
 * engine other than KV is refused too, whatever the annotations say.
 * The KV version comes from the `avp.kubernetes.io/kv-version` annotation,
 * else `AVP_KV_VERSION`, else the mount lookup. On KV v2, `data/` is
 * inserted after the mount unless the path already has it (AVP style), so
 * `secret/app` and `secret/data/app` both work.
 */
export async function planRead(
  ref: SecretRef,
  configured: '1' | '2' | undefined,
  resolve: (path: VaultPath) => Promise<MountResult>,
): Promise<PlanResult> {
  const checked = checkPath(ref)
  if (!checked.ok) return checked
  const written = checked.path
  const annotated = ref.kvVersion?.trim()
  if (annotated !== undefined && annotated !== '1' && annotated !== '2') {
    const message = `avp.kubernetes.io/kv-version must be 1 or 2, got ${JSON.stringify(annotated)} (for ${ref.path})`
    return { ok: false, failure: { code: 'CONFIG_INVALID', message } }
  }
  const override = annotated ?? configured
  const kvSource: KvSource =
    annotated !== undefined
      ? 'avp.kubernetes.io/kv-version'
      : configured !== undefined
        ? 'AVP_KV_VERSION'
        : 'detected'
  const resolved = await resolve(written)
  if (!resolved.ok) return resolved
  const mount = resolved.info
  if (mount.kind === 'known' && !SECRET_ENGINES.has(mount.engine)) {
    const where = `${showPath(mount.mount)}/`
    return notAllowed(`${showPath(written)} is on a ${mount.engine} mount (${where})`)
  }
  if (override === '1') return plan({ written, requestPath: written, kv: '1', kvSource, mount })
  if (override === '2') {
    // The mount's own version does not matter: the override wins, and a
    // mismatch shows in Vault's answer (kv-response.ts).
    const length = mount.kind === 'known' ? mount.mount.length : 1
    return plan({ written, requestPath: kvV2DataPath(written, length), kv: '2', kvSource, mount })
  }
  if (mount.kind === 'unknown') {
    return plan({ written, requestPath: written, kv: 'unknown', kvSource: 'none', mount })
  }
  const requestPath = mount.kvVersion === '2' ? kvV2DataPath(written, mount.mount.length) : written
  return plan({ written, requestPath, kv: mount.kvVersion, kvSource, mount })
}

/**
 * What can be said of a ref without asking Vault: its path splits cleanly
 * and is not under a reserved top-level path. The backend checks every ref
 * this way before logging in, so a refused path costs no request at all.
 */
export function checkPath(
  ref: SecretRef,
): { readonly ok: true; readonly path: VaultPath } | Extract<PlanResult, { ok: false }> {
  const written = splitSecretPath(ref.path)
  if (typeof written === 'string')
    return { ok: false, failure: { code: 'BACKEND_ERROR', message: written } }
  const first = written[0] ?? ''
  if (RESERVED.has(first)) {
    return notAllowed(`${showPath(written)} is under ${first}/, which holds Vault's own data`)
  }
  return { ok: true, path: written }
}

function notAllowed(why: string): Extract<PlanResult, { ok: false }> {
  const message = `${why}, not a KV secrets engine; only KV secrets are read`
  return { ok: false, failure: { code: 'PATH_NOT_ALLOWED', message } }
}

function plan(p: ReadPlan): PlanResult {
  return { ok: true, plan: p }
}

/**
 * The `?version=N` query of a KV v2 read. Vault takes a positive integer
 * (0 would mean "latest", which is what no version means already).
 */
export function versionQuery(
  version: string | undefined,
  plan: ReadPlan,
):
  | { readonly query: Record<string, string> }
  | { readonly failure: FetchFailure }
  | { readonly ignored: true } {
  if (version === undefined) return { query: {} }
  if (plan.kv === '1') return { ignored: true }
  if (!/^[1-9]\d{0,15}$/.test(version)) {
    const message = `invalid version ${JSON.stringify(version)} for ${plan.requestPath.join('/')}: KV v2 versions are whole numbers from 1`
    return { failure: { code: 'BACKEND_ERROR', message } }
  }
  return { query: { version } }
}
