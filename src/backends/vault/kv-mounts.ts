import type { DebugLog } from '../../log'
import type { FetchFailure } from '../../secrets/ref'
import type { Answer } from './call'
import { isInvalidToken, namespaceMessage, statusFailure } from './errors'
import { isUnder, showPath, type VaultPath } from './paths'

/** What a mount lookup taught us about a path. */
export type MountInfo =
  | {
      readonly kind: 'known'
      /** Relative to `VAULT_NAMESPACE`, as the path was written. */
      readonly mount: VaultPath
      readonly kvVersion: '1' | '2'
      /** The secrets engine: `kv` (or the legacy `generic`), `token`, `system`, `transit`… */
      readonly engine: string
    }
  /** Vault would not say (403: unknown mount or no access) or cannot (404: Vault < 0.10). */
  | { readonly kind: 'unknown'; readonly reason: 'denied' | 'old-vault' }

export type MountResult =
  | { readonly ok: true; readonly info: MountInfo }
  | { readonly ok: false; readonly failure: FetchFailure }

/** Performs `GET /v1/sys/internal/ui/mounts/<path>` with the run's token (and its retries). */
export type MountLookup = (path: VaultPath, what: string) => Promise<Answer>

/** A mount Vault told us about: where it is (relative to the namespace), its KV version and engine. */
interface KnownMount {
  readonly mount: VaultPath
  readonly kvVersion: '1' | '2'
  readonly engine: string
}

/**
 * Finds the mount (and KV version) of secret paths, asking Vault once per
 * mount and run (docs/design/vault-wire.md, as the Vault CLI's
 * `kvPreflightVersionRequest`): a path under a mount already seen is
 * answered from memory. Concurrent lookups that start with the same first
 * segment wait for the first one (vals' per-mount cache, docs/design/engineering-rules.md),
 * so a burst of reads under `secret/` costs one lookup. A refusal (403/404)
 * is remembered for the path looked up only: Vault's answer for
 * `team/other/x` says nothing about `team/kv/app`, which may be another
 * mount, so the order of placeholders cannot change a result.
 */
export class MountResolver {
  readonly #known: KnownMount[] = []
  readonly #unknown = new Map<string, MountInfo>()
  readonly #pending = new Map<string, Promise<MountResult>>()
  /** `VAULT_NAMESPACE` as segments: a mount path reported with it in front is made relative. */
  readonly #namespace: VaultPath

  constructor(namespace?: string) {
    this.#namespace = (namespace ?? '').split('/').filter((s) => s !== '')
  }

  /** `lookup` asks Vault (with the current run's port and token); `log` gets a `mount` event per lookup. */
  async resolve(path: VaultPath, lookup: MountLookup, log: DebugLog): Promise<MountResult> {
    const first = path[0] ?? ''
    const remembered = this.#remembered(path)
    if (remembered !== undefined) return { ok: true, info: remembered }
    const pending = this.#pending.get(first)
    if (pending !== undefined) {
      await pending
      const now = this.#remembered(path)
      if (now !== undefined) return { ok: true, info: now }
    }
    const mine = this.#ask(path, lookup, log)
    this.#pending.set(first, mine)
    try {
      return await mine
    } finally {
      if (this.#pending.get(first) === mine) this.#pending.delete(first)
    }
  }

  #remembered(path: VaultPath): MountInfo | undefined {
    const matches = this.#known.filter((k) => isUnder(path, k.mount))
    const best = matches.sort((a, b) => b.mount.length - a.mount.length)[0]
    if (best !== undefined) return { kind: 'known', ...best }
    return this.#unknown.get(showPath(path))
  }

  async #ask(path: VaultPath, lookup: MountLookup, log: DebugLog): Promise<MountResult> {
    const shown = showPath(path)
    const what = `looking up the mount of ${shown}`
    const answer = await lookup(path, what)
    if (!answer.ok) return answer
    const { status, body } = answer.response
    if (status === 404 && this.#namespace.length > 0) {
      // Namespaces came after the lookup endpoint (Vault 0.11 vs 0.10), so
      // with a namespace set a 404 means the namespace itself is missing.
      const message = namespaceMessage(showPath(this.#namespace), what)
      return { ok: false, failure: { code: 'SECRET_NOT_FOUND', message } }
    }
    if ((status === 403 && !isInvalidToken(answer.response)) || status === 404) {
      // 403: unknown mount or no access (Vault never says which); 404: Vault
      // older than 0.10, which the CLI treats as KV v1 (docs/design/vault-wire.md).
      const info: MountInfo = { kind: 'unknown', reason: status === 403 ? 'denied' : 'old-vault' }
      this.#unknown.set(shown, info)
      log({ kind: 'mount', mount: shown, kvVersion: `unknown (${info.reason})` })
      return { ok: true, info }
    }
    if (status !== 200) return { ok: false, failure: statusFailure(answer.response, what, 1) }
    const parsed = parseMount(body)
    const mount = parsed && this.#relative(parsed.mount, path)
    if (parsed === undefined || mount === undefined) {
      return {
        ok: false,
        failure: {
          code: 'BACKEND_ERROR',
          message: `Vault's mount lookup for ${shown} gave no usable mount`,
        },
      }
    }
    const known: KnownMount = { ...parsed, mount }
    this.#known.push(known)
    log({ kind: 'mount', mount: `${showPath(mount)}/`, kvVersion: parsed.kvVersion })
    return { ok: true, info: { kind: 'known', ...known } }
  }

  /**
   * The reported mount as the path was written. For a mount in a child of
   * `VAULT_NAMESPACE`, OpenBao (and some Vault versions) report the full
   * namespace path (`team-a/child/secret/` for `child/secret/app` in
   * `team-a`); the Vault and OpenBao CLIs strip the namespace in front, and so do we.
   */
  #relative(reported: VaultPath, path: VaultPath): VaultPath | undefined {
    if (isUnder(path, reported)) return reported
    if (this.#namespace.length === 0 || !isUnder(reported, this.#namespace)) return undefined
    const stripped = reported.slice(this.#namespace.length)
    return stripped.length > 0 && isUnder(path, stripped) ? stripped : undefined
  }
}

/**
 * `data.path` (`secret/`), `data.type` and `data.options.version`: `"2"` is
 * v2, anything else v1 (the CLI's rule). An answer without a type is not
 * usable: the type decides whether the path may be read at all.
 */
function parseMount(body: unknown): KnownMount | undefined {
  const data =
    typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined
  if (typeof data !== 'object' || data === null) return undefined
  const { path, options, type } = data as { path?: unknown; options?: unknown; type?: unknown }
  if (typeof path !== 'string' || typeof type !== 'string' || type === '') return undefined
  const mount = path.split('/').filter((s) => s !== '')
  if (mount.length === 0) return undefined
  const version =
    typeof options === 'object' && options !== null
      ? (options as { version?: unknown }).version
      : undefined
  return { mount, kvVersion: version === '2' ? '2' : '1', engine: type }
}
