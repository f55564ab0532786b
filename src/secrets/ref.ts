import type { Secret } from './secret'

/**
 * One secret to fetch: a backend path, an optional version, the Vault KV
 * version a manifest forced through `avp.kubernetes.io/kv-version`, and, for
 * a backend that reads one value per key, the key. Two placeholders that
 * agree on all four share one fetch.
 */
export interface SecretRef {
  readonly path: string
  /** Vault KV v2 version, AWS VersionId or stage, a `file` backend list index. */
  readonly version?: string
  /** `1` or `2` from the `avp.kubernetes.io/kv-version` annotation; Vault only. */
  readonly kvVersion?: string
  /**
   * The placeholder's key, set only for a backend whose entry asks for a ref
   * per key (`refPerKey`): in Azure Key Vault the path is a vault and the key
   * names a secret of its own, read by itself.
   */
  readonly key?: string
}

/** Stable identity of a `SecretRef`, used to dedupe fetches and look results up. */
export type RefKey = string & { readonly __brand: 'RefKey' }

export function refKey(ref: SecretRef): RefKey {
  return JSON.stringify([
    ref.path,
    ref.version ?? null,
    ref.kvVersion ?? null,
    ref.key ?? null,
  ]) as RefKey
}

/** The key/value pairs of one secret. Values keep their type: string, number, boolean, map, list. */
export type SecretData = Readonly<Record<string, unknown>>

/** Every code a backend may give a failed lookup; each backend's entry lists the ones it uses. */
export const FETCH_FAILURE_CODES = [
  'SECRET_NOT_FOUND',
  'VERSION_DELETED',
  'WRONG_ENGINE',
  'ACCESS_DENIED',
  'AUTH_FAILED',
  'THROTTLED',
  'UNAVAILABLE',
  'TIMEOUT',
  'DECRYPTION_FAILED',
  'CONFIG_INVALID',
  /** The backend never reads such a path, whatever the configuration: Vault's `auth/`, `sys/`, a non-KV engine. */
  'PATH_NOT_ALLOWED',
  'BACKEND_ERROR',
] as const

export type FetchFailureCode = (typeof FETCH_FAILURE_CODES)[number]

/** Why a backend could not deliver a secret. The message names paths, never values. */
export interface FetchFailure {
  readonly code: FetchFailureCode
  readonly message: string
}

/** The outcome of fetching one `SecretRef`. */
export type Lookup =
  | {
      readonly ok: true
      readonly data: Secret<SecretData>
      /**
       * The backend's version of what was read (Vault KV v2 `metadata.version`,
       * AWS `VersionId`), when it has one: metadata, never part of the value.
       */
      readonly version?: string
    }
  | { readonly ok: false; readonly failure: FetchFailure }
