import type { FetchFailure } from '../../secrets/ref'
import type { VaultResponse } from './port-types'

const MAX_DETAIL = 200

/** The port's bound on an answer (port.ts `MAX_BODY_BYTES`), for messages. */
export const MAX_BODY_MIB = 4

/** The strings of a Vault `{"errors": [...]}` body; empty for any other shape. */
export function vaultErrors(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return []
  const errors = (body as { errors?: unknown }).errors
  return Array.isArray(errors) ? errors.filter((e): e is string => typeof e === 'string') : []
}

/**
 * Vault's first error as one short line. Vault often sends multierror text
 * (`"1 error occurred:\n\t* permission denied\n\n"`, docs/design/vault-wire.md);
 * the framing is dropped and the items joined with `; `.
 */
export function firstError(body: unknown): string | undefined {
  const first = vaultErrors(body)[0]
  if (first === undefined) return undefined
  const items = [...first.matchAll(/^\s*\* (.+)$/gm)].map((m) => (m[1] ?? '').trim())
  const text = (items.length > 0 ? items.join('; ') : first).replace(/\s+/g, ' ').trim()
  if (text === '') return undefined
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text
}

/** 403 with `invalid token` (revoked, expired or garbage token); match by substring (docs/design/vault-wire.md). */
export function isInvalidToken(response: VaultResponse): boolean {
  return (
    response.status === 403 && vaultErrors(response.body).some((e) => e.includes('invalid token'))
  )
}

/** 429 (rate-limit quota, standby), 412 (Enterprise eventual consistency) and 5xx except 501 (not initialised) may pass. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 412 || (status >= 500 && status !== 501)
}

/** Connection-level failures worth another try; TLS and DNS-name errors are not. */
const RETRYABLE_CODES = new Set([
  'TIMEOUT',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ERR_NETWORK',
])

export function isRetryableCode(code: string): boolean {
  return RETRYABLE_CODES.has(code)
}

/** TLS verification failures (Node's codes from OpenSSL). */
export function isTlsCode(code: string): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|^ERR_TLS|^ERR_SSL|^EPROTO$/.test(code)
}

/**
 * The failure for a status that has no KV-specific meaning. `what` says what
 * was being done: `reading secret/data/app`, `logging in (approle at auth/approle)`.
 */
export function statusFailure(
  response: VaultResponse,
  what: string,
  attempts: number,
): FetchFailure {
  const { status, body } = response
  const detail = firstError(body)
  if (isInvalidToken(response)) {
    return {
      code: 'AUTH_FAILED',
      message: `the Vault token was refused (revoked, expired or wrong) ${what}`,
    }
  }
  if (status === 403) return { code: 'ACCESS_DENIED', message: `permission denied ${what}` }
  if (status === 429) {
    const tries = `still throttled after ${String(attempts)} attempts`
    return {
      code: 'THROTTLED',
      message: `Vault rate limit exceeded ${what} (429, ${tries})${detail ? `: ${detail}` : ''}`,
    }
  }
  if (status === 503 && vaultErrors(body).some((e) => e.includes('Vault is sealed'))) {
    return { code: 'UNAVAILABLE', message: `Vault is sealed (503 ${what})` }
  }
  const suffix =
    detail !== undefined
      ? `: ${detail}`
      : typeof body === 'string' && body !== ''
        ? ' (the answer is not JSON: a proxy or load balancer in front of Vault?)'
        : ''
  return {
    code: status >= 500 ? 'UNAVAILABLE' : 'BACKEND_ERROR',
    message: `Vault answered ${String(status)} ${what}${suffix}`,
  }
}

/**
 * Go's HTTP server (Vault, OpenBao) answers plain HTTP on a TLS port with a
 * bare 400 and this text, before any Vault code runs.
 */
const PLAIN_HTTP_TO_TLS = 'Client sent an HTTP request to an HTTPS server'

/** `VAULT_ADDR` says http:// but the port speaks TLS: the fix is https://, not a proxy. */
export function plainHttpToTls(
  response: VaultResponse,
  what: string,
  address: string,
): FetchFailure | undefined {
  const { status, body } = response
  if (status !== 400 || typeof body !== 'string' || !body.includes(PLAIN_HTTP_TO_TLS)) return
  const https = address.replace(/^http:/, 'https:')
  return {
    code: 'UNAVAILABLE',
    message: `Vault at ${address} expects TLS (it answered "${PLAIN_HTTP_TO_TLS}." ${what}): set VAULT_ADDR to ${https}`,
  }
}

/**
 * A 2xx whose body is not JSON: cut short, or not from Vault (a proxy's page).
 * The body itself is never quoted: it could hold anything.
 */
export function notJsonSuccess(response: VaultResponse, what: string): FetchFailure | undefined {
  const { status, body } = response
  if (status < 200 || status >= 300 || typeof body !== 'string' || body === '') return
  return {
    code: 'BACKEND_ERROR',
    message: `Vault answered ${String(status)} ${what} with a body that is not JSON (cut short, or a proxy or load balancer in front of Vault?)`,
  }
}

/**
 * A 404 `namespace not found` (OpenBao's words): `VAULT_NAMESPACE` names a
 * namespace that does not exist, or that the token may not see.
 */
export function isNamespaceMissing(response: VaultResponse): boolean {
  return (
    response.status === 404 &&
    vaultErrors(response.body).some((e) => e.includes('namespace not found'))
  )
}

/** The message for a missing namespace, `what` being the call that found out. */
export function namespaceMessage(namespace: string, what: string): string {
  return `Vault namespace ${namespace} (VAULT_NAMESPACE) was not found, or is hidden from this token, while ${what}`
}

/** The failure for a request that got no HTTP answer (see `VaultTransportError`). */
export function transportFailure(
  code: string,
  what: string,
  context: { readonly address: string; readonly requestTimeoutMs: number },
): FetchFailure {
  if (code === 'TIMEOUT') {
    const seconds = String(context.requestTimeoutMs / 1000)
    return {
      code: 'TIMEOUT',
      message: `Vault did not answer ${what} within ${seconds} s (AVP_VAULT_TIMEOUT)`,
    }
  }
  if (code === 'EMSGSIZE') {
    return {
      code: 'BACKEND_ERROR',
      message: `Vault's answer ${what} is larger than ${String(MAX_BODY_MIB)} MiB; it was not read`,
    }
  }
  if (code === 'ERR_REDIRECT') {
    return {
      code: 'UNAVAILABLE',
      message: `Vault at ${context.address} redirected ${what} in a loop or from https to http; the redirect was not followed`,
    }
  }
  if (isTlsCode(code)) {
    return {
      code: 'UNAVAILABLE',
      message: `TLS verification of Vault at ${context.address} failed ${what}: ${code} (set VAULT_CACERT or VAULT_CAPATH to the CA of Vault's certificate)`,
    }
  }
  return {
    code: 'UNAVAILABLE',
    message: `cannot connect to Vault at ${context.address}: ${code} (${what})`,
  }
}
