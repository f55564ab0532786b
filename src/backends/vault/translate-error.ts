import { VaultTransportError, type VaultResponse } from './port-types'

export type Translated =
  | { readonly kind: 'response'; readonly response: VaultResponse }
  | { readonly kind: 'transport'; readonly error: VaultTransportError }

/** System and axios error codes: upper case, digits and `_` only, so no text can hide in one. */
const CODE_SHAPE = /^[A-Z][A-Z0-9_]{1,47}$/

/** axios reports its own timeout as ECONNABORTED (or ETIMEDOUT with `clarifyTimeoutError`). */
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT'])

/**
 * Turns whatever node-vault rejected with into allow-listed data. node-vault
 * rejects with an `ApiResponseError` (`response.statusCode` and
 * `response.body`) for HTTP errors, the raw `AxiosError` for transport
 * failures (its `config` holds the X-Vault-Token header and the login body),
 * or a tv4 schema error (docs/design/vault-wire.md). Only the status, the body Vault
 * sent and an error code are kept; the error object, its message, stack,
 * cause and config are dropped here and never reach a message or log.
 */
export function translateError(err: unknown): Translated {
  const response = field(err, 'response')
  const status = field(response, 'statusCode')
  if (typeof status === 'number' && Number.isInteger(status)) {
    return { kind: 'response', response: { status, body: field(response, 'body') } }
  }
  return { kind: 'transport', error: new VaultTransportError(transportCode(err)) }
}

function transportCode(err: unknown): string {
  const code = field(err, 'code') ?? field(field(err, 'cause'), 'code')
  if (typeof code !== 'string' || !CODE_SHAPE.test(code)) return 'UNKNOWN'
  return TIMEOUT_CODES.has(code) ? 'TIMEOUT' : code
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined
}
