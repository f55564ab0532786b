import { readFile } from 'node:fs/promises'
import { setMaxListeners } from 'node:events'
import { selectBackend, type SelectedBackend } from '../../backends/registry'
import { runBounded } from '../../backends/run-bounded'
import type { Backend, BackendDeps, CurrentVersion, FetchContext } from '../../backends/types'
import { commonOptions } from '../../config/common'
import { readScopePolicy } from '../../config/scope-policy'
import { deadlineSignal, loadRunSettings, writeOnly } from '../prepare-run'
import { ConfigError, ProblemsError, compareProblems, type Problem } from '../../errors'
import type { Io } from '../../io'
import { connectInCluster, type KubeClient } from '../../kube/client'
import type { DebugLog } from '../../log'
import type { Redactor } from '../../secrets/redact'
import { REFRESHED_ANNOTATION, readApplication, type AppView } from './applications'
import { decide } from './decide'
import { kubeProblem } from './kube-problems'
import { readLiveVersions, type Recorded } from './live-versions'
import { scopeRecorded } from './scope'

export interface RefreshOptions {
  /** The namespace of the Application objects (Argo CD's own). */
  readonly namespace: string
  /** Applications whose source names this plugin are checked; all others are ignored. */
  readonly pluginName: string
  readonly dryRun: boolean
  readonly configPath?: string
  readonly secretName?: string
  readonly disableTokenCache: boolean
}

export interface RefreshReport {
  /** One line per Application refreshed (or, with `--dry-run`, to refresh), pending or skipped, and a summary. */
  readonly lines: readonly string[]
  /** Everything that went wrong; any makes the run fail. */
  readonly problems: readonly Problem[]
}

/** Argo CD's annotation: `hard` regenerates the manifests, bypassing its cache. */
export const REFRESH_ANNOTATION = 'argocd.argoproj.io/refresh'

const KUBE_TIMEOUT_MS = 10_000
/** An Application with its status can be large; a page of 100 stays far below this. */
const MAX_LIST_PAGE_BYTES = 64 * 1024 * 1024
const KUBE_CONCURRENCY = 8

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

/**
 * `refresh`: list the Applications that use the plugin, read the secret
 * versions their live objects recorded, ask the backend once per distinct
 * secret for its current version (metadata only, never a value), and ask
 * Argo CD for a hard refresh of the apps whose secrets moved
 * (docs/rotation.md). Throws when nothing could be checked at all; problems
 * with single objects, secrets or patches are returned with the report.
 */
export async function runRefresh(
  options: RefreshOptions,
  io: Io,
  redactor: Redactor,
  log: DebugLog,
): Promise<RefreshReport> {
  checkOptions(options)
  const registerSecret = writeOnly(redactor)
  const settings = await loadRunSettings(options, io, registerSecret, log)
  const { deadlineMs, pathValidation } = commonOptions(settings)
  const policy = await readScopePolicy(settings, (p) => readFile(p, 'utf8'))
  const create = selectBackend(settings)?.create
  if (create === undefined) {
    throw new ConfigError([
      'AVP_TYPE: not set; refresh asks the backend for the current version of each secret',
    ])
  }
  const signal = AbortSignal.any([io.signal, deadlineSignal(deadlineMs)])
  setMaxListeners(0, signal)
  const connection = await connectInCluster(
    { env: io.env, registerSecret },
    { timeoutMs: KUBE_TIMEOUT_MS, maxResponseBytes: MAX_LIST_PAGE_BYTES },
  )
  if (!connection.ok) throw new ConfigError(connection.failures.map((i) => `refresh: ${i}`))
  const { client } = connection

  const apps = await listApplications(client, options, signal)
  const using = apps.filter((app) => app.usesPlugin)
  log({
    kind: 'note',
    message: `${String(apps.length)} application(s) in ${options.namespace}, ${String(using.length)} use ${options.pluginName}`,
  })
  const lines: [app: string, line: string][] = []
  const local = using.filter((app) => {
    if (app.remote === undefined) return true
    lines.push([
      app.name,
      `skipped ${app.name}: it deploys to another cluster (${app.remote}), whose objects cannot be read from here`,
    ])
    return false
  })
  const live = await readLiveVersions(local, {
    client,
    timeoutMs: KUBE_TIMEOUT_MS,
    concurrency: KUBE_CONCURRENCY,
    signal,
    log,
  })
  const problems: Problem[] = [...live.problems]
  const backendType = settings.get('AVP_TYPE')?.trim()
  const byApp = new Map<string, Recorded>()
  for (const app of local) {
    const scoped = scopeRecorded(app, live.byApp.get(app.name) ?? new Map(), {
      ...(pathValidation === undefined ? {} : { pathValidation }),
      ...(policy === undefined ? {} : { policy }),
      backendType,
    })
    byApp.set(app.name, scoped.allowed)
    for (const { path, why } of scoped.refused) {
      lines.push([app.name, `ignored ${app.name}: ${path} is not asked about: ${why}`])
    }
  }
  const paths = [...new Set([...byApp.values()].flatMap((r) => [...r.keys()]))].sort()
  const current = await currentVersions(
    paths,
    create,
    {
      log,
      registerSecret,
      env: io.env,
      cwd: io.cwd,
      disableTokenCache: options.disableTokenCache,
    },
    { signal, deadlineMs, log },
  )
  for (const path of paths) {
    const now = current.get(path)
    const users = [...byApp].filter(([, r]) => r.has(path)).map(([name]) => name)
    if (now?.kind === 'failed' || now?.kind === 'unversioned' || now === undefined) {
      const error =
        now?.kind === 'failed'
          ? now.failure
          : { code: 'WRONG_ENGINE' as const, message: now?.why ?? `no answer for ${path}` }
      problems.push({ ...error, message: `${error.message} (used by ${users.join(', ')})` })
    }
  }

  const toPatch: { app: AppView; marker: string; why: string }[] = []
  for (const app of local) {
    const decision = decide(app, byApp.get(app.name) ?? new Map(), current)
    if (decision.kind === 'current') continue
    const why = decision.reasons.join('; ')
    if (decision.kind === 'pending') {
      lines.push([
        app.name,
        `pending ${app.name}: refreshed before for this change, not synced yet: ${why}`,
      ])
    } else {
      toPatch.push({ app, marker: decision.marker, why })
    }
  }
  const failed = options.dryRun
    ? new Set<string>()
    : await patchAll(client, options.namespace, toPatch, signal, problems)
  const done = toPatch.filter(({ app }) => !failed.has(app.name))
  for (const { app, why } of done) {
    lines.push([app.name, `${options.dryRun ? 'would refresh' : 'refreshed'} ${app.name}: ${why}`])
  }
  const refreshed = done.length
  const summary = `${String(using.length)} application(s) use ${options.pluginName}, ${String(live.objectsRead)} object(s) read, ${String(paths.length)} secret(s) checked, ${String(refreshed)} ${options.dryRun ? 'to refresh (dry run)' : 'refreshed'}`
  const ordered = lines.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, line]) => line)
  return { lines: [...ordered, summary], problems: problems.sort(compareProblems) }
}

function checkOptions(options: RefreshOptions): void {
  const issues: string[] = []
  if (!LABEL.test(options.namespace) || options.namespace.length > 63) {
    issues.push(`--namespace: ${JSON.stringify(options.namespace)} is not a namespace name`)
  }
  if (options.pluginName.trim() === '') issues.push('--plugin-name: must not be empty')
  if (issues.length > 0) throw new ConfigError(issues)
}

function applicationsPath(namespace: string): string {
  return `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/applications`
}

/** Every Application of the namespace; a failure here stops the run. */
async function listApplications(
  client: KubeClient,
  options: RefreshOptions,
  signal: AbortSignal,
): Promise<AppView[]> {
  const listed = await client.list(applicationsPath(options.namespace), signal)
  if (!listed.ok) {
    const action = {
      verb: 'list',
      resource: 'applications.argoproj.io',
      namespace: options.namespace,
    } as const
    throw new ProblemsError([kubeProblem(listed.answer, action, client.target, KUBE_TIMEOUT_MS)])
  }
  return listed.items.flatMap((item) => readApplication(item, options.pluginName) ?? [])
}

/**
 * One metadata call per distinct secret, however many apps share it. The
 * backend is created (and logs in) only when some app recorded a version.
 */
async function currentVersions(
  paths: readonly string[],
  create: SelectedBackend['create'],
  deps: BackendDeps,
  ctx: FetchContext,
): Promise<ReadonlyMap<string, CurrentVersion>> {
  if (paths.length === 0) return new Map()
  const backend: Backend = await create(deps)
  if (backend.currentVersions === undefined) {
    throw new ConfigError([
      `AVP_TYPE: the ${backend.type} backend has no secret versions, so refresh cannot tell a rotated secret (docs/rotation.md)`,
    ])
  }
  return backend.currentVersions(paths, ctx)
}

async function patchAll(
  client: KubeClient,
  namespace: string,
  apps: readonly { app: AppView; marker: string }[],
  signal: AbortSignal,
  problems: Problem[],
): Promise<ReadonlySet<string>> {
  const failed = new Set<string>()
  await runBounded(apps, KUBE_CONCURRENCY, async ({ app, marker }) => {
    const patch = {
      metadata: { annotations: { [REFRESH_ANNOTATION]: 'hard', [REFRESHED_ANNOTATION]: marker } },
    }
    const path = `${applicationsPath(namespace)}/${encodeURIComponent(app.name)}`
    const answer = await client.mergePatch(path, patch, signal)
    if (answer.ok && answer.status === 200) return
    const action = {
      verb: 'patch',
      resource: 'applications.argoproj.io',
      namespace,
      subject: `Application/${app.name}`,
    } as const
    failed.add(app.name)
    problems.push(kubeProblem(answer, action, client.target, KUBE_TIMEOUT_MS))
  })
  return failed
}
