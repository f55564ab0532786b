import { RenderError } from '../errors'
import { findTool } from './find-tool'
import { ensureDependencies } from './helm-deps'
import type { HelmOptions } from './helm-options'
import { setArgs } from './helm-set'
import { makeFifos } from './fifo'
import { pipeValues, type HelmValues } from './helm-values'
import type { ToolContext } from './tool-context'
import { runTool, type ToolRun } from './spawn'

/**
 * One `--api-versions` word stays well under Linux's 128 KiB limit per argv
 * string; `KUBE_API_VERSIONS` lists every group/version/Kind of the cluster
 * and can be larger (docs/design/argocd-cmp-contract.md). Helm splits each word on commas.
 */
const API_VERSIONS_CHUNK = 32 * 1024

/**
 * Renders a chart directory with `helm template` and returns its stdout:
 * dependencies fetched when not vendored, then the template run with the
 * options from plugin parameters and AVP-style environment (helm-options.ts)
 * and the values collected (and, when asked, resolved) before (helm-values.ts).
 */
export async function renderHelm(
  options: HelmOptions,
  tool: ToolContext,
  chart: { readonly appDir: string; readonly values: HelmValues },
): Promise<string> {
  const helm = await findTool('helm', tool.env)
  if (helm === undefined) throw new RenderError('helm is not installed or not on PATH')
  const run = (args: readonly string[], label: string, extra?: Partial<ToolRun>) =>
    runTool({
      file: helm,
      args,
      label,
      cwd: chart.appDir,
      env: tool.childEnv,
      signal: tool.signal,
      deadlineAt: tool.deadlineAt,
      ...extra,
    })
  await ensureDependencies(chart.appDir, run, tool.log)
  const prepared = pipeValues(chart.values, tool.privateDir)
  await makeFifos(
    prepared.input.fifos.map((fifo) => fifo.path),
    tool,
  )
  const sets = await setArgs(options, chart.appDir, prepared.files)
  if (sets.unchanged > 0) {
    tool.log({
      kind: 'note',
      message: `${String(sets.unchanged)} set entries equal the chart's values and were not passed`,
    })
  }
  const args = templateArgs(options, [...prepared.args, ...sets.args], chart.appDir)
  const started = Date.now()
  const stdout = await run(args, 'helm template', {
    rewriteStderr: prepared.rename,
    input: prepared.input,
  })
  tool.log({ kind: 'render', tool: 'helm template', ms: Date.now() - started })
  return stdout
}

/** The argv after `helm`: flags as single `--flag=value` words, then `--`, release and chart. */
export function templateArgs(
  options: HelmOptions,
  valueArgs: readonly string[],
  chartDir: string,
): string[] {
  const args = ['template']
  if (options.namespace !== undefined) args.push(`--namespace=${options.namespace}`)
  if (options.kubeVersion !== undefined) args.push(`--kube-version=${options.kubeVersion}`)
  args.push(...chunkApiVersions(options.apiVersions).map((chunk) => `--api-versions=${chunk}`))
  args.push(...options.flags)
  args.push(...valueArgs)
  args.push('--', options.releaseName, chartDir)
  return args
}

/** Comma-joined groups of API versions, each at most `API_VERSIONS_CHUNK` characters. */
export function chunkApiVersions(versions: readonly string[], max = API_VERSIONS_CHUNK): string[] {
  const chunks: string[] = []
  let current = ''
  for (const version of versions) {
    if (current !== '' && current.length + 1 + version.length > max) {
      chunks.push(current)
      current = ''
    }
    current = current === '' ? version : `${current},${version}`
  }
  if (current !== '') chunks.push(current)
  return chunks
}
