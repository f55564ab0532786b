import type { DebugLog } from '../../log'
import type { FetchFailure } from '../../secrets/ref'
import type { Answer } from './call'
import { isInvalidToken, statusFailure } from './failures'
import { isUnder, showPath, type VaultPath } from './paths'

/** What a mount lookup taught us about a path. */
export type MountInfo =
  | { readonly kind: 'known'; readonly mount: VaultPath; readonly kvVersion: '1' | '2' }
  /** Vault would not say (403: unknown mount or no access) or cannot (404: Vault < 0.10). */
  | { readonly kind: 'unknown'; readonly reason: 'denied' | 'old-vault' }

export type MountResult =
  | { readonly ok: true; readonly info: MountInfo }
  | { readonly ok: false; readonly failure: FetchFailure }

/** Performs `GET /v1/sys/internal/ui/mounts/<path>` with the run's token (and its retries). */
export type MountLookup = (path: VaultPath, what: string) => Promise<Answer>

/**
 * Finds the mount (and KV version) of secret paths, asking Vault once per
 * mount and run (contracts.md §2.3, as the Vault CLI's
 * `kvPreflightVersionRequest`): a path under a mount already seen is
 * answered from memory. Concurrent lookups that start with the same first
 * segment wait for the first one (vals' per-mount cache, style guide B.8),
 * so a burst of reads under `secret/` costs one lookup. A refusal (403/404)
 * is remembered by first segment too.
 */
export class MountResolver {
  readonly #known: { mount: VaultPath; kvVersion: '1' | '2' }[] = []
  readonly #unknown = new Map<string, MountInfo>()
  readonly #pending = new Map<string, Promise<MountResult>>()

  /** `lookup` asks Vault (with the current run's port and token); `log` gets a `mount` event per lookup. */
  async resolve(path: VaultPath, lookup: MountLookup, log: DebugLog): Promise<MountResult> {
    const first = path[0] ?? ''
    const remembered = this.#remembered(path, first)
    if (remembered !== undefined) return { ok: true, info: remembered }
    const pending = this.#pending.get(first)
    if (pending !== undefined) {
      await pending
      const now = this.#remembered(path, first)
      if (now !== undefined) return { ok: true, info: now }
    }
    const mine = this.#ask(path, first, lookup, log)
    this.#pending.set(first, mine)
    try {
      return await mine
    } finally {
      if (this.#pending.get(first) === mine) this.#pending.delete(first)
    }
  }

  #remembered(path: VaultPath, first: string): MountInfo | undefined {
    const matches = this.#known.filter((k) => isUnder(path, k.mount))
    const best = matches.sort((a, b) => b.mount.length - a.mount.length)[0]
    if (best !== undefined) return { kind: 'known', ...best }
    return this.#unknown.get(first)
  }

  async #ask(
    path: VaultPath,
    first: string,
    lookup: MountLookup,
    log: DebugLog,
  ): Promise<MountResult> {
    const what = `looking up the mount of ${showPath(path)}`
    const answer = await lookup(path, what)
    if (!answer.ok) return answer
    const { status, body } = answer.response
    if ((status === 403 && !isInvalidToken(answer.response)) || status === 404) {
      // 403: unknown mount or no access (Vault never says which); 404: Vault
      // older than 0.10, which the CLI treats as KV v1 (contracts.md §2.3).
      const info: MountInfo = { kind: 'unknown', reason: status === 403 ? 'denied' : 'old-vault' }
      this.#unknown.set(first, info)
      log({ kind: 'mount', mount: `${first}/`, kvVersion: `unknown (${info.reason})` })
      return { ok: true, info }
    }
    if (status !== 200) return { ok: false, failure: statusFailure(answer.response, what, 1) }
    const parsed = parseMount(body)
    if (parsed === undefined || !isUnder(path, parsed.mount)) {
      return {
        ok: false,
        failure: {
          code: 'BACKEND_ERROR',
          message: `Vault's mount lookup for ${showPath(path)} gave no usable mount`,
        },
      }
    }
    this.#known.push(parsed)
    log({ kind: 'mount', mount: `${showPath(parsed.mount)}/`, kvVersion: parsed.kvVersion })
    return { ok: true, info: { kind: 'known', ...parsed } }
  }
}

/** `data.path` (`secret/`) and `data.options.version`: `"2"` is v2, anything else v1 (the CLI's rule). */
function parseMount(body: unknown): { mount: VaultPath; kvVersion: '1' | '2' } | undefined {
  const data =
    typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined
  if (typeof data !== 'object' || data === null) return undefined
  const { path, options } = data as { path?: unknown; options?: unknown }
  if (typeof path !== 'string') return undefined
  const mount = path.split('/').filter((s) => s !== '')
  if (mount.length === 0) return undefined
  const version =
    typeof options === 'object' && options !== null
      ? (options as { version?: unknown }).version
      : undefined
  return { mount, kvVersion: version === '2' ? '2' : '1' }
}
