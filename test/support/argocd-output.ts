/**
 * How Argo CD reads a plugin's stdout (docs/design/argocd-cmp-contract.md), for the
 * emulation tests. Written independently of src/input on purpose: the judge
 * must not share the code it judges.
 */
import { parseAllDocuments } from 'yaml'

/** A decoded manifest: Argo CD requires `kind` on every one. */
export type K8sObject = Record<string, unknown> & { readonly kind: string }

type Judged =
  | { readonly ok: true; readonly manifests: K8sObject[] }
  | { readonly ok: false; readonly failure: string }

/**
 * Argo CD's reading of stdout (docs/design/argocd-cmp-contract.md): a JSON stream when it
 * starts with `{`, else YAML split on lines that are exactly `---` (trailing
 * blanks allowed), each chunk decoded as ONE YAML 1.1 document; empty and null
 * documents skipped; `kind` required; `*List` objects flattened. A chunk holding
 * two documents (after `...`) is flagged: go-yaml would silently drop the
 * second. Zero manifests is reported as a failure: Argo CD would prune the app.
 */
export function judgeOutput(stdout: string): Judged {
  const chunks = /^\s*\{/.test(stdout) ? splitJsonStream(stdout) : stdout.split(/^---[ \t]*$/m)
  if (chunks === undefined)
    return { ok: false, failure: 'failed to unmarshal manifest: bad JSON stream' }
  const manifests: K8sObject[] = []
  for (const chunk of chunks) {
    const docs = parseAllDocuments(chunk, { version: '1.1' })
    if (!Array.isArray(docs)) continue
    const contents = docs.filter((d) => d.contents !== null)
    if (contents.some((d) => d.errors.length > 0))
      return { ok: false, failure: 'failed to unmarshal manifest' }
    if (contents.length > 1)
      return { ok: false, failure: 'a chunk holds more than one document (one would be lost)' }
    const value: unknown = contents[0]?.toJS()
    if (value === undefined || value === null) continue
    if (typeof value !== 'object' || Array.isArray(value))
      return { ok: false, failure: 'manifest is not an object' }
    const obj = value as Record<string, unknown>
    if (typeof obj['kind'] !== 'string' || obj['kind'] === '') {
      return { ok: false, failure: "Object 'Kind' is missing" }
    }
    if (obj['kind'].endsWith('List') && 'items' in obj) {
      if (Array.isArray(obj['items'])) manifests.push(...(obj['items'] as K8sObject[]))
      continue
    }
    manifests.push(obj as K8sObject)
  }
  if (manifests.length === 0) {
    return {
      ok: false,
      failure: 'zero manifests with exit 0: Argo CD would prune every resource of the app',
    }
  }
  return { ok: true, manifests }
}

/** Concatenated JSON objects, as apimachinery's JSON decoder reads them. */
function splitJsonStream(text: string): string[] | undefined {
  const out: string[] = []
  let depth = 0
  let start = -1
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i)
    if (inString) {
      if (ch === '\\') i++
      else if (ch === '"') inString = false
    } else if (ch === '"') inString = true
    else if (ch === '{') {
      if (depth++ === 0) start = i
    } else if (ch === '}') {
      if (--depth === 0) out.push(text.slice(start, i + 1))
    } else if (depth === 0 && !/\s/.test(ch)) return undefined
  }
  return depth === 0 ? out : undefined
}
