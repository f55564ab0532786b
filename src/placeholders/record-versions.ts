import { isMap, Scalar, YAMLMap } from 'yaml'
import { refKey, type Lookup, type RefKey, type SecretRef } from '../secrets/ref'
import type { SubstitutionPlan } from './types'

/**
 * The annotation `generate` writes on every object whose secrets have
 * versions: compact JSON mapping each secret path to the version it resolved
 * to, keys sorted, e.g. `{"secret/data/app":"3"}`. Never a value or a hash of
 * one. When a secret is rotated the annotation changes, so Argo CD's diff
 * shows which secret moved, and `refresh` compares it with the backend's
 * current version (docs/rotation.md).
 */
export const VERSIONS_ANNOTATION = 'argocd-secret-plugin.io/secret-versions'

/**
 * Writes the versions annotation on each planned object. A ref that pins a
 * version cannot rotate and a secret without versions (file backend, Vault
 * KV v1) has nothing to record: they are left out, and an object with
 * nothing left gets no annotation.
 */
export function recordVersions(plan: SubstitutionPlan, lookups: ReadonlyMap<RefKey, Lookup>): void {
  const refs = new Map<RefKey, SecretRef>()
  for (const ref of plan.refs) refs.set(refKey(ref), ref)
  for (const object of plan.objects) {
    const versions = new Map<string, string>()
    for (const key of object.refKeys) {
      const ref = refs.get(key)
      const lookup = lookups.get(key)
      if (ref === undefined || ref.version !== undefined || lookup?.ok !== true) continue
      if (lookup.version !== undefined) versions.set(secretLabel(ref), lookup.version)
    }
    if (versions.size === 0) continue
    const sorted = [...versions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    setAnnotation(object.map, JSON.stringify(Object.fromEntries(sorted)))
  }
}

/** The path, or `vault#secret` for a backend that reads one secret per key (Azure Key Vault). */
function secretLabel(ref: SecretRef): string {
  return ref.key === undefined ? ref.path : `${ref.path}#${ref.key}`
}

/** Sets `metadata.annotations[VERSIONS_ANNOTATION]`, creating the maps when missing. */
function setAnnotation(object: YAMLMap, value: string): void {
  const annotations = childMap(childMap(object, 'metadata'), 'annotations')
  annotations.set(new Scalar(VERSIONS_ANNOTATION), new Scalar(value))
}

function childMap(parent: YAMLMap, key: string): YAMLMap {
  const existing: unknown = parent.get(key, true)
  if (isMap(existing)) return existing
  // A missing or null `annotations:` becomes a map; anything else is replaced,
  // as the API server would refuse it anyway.
  const created = new YAMLMap()
  parent.set(new Scalar(key), created)
  return created
}
