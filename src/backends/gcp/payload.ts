import type { Lookup } from '../../secrets/ref'
import { Secret } from '../../secrets/secret'
import type { GcpTarget } from './target'

/**
 * The keys of one payload. AVP's only key is the secret id, which gives the
 * whole payload text, and that stays so (`<path:projects/p/secrets/db#db>`).
 * When the payload is a JSON object its fields are keys too, JSON types kept
 * (`<path:projects/p/secrets/db#password>`); the secret id wins over a field
 * of the same name, so an AVP manifest reads what it read before.
 */
export function payloadLookup(target: GcpTarget, bytes: Uint8Array): Lookup {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return {
      ok: false,
      failure: {
        code: 'BACKEND_ERROR',
        message: `${target.label} holds binary data, not UTF-8 text; store it base64-encoded and read it with | base64decode`,
      },
    }
  }
  const object = parseJsonObject(text)
  return { ok: true, data: new Secret({ ...object, [target.secretId]: text }) }
}

/** A JSON object, or nothing. The parser's message echoes its input, so it is dropped. */
function parseJsonObject(text: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return {}
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {}
  return parsed as Record<string, unknown>
}
