import { ConfigError } from '../errors'

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

export type DecodedSecret =
  | { readonly ok: true; readonly values: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly failures: readonly string[] }

/**
 * Decodes a Kubernetes `Secret` JSON answer (parsed; `undefined` when it was
 * not JSON, see http/json-request.ts): `.data` values are base64,
 * `.stringData` (never returned by a real API server, but present in
 * hand-written fakes and proxies) is plain and wins, as it does on write.
 * Issues name keys only; neither the body nor a parser message is quoted.
 */
export function decodeSecretData(parsed: unknown, where: string): DecodedSecret {
  if (parsed === undefined) {
    return { ok: false, failures: [`the Kubernetes API answer for secret ${where} is not JSON`] }
  }
  if (!isRecord(parsed) || parsed['kind'] !== 'Secret') {
    return { ok: false, failures: [`the Kubernetes API did not answer with a Secret for ${where}`] }
  }
  const values = new Map<string, string>()
  const issues: string[] = []
  for (const [key, value] of entriesOf(parsed['data'], where, 'data', issues)) {
    if (typeof value === 'string' && BASE64.test(value) && value.length % 4 === 0) {
      values.set(key, Buffer.from(value, 'base64').toString('utf8'))
    } else {
      issues.push(`secret ${where}: data key ${key} is not valid base64`)
    }
  }
  for (const [key, value] of entriesOf(parsed['stringData'], where, 'stringData', issues)) {
    if (typeof value === 'string') values.set(key, value)
    else issues.push(`secret ${where}: stringData key ${key} is not a string`)
  }
  return issues.length > 0 ? { ok: false, failures: issues } : { ok: true, values }
}

/** `decodeSecretData` for `--secret-name`: a `ConfigError` whose issues start with the flag. */
export function decodeSecretBody(body: unknown, where: string): ReadonlyMap<string, string> {
  const decoded = decodeSecretData(body, where)
  if (!decoded.ok) throw new ConfigError(decoded.failures.map((i) => `--secret-name: ${i}`))
  return decoded.values
}

function entriesOf(
  field: unknown,
  where: string,
  name: string,
  issues: string[],
): [string, unknown][] {
  if (field === undefined || field === null) return []
  if (!isRecord(field)) {
    issues.push(`secret ${where}: .${name} is not an object`)
    return []
  }
  return Object.entries(field)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
