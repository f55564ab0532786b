/** Node's system and TLS error codes: upper case, digits and `_` only, so no text can hide in one. */
const CODE_SHAPE = /^[A-Z][A-Z0-9_]{1,47}$/

/** Codes of a connection or socket that timed out on its own. */
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT'])

/**
 * The code of an error from `node:http`/`node:https`, or of the error it
 * wraps (`cause`), `UNKNOWN` when there is none of the expected shape. Only
 * this code leaves the port: the error object, its message (which can quote
 * the host and port), stack and cause are dropped here
 * (docs/design/engineering-rules.md).
 */
export function transportCode(err: unknown): string {
  const code = field(err, 'code') ?? field(field(err, 'cause'), 'code')
  if (typeof code !== 'string' || !CODE_SHAPE.test(code)) return 'UNKNOWN'
  return TIMEOUT_CODES.has(code) ? 'TIMEOUT' : code
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined
}
