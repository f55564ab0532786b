import path from 'node:path'
import type { BackendDeps } from '../../types'
import type { CallContext } from '../call'
import type { VaultConfig } from '../config'
import { cacheFileName, TokenCache } from '../token-cache'
import { login } from './login'
import { loginIdentity } from './login-request'
import { staticToken, type TokenResult } from './token-source'

/**
 * The Vault token of a run. Obtained lazily, once: from `VAULT_TOKEN` /
 * `~/.vault-token` for token auth, else from the token cache, else by
 * logging in (and then cached). A cached token that Vault rejects is
 * dropped and replaced by a fresh login, once (`replace`).
 */
export class VaultSession {
  #current: Promise<TokenResult> | undefined
  #replacing: Promise<TokenResult> | undefined
  #cache: { readonly store: TokenCache; readonly file: string } | null | undefined

  constructor(
    private readonly config: VaultConfig,
    private readonly deps: BackendDeps,
  ) {}

  token(ctx: CallContext): Promise<TokenResult> {
    this.#current ??= this.#obtain(ctx, true).then((result) => {
      // A failed login is not remembered: a later fetch may try again.
      if (!result.ok) this.#current = undefined
      return result
    })
    return this.#current
  }

  /**
   * Vault answered `invalid token` for `rejected`. If that token came from
   * the cache, the entry is removed and one fresh login is made, shared by
   * every read that saw the rejection; otherwise there is nothing to replace.
   */
  async replace(rejected: string, ctx: CallContext): Promise<TokenResult | undefined> {
    if (this.#replacing !== undefined) return this.#replacing
    const current = await this.#current
    if (!current?.ok) return undefined
    if (current.token !== rejected) return current
    if (!current.fromCache) return undefined
    this.#replacing ??= (async () => {
      const cache = await this.#cacheFor(ctx)
      if (cache) await cache.store.remove(cache.file)
      return this.#obtain(ctx, false)
    })()
    this.#current = this.#replacing
    return this.#replacing
  }

  async #obtain(ctx: CallContext, useCache: boolean): Promise<TokenResult> {
    const started = Date.now()
    const { auth } = this.config
    if (auth.method === 'token') {
      const result = await staticToken(auth, this.deps.env, this.deps.redactor)
      ctx.log({ kind: 'login', method: 'token', cached: false, ms: Date.now() - started })
      return result
    }
    const cache = await this.#cacheFor(ctx)
    if (useCache && cache) {
      const hit = await cache.store.read(cache.file)
      if (hit !== undefined) {
        this.deps.redactor.add(hit.token)
        ctx.log({ kind: 'login', method: auth.method, cached: true, ms: Date.now() - started })
        return { ok: true, token: hit.token, fromCache: true }
      }
    }
    const outcome = await login(auth, ctx, this.deps.redactor)
    if (!outcome.ok) return outcome
    ctx.log({ kind: 'login', method: auth.method, cached: false, ms: Date.now() - started })
    if (cache) {
      const expiresAt = outcome.ttlSeconds > 0 ? Date.now() + outcome.ttlSeconds * 1000 : null
      await cache.store.write(cache.file, { ...outcome, expiresAt })
    }
    return { ok: true, token: outcome.token, fromCache: false }
  }

  /** The cache store and file of this login, or `null` when the cache is off or has no directory. */
  async #cacheFor(ctx: CallContext): Promise<{ store: TokenCache; file: string } | null> {
    if (this.#cache !== undefined) return this.#cache
    const { auth, tokenCacheDir, address, namespace } = this.config
    const home = this.deps.env['HOME']
    const dir = tokenCacheDir ?? (home ? path.join(home, '.avp') : undefined)
    if (auth.method === 'token' || this.deps.disableTokenCache || dir === undefined) {
      const reason = this.deps.disableTokenCache
        ? '--disable-token-cache'
        : 'no HOME and no AVP_TOKEN_CACHE_DIR'
      if (auth.method !== 'token') ctx.log({ kind: 'token-cache', action: 'off', reason })
      this.#cache = null
      return null
    }
    const file = cacheFileName({
      address,
      namespace: namespace ?? '',
      method: auth.method,
      mount: auth.mount,
      identity: await loginIdentity(auth, this.config.tls),
    })
    this.#cache = { store: new TokenCache(dir, ctx.log), file }
    return this.#cache
  }
}
