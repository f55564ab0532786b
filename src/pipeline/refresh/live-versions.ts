import { runBounded } from '../../backends/run-bounded'
import type { Problem } from '../../errors'
import type { KubeClient } from '../../kube/client'
import type { DebugLog } from '../../log'
import { VERSIONS_ANNOTATION } from '../../placeholders/record-versions'
import type { AppView, LiveRef } from './applications'
import { kubeProblem } from './kube-problems'
import {
  discoveryPath,
  kindsOf,
  knownResource,
  objectPath,
  rbacName,
  type ResourceName,
} from './resource-paths'

/** Per secret path, the versions an app's live objects recorded for it. */
export type Recorded = ReadonlyMap<string, ReadonlySet<string>>

export interface LiveVersions {
  /** By Application name. */
  readonly byApp: ReadonlyMap<string, Recorded>
  readonly problems: readonly Problem[]
  /** Objects read (each distinct object once, however many apps list it). */
  readonly objectsRead: number
}

export interface ReadOptions {
  readonly client: KubeClient
  readonly timeoutMs: number
  readonly concurrency: number
  readonly signal: AbortSignal
  readonly log: DebugLog
}

/**
 * Reads the recorded secret versions of every app's live objects. Each object
 * is read once, metadata only; a kind outside the built-in table is looked up
 * in API discovery once per group version.
 */
export async function readLiveVersions(
  apps: readonly AppView[],
  options: ReadOptions,
): Promise<LiveVersions> {
  const { client, signal } = options
  const problems: Problem[] = []
  const discovered = new Map<string, Promise<ReadonlyMap<string, ResourceName> | undefined>>()
  const resourceOf = async (ref: LiveRef): Promise<ResourceName | undefined> => {
    const known = knownResource(ref)
    if (known !== undefined) return known
    const path = discoveryPath(ref)
    let pending = discovered.get(path)
    if (pending === undefined) {
      pending = client.get(path, signal).then((answer) => {
        const kinds = kindsOf(answer)
        if (kinds === undefined) {
          const action = { verb: 'get', resource: `API discovery ${path}` } as const
          problems.push(kubeProblem(answer, action, client.target, options.timeoutMs))
        }
        return kinds
      })
      discovered.set(path, pending)
    }
    const resource = (await pending)?.get(ref.kind)
    if (resource === undefined && (await pending) !== undefined) {
      problems.push({
        code: 'BACKEND_ERROR',
        message: `the Kubernetes API does not serve kind ${ref.kind} in ${path}; its recorded versions were not read`,
        location: { resource: `${ref.kind}/${ref.name}` },
      })
    }
    return resource
  }

  // Every app's objects by API path, so an object two apps list is read once.
  const owners = new Map<string, { ref: LiveRef; resource: ResourceName; apps: string[] }>()
  for (const app of apps) {
    for (const ref of app.resources) {
      const resource = await resourceOf(ref)
      if (resource === undefined) continue
      const path = objectPath(ref, resource)
      const entry = owners.get(path) ?? { ref, resource, apps: [] }
      entry.apps.push(app.name)
      owners.set(path, entry)
    }
  }

  const byApp = new Map<string, Map<string, Set<string>>>(apps.map((app) => [app.name, new Map()]))
  await runBounded([...owners], options.concurrency, async ([path, { ref, resource, apps }]) => {
    const answer = await client.getMetadata(path, signal)
    const subject = `${ref.kind}/${ref.name}`
    if (answer.ok && answer.status === 404) {
      options.log({ kind: 'note', message: `${subject} no longer exists; skipped` })
      return
    }
    if (!answer.ok || answer.status !== 200) {
      const action = {
        verb: 'get',
        resource: rbacName(ref, resource),
        ...(ref.namespace === undefined ? {} : { namespace: ref.namespace }),
        subject,
      } as const
      problems.push(kubeProblem(answer, action, client.target, options.timeoutMs))
      return
    }
    const recorded = parseRecorded(annotationOf(answer.body))
    if (recorded === 'invalid') {
      const ns = ref.namespace === undefined ? '' : ` in namespace ${ref.namespace}`
      problems.push({
        code: 'INPUT_INVALID',
        message: `the ${VERSIONS_ANNOTATION} annotation of ${subject}${ns} is not a JSON object of versions; the object was skipped`,
        location: { resource: subject },
      })
      return
    }
    for (const app of apps) {
      const versions = byApp.get(app)
      if (versions === undefined) continue
      for (const [secret, version] of recorded) {
        const seen = versions.get(secret) ?? new Set<string>()
        seen.add(version)
        versions.set(secret, seen)
      }
    }
  })
  return { byApp, problems, objectsRead: owners.size }
}

function annotationOf(body: unknown): unknown {
  const metadata = (body as { metadata?: unknown } | undefined)?.metadata
  const annotations = (metadata as { annotations?: unknown } | undefined)?.annotations
  return (annotations as Record<string, unknown> | undefined)?.[VERSIONS_ANNOTATION]
}

/** The annotation as written by `generate`: compact JSON of path → version. */
export function parseRecorded(value: unknown): ReadonlyMap<string, string> | 'invalid' {
  if (value === undefined) return new Map()
  if (typeof value !== 'string') return 'invalid'
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    return 'invalid'
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'invalid'
  const entries = Object.entries(parsed as Record<string, unknown>)
  if (entries.some(([path, v]) => path === '' || typeof v !== 'string')) return 'invalid'
  return new Map(entries as [string, string][])
}
