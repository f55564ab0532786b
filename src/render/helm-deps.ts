import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { RenderError } from '../errors'
import type { DebugLog } from '../log'
import { parseYamlDocument, stripBom } from '../yaml/parse'

export interface ChartDependency {
  readonly name: string
  readonly repository: string
}

/** Runs `helm <args>` (spawn.ts) and labels it; injected so this file stays free of process details. */
export type HelmRunner = (args: readonly string[], label: string) => Promise<string>

/**
 * Fetches the chart's dependencies when some are not vendored in `charts/`,
 * as Argo CD does for native Helm apps. `helm dependency build` with a
 * Chart.lock only knows repositories added with `helm repo add` ("no repository
 * definition", AVP #175/#508), so each http(s) repository is added first under
 * a name derived from its URL. Private repositories need credentials the
 * sidecar does not get (argo-cd #13539): vendor those charts.
 */
export async function ensureDependencies(
  appDir: string,
  helm: HelmRunner,
  log: DebugLog,
): Promise<void> {
  const missing = await unvendoredDependencies(appDir)
  if (missing.length === 0) return
  log({
    kind: 'note',
    message: `fetching chart dependencies: ${missing.map((d) => d.name).join(', ')}`,
  })
  const repos = new Map<string, ChartDependency>()
  for (const dep of missing) {
    if (/^https?:\/\//i.test(dep.repository) && !repos.has(dep.repository))
      repos.set(dep.repository, dep)
  }
  for (const [url, dep] of repos) {
    const name = `asp-${createHash('sha256').update(url).digest('hex').slice(0, 16)}`
    await wrap(
      helm(['repo', 'add', '--force-update', name, url], 'helm repo add'),
      () => `cannot reach the chart repository of dependency "${dep.name}" (${displayUrl(url)})`,
    )
  }
  const list = missing
    .map((d) => `${d.name} from ${displayUrl(d.repository) || 'charts/'}`)
    .join(', ')
  await wrap(
    helm(['dependency', 'build', '--skip-refresh', appDir], 'helm dependency build'),
    () => `cannot fetch chart dependencies not vendored in charts/ (${list})`,
  )
}

/** Dependencies declared in Chart.yaml (apiVersion v2) or requirements.yaml (v1) with no copy in `charts/`. */
export async function unvendoredDependencies(appDir: string): Promise<ChartDependency[]> {
  const declared = [
    ...(await readDependencies(path.join(appDir, 'Chart.yaml'))),
    ...(await readDependencies(path.join(appDir, 'requirements.yaml'))),
  ]
  if (declared.length === 0) return []
  const vendored = await listCharts(path.join(appDir, 'charts'))
  return declared.filter(
    (dep) =>
      !vendored.some(
        (entry) =>
          entry === dep.name || (entry.startsWith(`${dep.name}-`) && entry.endsWith('.tgz')),
      ),
  )
}

async function readDependencies(file: string): Promise<ChartDependency[]> {
  let data: unknown
  try {
    const doc = parseYamlDocument(stripBom(await fs.readFile(file, 'utf8')), 'chartFile').result
    if (doc.errors.length > 0) return []
    data = doc.toJS()
  } catch {
    return [] // absent or unparsable: helm reports the latter itself
  }
  const deps =
    typeof data === 'object' && data !== null
      ? (data as Record<string, unknown>)['dependencies']
      : undefined
  if (!Array.isArray(deps)) return []
  return deps.flatMap((dep: unknown): ChartDependency[] => {
    if (typeof dep !== 'object' || dep === null) return []
    const { name, repository } = dep as Record<string, unknown>
    if (typeof name !== 'string' || name === '') return []
    return [{ name, repository: typeof repository === 'string' ? repository : '' }]
  })
}

async function listCharts(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true })
    return entries.filter((e) => e.isDirectory() || e.name.endsWith('.tgz')).map((e) => e.name)
  } catch {
    return []
  }
}

async function wrap(run: Promise<string>, context: () => string): Promise<void> {
  try {
    await run
  } catch (error) {
    if (error instanceof RenderError) throw new RenderError(`${context()}: ${error.message}`)
    throw error
  }
}

/** A repository URL without any user:password part, for messages. */
function displayUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1')
}
