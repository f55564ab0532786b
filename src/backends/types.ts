import type { Settings } from '../config/settings'
import type { DebugLog } from '../log'
import type { RegisterSecret } from '../secrets/redact'
import type { FetchFailure, FetchFailureCode, Lookup, RefKey, SecretRef } from '../secrets/ref'

/** Everything a backend needs from the run besides its own configuration. */
export interface FetchContext {
  /**
   * The run's signal, the only deadline a backend observes: aborted with a
   * `TimeoutError` when the run's `AVP_DEADLINE` passes, with anything else
   * when Argo CD stops the run (SIGTERM). `abortedByDeadline` (deadline.ts) tells them apart.
   */
  readonly signal: AbortSignal
  /** `AVP_DEADLINE` in milliseconds, for wording a timeout. */
  readonly deadlineMs: number
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
  /**
   * Optional, for `refresh`: the current version of each distinct secret path,
   * asked with metadata-only calls that never return a value (Vault KV v2
   * metadata, AWS DescribeSecret), one call per path. Keyed by path. A
   * backend without versions (file, Kubernetes Secret, SOPS) leaves it out,
   * and rotation detection is not supported with it (docs/rotation.md).
   */
  currentVersions?(
    paths: readonly string[],
    ctx: FetchContext,
  ): Promise<ReadonlyMap<string, CurrentVersion>>
}

/** What a backend says of a secret's current version, without reading its value. */
export type CurrentVersion =
  | { readonly kind: 'current'; readonly version: string }
  /** The secret, or its current version, no longer exists: deleted, destroyed, pending deletion. */
  | { readonly kind: 'gone'; readonly why: string }
  /** The secret exists but has no versions (a Vault KV v1 mount). */
  | { readonly kind: 'unversioned'; readonly why: string }
  | { readonly kind: 'failed'; readonly failure: FetchFailure }

/** Dependencies a backend gets from the CLI; injected so tests control them. */
export interface BackendDeps {
  readonly log: DebugLog
  /**
   * Report every credential the moment it is read (a token from a file, a
   * login's grant), so stderr can never show it. Write-only: the pipeline
   * holds the redactor behind it.
   */
  readonly registerSecret: RegisterSecret
  /** The process environment (read-only), for SDK defaults such as `HOME`. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The directory the plugin runs in: the app directory under Argo CD (relative `sops` paths). */
  readonly cwd: string
  /** `--disable-token-cache`. */
  readonly disableTokenCache: boolean
  /**
   * False for a directory inside the repository the run renders: helm and
   * kustomize can print any file there (`.Files.Glob`), so a backend keeps
   * nothing of its own (the token cache) in one, whatever is configured.
   * Unset: no such restriction (unit tests).
   */
  readonly canStoreIn?: (dir: string) => Promise<boolean>
}

/** A path as segments, or why it cannot be checked against a scope (it is then refused). */
export type ScopeSegments = readonly string[] | { readonly failure: string }

export type ConfigResult<C> =
  | { readonly ok: true; readonly config: C }
  | { readonly ok: false; readonly failures: readonly string[] }

/**
 * What a backend declares about itself in its `entry.ts`; every list the rest
 * of the plugin keeps about backends is built from these (registry.ts).
 * `parseConfig` is cheap and imports no SDK; `load` imports the
 * implementation (and its SDK) only when the backend is actually used.
 */
export interface BackendEntry<C> {
  /** The `AVP_TYPE` value that selects it. */
  readonly name: string
  /**
   * Prefixes of the upper-case environment variables that are settings of this
   * backend (`VAULT_`, `AWS_`), besides the plugin's own `AVP_`.
   */
  readonly settingPrefixes: readonly string[]
  /** The npm packages its `port.ts` imports: the only file that may import them. */
  readonly sdkPackages: readonly string[]
  /** Every failure code its lookups may carry. */
  readonly failureCodes: readonly FetchFailureCode[]
  /**
   * The path as this backend reads it, as segments, for the operator's
   * scoping policy (docs/security.md): two paths the backend reads as the same
   * secret must give the same segments. Absent: the path is split on `/` as
   * written (scope-segments.ts `literalSegments`). `prefix` is set for a
   * prefix of the policy, for a backend whose paths cannot name a prefix
   * (`NAMESPACE:NAME` has no form for "the whole namespace").
   */
  readonly scopeSegments?: (path: string, prefix: boolean) => ScopeSegments
  /**
   * Each key of a path is a secret of its own (Azure Key Vault: the path is a
   * vault, the key a secret name): the planner makes one ref per (path, key,
   * version) and sets `SecretRef.key`, so the backend reads exactly the
   * secrets the placeholders name. Unset: one ref per (path, version).
   */
  readonly refPerKey?: boolean
  /** Validates the settings and reports every problem by key name, never by value. */
  parseConfig(settings: Settings): ConfigResult<C>
  load(): Promise<(config: C, deps: BackendDeps) => Backend>
}
