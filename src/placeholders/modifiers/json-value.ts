/**
 * Brings a parsed value into the JSON data model that AVP's Go code sees
 * (`interface{}` after `json.Unmarshal`): strings, finite numbers, booleans,
 * null, lists and string-keyed maps. Returns `undefined` for anything else.
 */
export function toJsonValue(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return undefined
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (value instanceof Uint8Array) {
    // sigs.k8s.io/yaml turns `!!binary` into []byte, which JSON writes as base64.
    return Buffer.from(value).toString('base64')
  }
  if (Array.isArray(value)) return convertList(value, depth)
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return convertMap(value as Record<string, unknown>, depth)
  }
  return undefined
}

const MAX_DEPTH = 1000

function convertList(items: readonly unknown[], depth: number): unknown {
  const out: unknown[] = []
  for (const item of items) {
    const converted = toJsonValue(item, depth + 1)
    if (converted === undefined) return undefined
    out.push(converted)
  }
  return out
}

function convertMap(entries: Record<string, unknown>, depth: number): unknown {
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(entries)) {
    const converted = toJsonValue(item, depth + 1)
    if (converted === undefined) return undefined
    out[key] = converted
  }
  return out
}
