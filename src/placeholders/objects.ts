import { isMap, isSeq } from 'yaml'
import type { YAMLMap } from 'yaml'
import type { Location } from '../errors'
import type { Manifest } from '../input/manifest'
import { mapChild, scalarText } from './annotations'
import { indexPath, keyPath } from './walk'

/** One Kubernetes object inside a document, with the field path that leads to it. */
export interface KubeObject {
  readonly map: YAMLMap
  /** `''` for the document itself, `items[2]` for an item of a List. */
  readonly prefix: string
  readonly kind: string | undefined
  readonly location: Location
}

/**
 * The objects of a document. Argo CD flattens `kind: List` (and any `…List`
 * with an `items` sequence), so each item is an object of its own, with its
 * own annotations; the List's own fields are not substituted.
 */
export function objectsOf(manifest: Manifest): KubeObject[] {
  const root: unknown = manifest.doc.contents
  return isMap(root) ? collect(manifest, root, '') : []
}

function collect(manifest: Manifest, map: YAMLMap, prefix: string): KubeObject[] {
  const kind = scalarText(map, 'kind')
  const items: unknown = map.get('items', true)
  if (kind?.endsWith('List') === true && isSeq(items)) {
    const itemsPath = keyPath(prefix, 'items')
    return items.items.flatMap((item, index) =>
      isMap(item) ? collect(manifest, item, indexPath(itemsPath, index)) : [],
    )
  }
  return [{ map, prefix, kind, location: locate(manifest, map, kind) }]
}

function locate(manifest: Manifest, map: YAMLMap, kind: string | undefined): Location {
  const base = { file: manifest.source, document: manifest.index }
  if (kind === undefined || kind === '') return base
  const metadata = mapChild(map, 'metadata')
  const name = metadata === undefined ? undefined : scalarText(metadata, 'name')
  return { ...base, resource: name === undefined || name === '' ? kind : `${kind}/${name}` }
}
