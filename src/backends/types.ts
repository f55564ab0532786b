import type { Settings } from '../config/settings'
import type { DebugLog } from '../log'
import type { Redactor } from '../secrets/redact'
import type { Lookup, RefKey, SecretRef } from '../secrets/ref'

/** Everything a backend needs from the run besides its own configuration. */
export interface FetchContext {
  /** Aborted on the run's overall deadline or on SIGTERM from Argo CD (contracts.md §1.7). */
  readonly signal: AbortSignal
  readonly log: DebugLog
}

/**
 * A secrets backend. It receives every distinct reference of the run at once,
 * so it can batch (AWS `BatchGetSecretValue`) or fan out with bounded
 * concurrency (Vault), and fetch each reference exactly once.
 */
export interface Backend {
  readonly type: string
  /**
   * Fetches each ref once. Never rejects because one ref failed: per-ref
   * failures are returned in the map, keyed by `refKey(ref)`. Logs in lazily,
   * on the first call only.
   */
  fetchMany(refs: readonly SecretRef[], ctx: FetchContext): Promise<ReadonlyMap<RefKey, Lookup>>
}

/** Dependencies a backend gets from the CLI; injected so tests control them. */
export interface BackendDeps {
  readonly log: DebugLog
  /** Register every credential loaded, so stderr can never show it. */
  readonly redactor: Redactor
  /** The process environment (read-only), for SDK defaults such as `HOME`. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** `--disable-token-cache`. */
  readonly disableTokenCache: boolean
}

export type ConfigResult<C> =
  | { readonly ok: true; readonly config: C }
  | { readonly ok: false; readonly issues: readonly string[] }

/**
 * One entry of the backend registry. `parseConfig` is cheap and imports no
 * SDK; `load` imports the implementation (and its SDK) only when the backend
 * is actually used.
 */
export interface BackendEntry<C> {
  readonly type: string
  /** Validates the settings and reports every problem by key name, never by value. */
  parseConfig(settings: Settings): ConfigResult<C>
  load(): Promise<(config: C, deps: BackendDeps) => Backend>
}
