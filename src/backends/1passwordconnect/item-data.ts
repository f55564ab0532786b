import type { FetchFailure, SecretData } from '../../secrets/ref'

/**
 * The key/value pairs of a full item: each field's label and value (a field
 * without a value gives ""). Two fields with one label are an error naming
 * the label: AVP silently keeps the last one, and which one is "last" is the
 * order Connect happens to send.
 */
export function itemData(
  body: unknown,
  what: string,
):
  | { readonly ok: true; readonly data: SecretData }
  | { readonly ok: false; readonly failure: FetchFailure } {
  const fields =
    isRecord(body) && Array.isArray(body['fields']) ? (body['fields'] as unknown[]) : []
  if (!isRecord(body)) {
    return {
      ok: false,
      failure: {
        code: 'BACKEND_ERROR',
        message: `1Password Connect did not answer with an item for ${what}`,
      },
    }
  }
  // A Map, not an object: a label such as `__proto__` is just a label.
  const data = new Map<string, string>()
  const duplicates = new Set<string>()
  for (const field of fields) {
    if (!isRecord(field) || typeof field['label'] !== 'string') continue
    const label = field['label']
    if (data.has(label)) duplicates.add(label)
    data.set(label, typeof field['value'] === 'string' ? field['value'] : '')
  }
  if (duplicates.size > 0) {
    const names = [...duplicates]
      .sort()
      .map((l) => JSON.stringify(l))
      .join(', ')
    return {
      ok: false,
      failure: {
        code: 'CONFIG_INVALID',
        message: `${what} has more than one field labelled ${names}; give each field its own label in 1Password`,
      },
    }
  }
  return { ok: true, data: Object.fromEntries(data) }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
