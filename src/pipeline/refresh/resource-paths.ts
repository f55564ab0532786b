import type { JsonAnswer } from '../../http/json-request'
import type { LiveRef } from './applications'

/** How a Kind is addressed in the API: its plural resource name and whether it lives in a namespace. */
export interface ResourceName {
  readonly plural: string
  readonly namespaced: boolean
}

/**
 * The kinds most apps deploy, so that a typical run needs no discovery call.
 * Keyed by `group/Kind` (`/Secret` for the core group).
 */
const KNOWN: ReadonlyMap<string, ResourceName> = new Map(
  (
    [
      ['', 'ConfigMap', 'configmaps'],
      ['', 'Secret', 'secrets'],
      ['', 'Service', 'services'],
      ['', 'ServiceAccount', 'serviceaccounts'],
      ['', 'Pod', 'pods'],
      ['', 'PersistentVolumeClaim', 'persistentvolumeclaims'],
      ['apps', 'Deployment', 'deployments'],
      ['apps', 'StatefulSet', 'statefulsets'],
      ['apps', 'DaemonSet', 'daemonsets'],
      ['batch', 'Job', 'jobs'],
      ['batch', 'CronJob', 'cronjobs'],
      ['networking.k8s.io', 'Ingress', 'ingresses'],
      ['rbac.authorization.k8s.io', 'Role', 'roles'],
      ['rbac.authorization.k8s.io', 'RoleBinding', 'rolebindings'],
      ['policy', 'PodDisruptionBudget', 'poddisruptionbudgets'],
      ['autoscaling', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers'],
    ] as const
  )
    .map(([group, kind, plural]): [string, ResourceName] => [
      `${group}/${kind}`,
      { plural, namespaced: true },
    ])
    .concat(
      (
        [
          ['', 'Namespace', 'namespaces'],
          ['', 'PersistentVolume', 'persistentvolumes'],
          ['rbac.authorization.k8s.io', 'ClusterRole', 'clusterroles'],
          ['rbac.authorization.k8s.io', 'ClusterRoleBinding', 'clusterrolebindings'],
          ['apiextensions.k8s.io', 'CustomResourceDefinition', 'customresourcedefinitions'],
        ] as const
      ).map(([group, kind, plural]): [string, ResourceName] => [
        `${group}/${kind}`,
        { plural, namespaced: false },
      ]),
    ),
)

/** The resource name of a kind from the table, if it is there. */
export function knownResource(ref: LiveRef): ResourceName | undefined {
  return KNOWN.get(`${ref.group}/${ref.kind}`)
}

/** The discovery document of a group version: `/api/v1` or `/apis/<group>/<version>`. */
export function discoveryPath(ref: Pick<LiveRef, 'group' | 'version'>): string {
  const version = encodeURIComponent(ref.version)
  return ref.group === '' ? `/api/${version}` : `/apis/${encodeURIComponent(ref.group)}/${version}`
}

/** The kinds a discovery answer (`APIResourceList`) lists, subresources left out. */
export function kindsOf(answer: JsonAnswer): ReadonlyMap<string, ResourceName> | undefined {
  if (!answer.ok || answer.status !== 200) return undefined
  const resources = (answer.body as { resources?: unknown } | undefined)?.resources
  if (!Array.isArray(resources)) return undefined
  const kinds = new Map<string, ResourceName>()
  for (const entry of resources as unknown[]) {
    const { name, kind, namespaced } = (entry ?? {}) as Record<string, unknown>
    if (typeof name !== 'string' || typeof kind !== 'string' || name.includes('/')) continue
    kinds.set(kind, { plural: name, namespaced: namespaced === true })
  }
  return kinds
}

/** The API path of one live object. */
export function objectPath(ref: LiveRef, resource: ResourceName): string {
  const scope =
    resource.namespaced && ref.namespace !== undefined
      ? `/namespaces/${encodeURIComponent(ref.namespace)}`
      : ''
  return `${discoveryPath(ref)}${scope}/${encodeURIComponent(resource.plural)}/${encodeURIComponent(ref.name)}`
}

/** `deployments.apps` / `secrets`: a resource as RBAC rules and kubectl name it. */
export function rbacName(ref: LiveRef, resource: ResourceName): string {
  return ref.group === '' ? resource.plural : `${resource.plural}.${ref.group}`
}
