/** A live resource an Application manages, from its `status.resources`. */
export interface LiveRef {
  readonly group: string
  readonly version: string
  readonly kind: string
  /** Absent for cluster-scoped resources. */
  readonly namespace?: string
  readonly name: string
}

/** What `refresh` needs of one Application. */
export interface AppView {
  readonly name: string
  /** Whether any of its sources names the plugin (`spec.source.plugin.name`, `spec.sources[].plugin.name`). */
  readonly usesPlugin: boolean
  /**
   * The destination when it is another cluster: its live resources cannot be
   * read with this pod's service account.
   */
  readonly remote?: string
  readonly resources: readonly LiveRef[]
  /** `spec.project`, matched by the operator's scoping policy as generate matches it. */
  readonly project?: string
  /** `spec.destination.namespace`, likewise. */
  readonly destinationNamespace?: string
  /** `argocd-secret-plugin.io/refreshed-versions` as found on the Application. */
  readonly refreshedFor?: string
}

/** Set on an Application with the versions a refresh was asked for (see decide.ts). */
export const REFRESHED_ANNOTATION = 'argocd-secret-plugin.io/refreshed-versions'

/** The cluster Argo CD runs in, as Applications name it (Argo CD's defaults). */
const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc'
const IN_CLUSTER_NAME = 'in-cluster'

/** Reads one item of the Application list; undefined when it has no usable name. */
export function readApplication(item: unknown, pluginName: string): AppView | undefined {
  const metadata = record(field(item, 'metadata'))
  const name = metadata?.['name']
  if (typeof name !== 'string' || name === '') return undefined
  const spec = field(item, 'spec')
  const sources = [field(spec, 'source'), ...list(field(spec, 'sources'))]
  const usesPlugin = sources.some((s) => field(field(s, 'plugin'), 'name') === pluginName)
  const destination = field(spec, 'destination')
  const server = field(destination, 'server')
  const cluster = field(destination, 'name')
  const local =
    (server === undefined && cluster === undefined) ||
    server === IN_CLUSTER_SERVER ||
    cluster === IN_CLUSTER_NAME
  const refreshedFor = record(metadata?.['annotations'])?.[REFRESHED_ANNOTATION]
  const project = field(spec, 'project')
  const destinationNamespace = field(destination, 'namespace')
  return {
    name,
    usesPlugin,
    ...(typeof project === 'string' && project !== '' ? { project } : {}),
    ...(typeof destinationNamespace === 'string' && destinationNamespace !== ''
      ? { destinationNamespace }
      : {}),
    ...(local ? {} : { remote: typeof server === 'string' ? server : String(cluster) }),
    resources: list(field(field(item, 'status'), 'resources')).flatMap((r) => liveRef(r)),
    ...(typeof refreshedFor === 'string' ? { refreshedFor } : {}),
  }
}

function liveRef(entry: unknown): LiveRef[] {
  const group = field(entry, 'group') ?? ''
  const version = field(entry, 'version')
  const kind = field(entry, 'kind')
  const name = field(entry, 'name')
  const namespace = field(entry, 'namespace')
  if (typeof group !== 'string' || typeof version !== 'string') return []
  if (typeof kind !== 'string' || typeof name !== 'string' || kind === '' || name === '') return []
  return [
    {
      group,
      version,
      kind,
      name,
      ...(typeof namespace === 'string' && namespace !== '' ? { namespace } : {}),
    },
  ]
}

function record(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

function field(value: unknown, name: string): unknown {
  return record(value)?.[name]
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : []
}
