/**
 * Our narrow view of Azure Key Vault: one GetSecret, plain data in and out.
 * `port.ts` implements it with `@azure/keyvault-secrets` and
 * `@azure/identity`; unit tests implement it in memory.
 */

/**
 * A failed call reduced to allow-listed facts. Never the SDK's message or
 * request: a `RestError` keeps the request it failed on, headers included.
 */
export interface AzureCallFacts {
  /** The HTTP status Key Vault answered. */
  readonly httpStatus?: number
  /** Key Vault's error code word (`SecretNotFound`, `Forbidden`, `Throttled`). */
  readonly code?: string
  /** 403 because the secret (or this version) is disabled. */
  readonly disabled?: boolean
  /** The server's `Retry-After`, in milliseconds. */
  readonly retryAfterMs?: number
  /** A Node network code (`ECONNREFUSED`) when there was no answer. */
  readonly networkCode?: string
  /**
   * Getting a token failed: no credential could run here (`unavailable`),
   * or Microsoft Entra ID refused it (`refused`, with its OAuth error word).
   */
  readonly auth?: 'unavailable' | 'refused'
  readonly authError?: string
  /** The answer was not the JSON Key Vault sends. */
  readonly malformed?: boolean
  /** The call was abandoned because its AbortSignal fired. */
  readonly aborted: boolean
}

export class AzureCallError extends Error {
  override readonly name = 'AzureCallError'
  constructor(readonly facts: AzureCallFacts) {
    super(`Key Vault call failed: ${facts.code ?? facts.networkCode ?? 'error'}`)
  }
}

/** A secret as read: its value and the version Key Vault answered with. */
export interface AzureSecretValue {
  readonly value: string
  readonly version?: string
}

/** Key Vault clients, one per vault. Failures reject with `AzureCallError` only. */
export interface KeyVaultPort {
  /** GetSecret: `name` at `version` (the latest when undefined) in the vault named `vault`. */
  getSecret(
    vault: string,
    name: string,
    version: string | undefined,
    signal: AbortSignal,
  ): Promise<AzureSecretValue>
}
