import type { Secret } from '../../secrets/secret'

/** `AVP_AUTH_TYPE` values, as AVP spells them, plus `cert`. */
export const AUTH_METHODS = ['approle', 'k8s', 'token', 'userpass', 'github', 'cert'] as const
export type VaultAuthMethod = (typeof AUTH_METHODS)[number]

/**
 * How to obtain a Vault token. Credentials are `Secret`s from the moment they
 * are read, so a config printed by mistake shows `[redacted]`. `mount` is the
 * auth mount without slashes, always starting with `auth/`.
 */
export type VaultAuthConfig =
  | { readonly method: 'token'; readonly token?: Secret<string> }
  | {
      readonly method: 'approle'
      readonly mount: string
      readonly roleId: Secret<string>
      readonly secretId: Secret<string>
    }
  | {
      readonly method: 'k8s'
      readonly mount: string
      readonly role: string
      readonly jwtPath: string
    }
  | {
      readonly method: 'userpass'
      readonly mount: string
      readonly username: string
      readonly password: Secret<string>
    }
  | { readonly method: 'github'; readonly mount: string; readonly token: Secret<string> }
  | { readonly method: 'cert'; readonly mount: string; readonly role?: string }

/** TLS settings with the Vault CLI's meaning (`VAULT_CACERT`, `VAULT_CAPATH`, …). */
export interface VaultTlsConfig {
  readonly caCert?: string
  readonly caPath?: string
  readonly skipVerify: boolean
  readonly clientCert?: string
  readonly clientKey?: string
}

/** The validated configuration of `AVP_TYPE=vault`. */
export interface VaultConfig {
  /** `VAULT_ADDR` without a trailing slash. */
  readonly address: string
  /** `VAULT_NAMESPACE`, sent as `X-Vault-Namespace` on every request. */
  readonly namespace?: string
  readonly auth: VaultAuthConfig
  readonly tls: VaultTlsConfig
  /** `AVP_KV_VERSION`; when unset, each mount's version is detected. */
  readonly kvVersion?: '1' | '2'
  /** `AVP_VAULT_CONCURRENCY`: reads in flight at once. */
  readonly concurrency: number
  /** `AVP_TOKEN_CACHE_DIR`; when unset, `~/.avp` (from `HOME`). */
  readonly tokenCacheDir?: string
  /** `AVP_VAULT_TIMEOUT` in ms: one HTTP request (one attempt). */
  readonly requestTimeoutMs: number
  /** Attempts per request, the first included (retries on 429, 5xx, connection errors). */
  readonly maxAttempts: number
}
