import type { RegisterSecret } from '../../../secrets/redact'
import type { FetchFailure } from '../../../secrets/ref'
import { callVault, type CallContext } from '../call'
import { firstError, isNamespaceMissing, namespaceMessage, statusFailure } from '../errors'
import { describeLogin, type LoginAuth, type LoginRequest } from './login-request'

export type LoginOutcome =
  | {
      readonly ok: true
      readonly token: string
      readonly ttlSeconds: number
      readonly renewable: boolean
    }
  | { readonly ok: false; readonly failure: FetchFailure }

/**
 * Logs in once (with retries on 429/5xx/connection errors). A 4xx answer is
 * `AUTH_FAILED` naming the method, the mount and Vault's own reason, e.g.
 * `Vault login failed (approle at auth/approle): invalid role or secret ID`.
 */
export async function login(
  auth: LoginAuth,
  request: LoginRequest,
  ctx: CallContext,
  registerSecret: RegisterSecret,
): Promise<LoginOutcome> {
  const where = describeLogin(auth)
  const what = `logging in (${where})`
  const answer = await callVault(ctx, what, (signal) =>
    ctx.port.write(request.path, request.body, { signal }),
  )
  if (!answer.ok) return answer
  const { status, body } = answer.response
  if (ctx.namespace !== undefined && isNamespaceMissing(answer.response)) {
    const message = namespaceMessage(ctx.namespace, what)
    return { ok: false, failure: { code: 'AUTH_FAILED', message } }
  }
  if (status >= 400 && status < 500 && status !== 429) {
    const reason = firstError(body) ?? `HTTP ${String(status)}`
    return {
      ok: false,
      failure: { code: 'AUTH_FAILED', message: `Vault login failed (${where}): ${reason}` },
    }
  }
  if (status >= 300)
    return { ok: false, failure: statusFailure(answer.response, what, ctx.maxAttempts) }
  const grant = parseAuth(body)
  if (grant === undefined) {
    return {
      ok: false,
      failure: {
        code: 'AUTH_FAILED',
        message: `Vault login (${where}) answered without a client token`,
      },
    }
  }
  registerSecret(grant.token)
  return { ok: true, ...grant }
}

/** `auth.client_token`, `auth.lease_duration` (TTL in seconds) and `auth.renewable` (docs/design/vault-wire.md). */
function parseAuth(
  body: unknown,
): { token: string; ttlSeconds: number; renewable: boolean } | undefined {
  const auth =
    typeof body === 'object' && body !== null ? (body as { auth?: unknown }).auth : undefined
  if (typeof auth !== 'object' || auth === null) return undefined
  const a = auth as { client_token?: unknown; lease_duration?: unknown; renewable?: unknown }
  if (typeof a.client_token !== 'string' || a.client_token === '') return undefined
  const ttl = typeof a.lease_duration === 'number' && a.lease_duration > 0 ? a.lease_duration : 0
  return { token: a.client_token, ttlSeconds: ttl, renewable: a.renewable === true }
}
