import path from 'node:path'
import type { BackendDeps } from '../../types'
import { callVault, type CallContext } from '../call'
import type { VaultConfig } from '../config'
import { lockLogin } from '../login-lock'
import { TokenCache } from '../token-cache'
import { cacheFileName, loadCacheKey } from '../token-cache-key'
import { login } from './login'
import {
  describeLogin,
  loginInputs,
  loginRequest,
  type LoginAuth,
  type LoginRequestResult,
} from './login-request'
import { staticToken, type TokenResult } from './token-source'

/**
 * The Vault token of a run. Obtained lazily, once: from `VAULT_TOKEN` /
 * `~/.vault-token` for token auth, else from the token cache, else by
 * logging in (and then cached). A cached token that Vault no longer accepts
 * is dropped and replaced by a fresh login, once (`replace`).
 */
export class VaultSession {
  #current: Promise<TokenResult> | undefined
  #replacing: Promise<TokenResult> | undefined
  #request: Promise<LoginRequestResult> | undefined
  #cache: { readonly store: TokenCache; readonly file: string } | null | undefined
  /** `auth/token/lookup-self` verdicts by token: one check per token and run. */
  readonly #checks = new Map<string, Promise<boolean>>()

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
   * Whether Vault refuses `token` itself (revoked, expired, unknown), asked
   * once per token with `auth/token/lookup-self`. A 403 on a read does not
   * say: Vault adds `invalid token` to it, OpenBao answers a plain
   * `permission denied` for a bad token and for a path the policy forbids
   * alike. Anything but a clear refusal (a 5xx, no answer) counts as "not refused".
   */
  refused(token: string, ctx: CallContext): Promise<boolean> {
    let check = this.#checks.get(token)
    if (check === undefined) {
      check = callVault(ctx, 'checking the Vault token', (signal) =>
        ctx.port.read(['auth', 'token', 'lookup-self'], {}, { signal, token }),
      ).then((answer) => {
        const status = answer.ok ? answer.response.status : 0
        const refused = status === 401 || status === 403
        const verdict = refused ? 'refused' : answer.ok ? 'accepted' : 'unknown'
        ctx.log({ kind: 'note', message: `auth/token/lookup-self: token ${verdict}` })
        return refused
      })
      this.#checks.set(token, check)
    }
    return check
  }

  /**
   * Vault refused `rejected`. If that token came from the cache, the entry is
   * removed and one fresh login is made, shared by every call that saw the
   * refusal; otherwise there is nothing to replace.
   */
  async replace(rejected: string, ctx: CallContext): Promise<TokenResult | undefined> {
    if (this.#replacing !== undefined) return this.#replacing
    const current = await this.#current
    if (!current?.ok) return undefined
    if (current.token !== rejected) return current
    if (current.source !== 'cache') return undefined
    this.#replacing ??= (async () => {
      const cache = this.#cache
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
      const result = await staticToken(auth, this.deps.env, this.deps.registerSecret)
      ctx.log({ kind: 'login', method: 'token', cached: false, ms: Date.now() - started })
      return result
    }
    this.#request ??= loginRequest(auth, this.deps.registerSecret)
    const built = await this.#request
    if (!built.ok) {
      const message = `Vault login (${describeLogin(auth)}): ${built.failure}`
      return { ok: false, failure: { code: 'AUTH_FAILED', message } }
    }
    const cache = await this.#cacheFor(auth, built.request, ctx)
    const cached =
      useCache && cache ? await this.#fromCache(cache, auth.method, started, ctx) : undefined
    if (cached !== undefined) return cached
    // Concurrent runs of other processes share one login: the first logs in, the others read its token.
    const lock = cache
      ? await lockLogin(cache.store.dir, cache.file, ctx.signal, ctx.log)
      : undefined
    try {
      // Whoever held the lock since the read above may have cached a token meanwhile.
      const filled =
        useCache && cache ? await this.#fromCache(cache, auth.method, started, ctx) : undefined
      if (filled !== undefined) return filled
      const outcome = await login(auth, built.request, ctx, this.deps.registerSecret)
      if (!outcome.ok) return outcome
      ctx.log({ kind: 'login', method: auth.method, cached: false, ms: Date.now() - started })
      if (cache) {
        const expiresAt = outcome.ttlSeconds > 0 ? Date.now() + outcome.ttlSeconds * 1000 : null
        await cache.store.write(cache.file, { ...outcome, expiresAt })
      }
      return { ok: true, token: outcome.token, source: 'login' }
    } finally {
      await lock?.release()
    }
  }

  async #fromCache(
    cache: { readonly store: TokenCache; readonly file: string },
    method: LoginAuth['method'],
    started: number,
    ctx: CallContext,
  ): Promise<TokenResult | undefined> {
    const hit = await cache.store.read(cache.file)
    if (hit === undefined) return undefined
    this.deps.registerSecret(hit.token)
    ctx.log({ kind: 'login', method, cached: true, ms: Date.now() - started })
    return { ok: true, token: hit.token, source: 'cache' }
  }

  /** The cache store and file of this login, or `null` when the cache is off, has no directory or no usable key. */
  async #cacheFor(
    auth: LoginAuth,
    request: Parameters<typeof loginInputs>[0],
    ctx: CallContext,
  ): Promise<{ store: TokenCache; file: string } | null> {
    if (this.#cache !== undefined) return this.#cache
    const { tokenCacheDir, address, namespace } = this.config
    const home = this.deps.env['HOME']
    const dir = tokenCacheDir ?? (home ? path.join(home, '.avp') : undefined)
    if (this.deps.disableTokenCache || dir === undefined) {
      const reason = this.deps.disableTokenCache
        ? '--disable-token-cache'
        : 'no HOME and no AVP_TOKEN_CACHE_DIR'
      ctx.log({ kind: 'token-cache', action: 'off', reason })
      this.#cache = null
      return null
    }
    if (this.deps.canStoreIn !== undefined && !(await this.deps.canStoreIn(dir))) {
      ctx.log({ kind: 'token-cache', action: 'off', reason: 'directory inside the repository' })
      this.#cache = null
      return null
    }
    const key = await loadCacheKey(dir)
    if (!key.ok) {
      ctx.log({ kind: 'token-cache', action: 'off', reason: `key file: ${key.failure}` })
      this.#cache = null
      return null
    }
    const file = cacheFileName(key.key, {
      address,
      namespace: namespace ?? '',
      method: auth.method,
      mount: auth.mount,
      inputs: await loginInputs(request, auth, this.config.tls),
    })
    this.#cache = { store: new TokenCache(dir, ctx.log), file }
    return this.#cache
  }
}
