import type { VaultPath } from './paths'

/** Any HTTP answer from Vault, success or not: the raw status and the parsed body (`unknown`, narrowed by callers). */
export interface VaultResponse {
  readonly status: number
  readonly body: unknown
}

/** Per-call options: the run's signal and the token to send (none for logins). */
export interface VaultCall {
  readonly signal: AbortSignal
  readonly token?: string
}

/**
 * Our own small interface over the Vault HTTP API (docs/design/engineering-rules.md). HTTP
 * errors resolve as `VaultResponse`s; only transport failures reject, and
 * only with a `VaultTransportError`.
 */
export interface VaultPort {
  /** `GET /v1/<path>?<query>`. */
  read(
    path: VaultPath,
    query: Readonly<Record<string, string>>,
    call: VaultCall,
  ): Promise<VaultResponse>
  /** `POST /v1/<path>` with a JSON body (logins). */
  write(
    path: VaultPath,
    body: Readonly<Record<string, unknown>>,
    call: VaultCall,
  ): Promise<VaultResponse>
  /** Drops every connection, including requests still in flight. */
  close(): void
}

/**
 * A request that got no HTTP answer. It carries only a code: a Node
 * error code such as `ECONNREFUSED`, `TIMEOUT` (per-request timeout),
 * `ABORTED` (run deadline or SIGTERM) or `UNKNOWN`. Never a message, URL,
 * header or body of the underlying error (docs/design/engineering-rules.md).
 */
export class VaultTransportError extends Error {
  override readonly name = 'VaultTransportError'
  constructor(readonly code: string) {
    super(`Vault request failed: ${code}`)
  }
}
