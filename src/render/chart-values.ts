import { parseYamlDocument, stripBom } from '../yaml/parse'

type Tree = Record<string, unknown>

/** Parses a values document into a map, or undefined when it is not one (errors are never quoted). */
export function parseValues(text: string): Tree | undefined {
  try {
    const doc = parseYamlDocument(stripBom(text), 'valuesData').result
    if (doc.errors.length > 0) return undefined
    const data: unknown = doc.toJS()
    if (data === null || data === undefined) return {}
    return isTree(data) ? data : undefined
  } catch {
    return undefined
  }
}

/**
 * Helm's merge of value layers, close enough for comparing `--set` entries:
 * maps merge recursively, anything else replaces, and `null` deletes a key
 * (helm `chartutil.CoalesceTables`).
 */
export function mergeValues(base: Tree, overlay: Tree): Tree {
  const out = new Map(Object.entries(base))
  for (const [key, value] of Object.entries(overlay)) {
    const current = out.get(key)
    if (value === null) out.delete(key)
    else if (isTree(value) && isTree(current)) out.set(key, mergeValues(current, value))
    else out.set(key, value)
  }
  return Object.fromEntries(out)
}

/**
 * Flattens values into `--set` keys, as Argo CD lists a chart's parameters:
 * `image.tag`, `args[0]`, a dot inside a key escaped as `\.`. Leaves become
 * strings; empty maps and lists and nulls are left out. At most `limit` entries.
 */
export function flattenValues(tree: Tree, limit = 1000): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (value: unknown, key: string): void => {
    if (out.size >= limit) return
    if (Array.isArray(value)) {
      value.forEach((item: unknown, i) => {
        walk(item, `${key}[${String(i)}]`)
      })
    } else if (isTree(value)) {
      for (const [k, v] of Object.entries(value)) {
        const part = k.replace(/\\/g, '\\\\').replace(/\./g, '\\.')
        walk(v, key === '' ? part : `${key}.${part}`)
      }
    } else if (value !== null && value !== undefined && key !== '') {
      out.set(key, scalarText(value))
    }
  }
  walk(tree, '')
  return out
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value)
  }
  return JSON.stringify(value)
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
