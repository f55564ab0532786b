import { isMap, isSeq } from 'yaml'
import type { YAMLMap } from 'yaml'
import type { Location } from '../errors'
import type { Manifest } from '../input/manifest'
import { mapChild, readAnnotations, scalarText } from './annotations'
import { indexPath, keyPath } from './walk'

/** One Kubernetes object inside a document, with the field path that leads to it. */
export interface KubeObject {
  readonly map: YAMLMap
  /** `''` for the document itself, `items[2]` for an item of a List. */
  readonly prefix: string
  readonly kind: string | undefined
  readonly location: Location
  /**
   * The `avp.kubernetes.io/*` annotations of the List holding this item. AVP
   * applies a List's annotations to its items (docs/design/avp-semantics.md); an item
   * with AVP annotations of its own uses those instead.
   */
  readonly listAnnotations?: ReadonlyMap<string, string>
}

/**
 * The objects of a document. Argo CD flattens `kind: List` (and any `…List`
 * with an `items` sequence), so each item is an object of its own; the List's
 * own fields are not substituted.
 */
export function objectsOf(manifest: Manifest): KubeObject[] {
  const root: unknown = manifest.doc.contents
  return isMap(root) ? collect(manifest, root, '', undefined) : []
}

function collect(
  manifest: Manifest,
  map: YAMLMap,
  prefix: string,
  listAnnotations: ReadonlyMap<string, string> | undefined,
): KubeObject[] {
  const kind = scalarText(map, 'kind')
  const items: unknown = map.get('items', true)
  if (kind?.endsWith('List') === true && isSeq(items)) {
    const itemsPath = keyPath(prefix, 'items')
    const own = avpAnnotations(readAnnotations(map))
    const inherited = own.size > 0 ? own : listAnnotations
    return items.items.flatMap((item, index) =>
      isMap(item) ? collect(manifest, item, indexPath(itemsPath, index), inherited) : [],
    )
  }
  const location = locate(manifest, map, kind)
  return [{ map, prefix, kind, location, ...(listAnnotations ? { listAnnotations } : {}) }]
}

/** The annotations an object's placeholders follow: its own AVP ones, else its List's. */
export function effectiveAnnotations(object: KubeObject): ReadonlyMap<string, string> {
  const own = readAnnotations(object.map)
  if (avpAnnotations(own).size > 0 || object.listAnnotations === undefined) return own
  return new Map([...own, ...object.listAnnotations])
}

function avpAnnotations(annotations: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  return new Map([...annotations].filter(([name]) => name.startsWith('avp.kubernetes.io/')))
}

function locate(manifest: Manifest, map: YAMLMap, kind: string | undefined): Location {
  const base = { file: manifest.source, document: manifest.index }
  if (kind === undefined || kind === '') return base
  const metadata = mapChild(map, 'metadata')
  const name = metadata === undefined ? undefined : scalarText(metadata, 'name')
  return { ...base, resource: name === undefined || name === '' ? kind : `${kind}/${name}` }
}
