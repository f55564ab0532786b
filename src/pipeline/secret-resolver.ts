import { supportedBackendTypes } from '../backends/registry'
import { ConfigError } from '../errors'
import type { Backend, BackendDeps } from '../backends/types'
import type { DebugLog } from '../log'
import { refKey, type Lookup, type RefKey, type SecretRef } from '../secrets/ref'

/**
 * Fetches secrets for one run through the configured backend. The backend is
 * created (and its SDK loaded, and its login done) only when the first
 * reference needs it: a run without placeholders makes no backend call
 * (docs/architecture.md). Lookups are remembered for the run, so a secret
 * used by a Helm values file and by the rendered manifests is fetched once.
 * Nothing outlives the process: every Argo CD request is a fresh run, and
 * a rotated secret is read anew (docs/design/argocd-cmp-contract.md).
 */
export class SecretResolver {
  readonly #create: ((deps: BackendDeps) => Promise<Backend>) | undefined
  readonly #deps: BackendDeps
  readonly #signal: AbortSignal
  readonly #deadlineMs: number
  readonly #log: DebugLog
  readonly #lookups = new Map<RefKey, Lookup>()
  #backend: Promise<Backend> | undefined

  constructor(
    create: ((deps: BackendDeps) => Promise<Backend>) | undefined,
    deps: BackendDeps,
    run: { readonly signal: AbortSignal; readonly deadlineMs: number },
  ) {
    this.#create = create
    this.#deps = deps
    this.#signal = run.signal
    this.#deadlineMs = run.deadlineMs
    this.#log = deps.log
  }

  /**
   * Returns a lookup for every ref, fetching only those not fetched before in
   * this run. This is the one place refs are deduplicated, the run's deadline
   * is handed to the backend (as its signal), and fetches are logged: a
   * backend does none of these itself (docs/adding-a-backend.md).
   */
  async fetch(refs: readonly SecretRef[]): Promise<ReadonlyMap<RefKey, Lookup>> {
    const missing = [
      ...new Map(
        refs.filter((ref) => !this.#lookups.has(refKey(ref))).map((ref) => [refKey(ref), ref]),
      ).values(),
    ]
    if (missing.length > 0) {
      const backend = await this.#backendOnce(missing.length)
      const started = Date.now()
      const fetched = await backend.fetchMany(missing, {
        signal: this.#signal,
        deadlineMs: this.#deadlineMs,
        log: this.#log,
      })
      const ms = Date.now() - started
      for (const ref of missing) {
        const key = refKey(ref)
        const lookup = fetched.get(key) ?? notReturned(ref)
        this.#lookups.set(key, lookup)
        this.#log({
          kind: 'fetch',
          path: ref.path,
          ...(ref.key === undefined ? {} : { key: ref.key }),
          ...(ref.version === undefined ? {} : { version: ref.version }),
          ms,
          outcome: lookup.ok ? 'ok' : lookup.failure.code,
        })
      }
    }
    return this.#lookups
  }

  #backendOnce(count: number): Promise<Backend> {
    if (this.#create === undefined) {
      throw new ConfigError([
        `AVP_TYPE: not set, but ${String(count)} secret reference(s) need a backend; set AVP_TYPE (${supportedBackendTypes().join(', ')})`,
      ])
    }
    this.#backend ??= this.#create(this.#deps)
    return this.#backend
  }
}

/** A backend that returns no entry for a ref has a bug; the run still fails closed. */
function notReturned(ref: SecretRef): Lookup {
  return {
    ok: false,
    failure: { code: 'BACKEND_ERROR', message: `the backend returned no result for ${ref.path}` },
  }
}
