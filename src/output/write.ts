import type { Manifest } from '../input/manifest'
import { printForGoYaml } from '../yaml/go-yaml-print'
import { toJsonLine } from './to-json'

export type OutputFormat = 'yaml' | 'json'

/**
 * Serialises the manifests for stdout, once, after every placeholder is
 * resolved. YAML: each document starts with a `---` line of its own and none
 * ends with `...`, because Argo CD's splitter cuts only on `---` and would
 * silently lose a document that follows a `...` (docs/design/argocd-cmp-contract.md
 * hazard 1). Lines are never folded (`lineWidth: 0`), so base64 and PEM values
 * stay on one line. Untouched scalars print as written (failsafe schema,
 * see manifest.ts), with comments and key order.
 * JSON: one compact object per line, with the types a YAML 1.1 reader sees.
 * No manifests give the empty string; the caller decides what that means.
 */
export function formatManifests(manifests: readonly Manifest[], format: OutputFormat): string {
  if (format === 'yaml') return manifests.map(toYamlDocument).join('')
  return manifests.map((m) => toJsonLine(toYamlDocument(m), m)).join('')
}

function toYamlDocument(manifest: Manifest): string {
  const { doc } = manifest
  // `...` would make the next document vanish in Argo CD; `%YAML`/`%TAG`
  // lines before `---` would end up in the previous chunk. So the marker is
  // written here and the document's own directives are left out. The
  // document's leading comment then follows the `---`, staying with it.
  if (doc.directives !== undefined) doc.directives.docEnd = false
  // `[a, b]` and `{a: 1}` as people write them, not yaml's padded `[ a, b ]`.
  const text = printForGoYaml(doc, {
    lineWidth: 0,
    directives: false,
    flowCollectionPadding: false,
  })
  return `---\n${text}`
}
