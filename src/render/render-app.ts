import { ConfigError, UsageError } from '../errors'
import { readInputFiles } from '../input/read-files'
import type { InputText } from '../input/types'
import type { DebugLog } from '../log'
import { detectMode, type DetectedMode } from './detect'
import { renderHelm } from './helm'
import { readHelmOptions, type HelmOptions } from './helm-options'
import { collectValues, type HelmValues } from './helm-values'
import { readKustomizeOptions, renderKustomize, type KustomizeOptions } from './kustomize'
import { PARAM, RENDER_PARAM_NAMES } from './param-names'
import { readPluginParams, type PluginParams } from './plugin-params'
import { repoRootOf } from './safe-path'
import { refuseEscapingSymlinks } from './symlinks'
import { withToolContext } from './tool-context'

export type RenderMode = 'auto' | 'helm' | 'kustomize' | 'plain'

export interface RenderRequest {
  /** Absolute; the PATH argument resolved against cwd. */
  readonly appDir: string
  /** PATH as the user gave it, to name plain files in messages; defaults to `appDir`. */
  readonly displayPath?: string
  readonly mode: RenderMode
  /** The full process env (ARGOCD_APP_*, ARGOCD_ENV_*, PARAM_*, KUBE_*); tools get an allow-listed part. */
  readonly env: Readonly<Record<string, string | undefined>>
  readonly signal: AbortSignal
  /** Epoch ms by which the tool must have finished (inside Argo CD's 60 s). */
  readonly deadlineAt: number
  readonly log: DebugLog
  /**
   * The operator's policy on plugin parameters (config/app-policy.ts), provided
   * by the CLI: one issue per parameter an Application may not set, given
   * every parameter name the Application set.
   */
  readonly refusedParams: (names: readonly string[]) => readonly string[]
}

/**
 * What rendering an app will do, decided before anything runs: the files of
 * a plain directory (already read), a kustomization, or a chart with its
 * values. The pipeline resolves a chart's values-file placeholders between
 * `prepareRender` and `runRender`, so rendering never calls back into it.
 */
export type RenderJob =
  | { readonly kind: 'plain'; readonly inputs: readonly InputText[] }
  | { readonly kind: 'kustomize'; readonly options: KustomizeOptions }
  | { readonly kind: 'helm'; readonly options: HelmOptions; readonly values: HelmValues }

/**
 * Reads the plugin parameters, refuses those the operator's policy does not
 * allow, chooses how to render, and collects what the render needs: for a
 * chart, its value files (read when their placeholders are to be resolved).
 */
export async function prepareRender(req: RenderRequest): Promise<RenderJob> {
  const params = readPluginParams(req.env, RENDER_PARAM_NAMES)
  logUnknownParams(params, req.log)
  // Checked before anything is read or run: `load-restrictor` alone would let
  // kustomize print any file of the sidecar.
  const refused = req.refusedParams([...params.keys()])
  if (refused.length > 0) throw new ConfigError(refused)
  const repoRoot = repoRootOf(req.appDir, req.env)
  await refuseEscapingSymlinks(repoRoot, req.appDir)
  const mode = await chooseMode(req.mode, params, req.appDir)
  if (mode === 'plain') {
    return {
      kind: 'plain',
      inputs: await readInputFiles(req.appDir, req.displayPath ?? req.appDir),
    }
  }
  if (mode === 'kustomize') return { kind: 'kustomize', options: readKustomizeOptions(params) }
  const options = readHelmOptions(req.env, params)
  const values = await collectValues(options, {
    appDir: req.appDir,
    repoRoot,
    log: req.log,
  })
  return { kind: 'helm', options, values }
}

/**
 * Renders a prepared job into manifest text: `helm template` for a chart,
 * `kustomize build` for a kustomization, else the files as they were read.
 * Tool output is one stream, where a document without `kind` is an error.
 */
export async function runRender(job: RenderJob, req: RenderRequest): Promise<InputText[]> {
  if (job.kind === 'plain') return [...job.inputs]
  const base = { env: req.env, signal: req.signal, deadlineAt: req.deadlineAt, log: req.log }
  if (job.kind === 'kustomize') {
    const text = await withToolContext(base, (tool) =>
      renderKustomize(job.options, req.appDir, tool),
    )
    return [{ source: 'kustomize build', text, skipNonObjects: false }]
  }
  const chart = { appDir: req.appDir, values: job.values }
  const text = await withToolContext(base, (tool) => renderHelm(job.options, tool, chart))
  return [{ source: 'helm template', text, skipNonObjects: false }]
}

/** The `--render` flag wins; with `auto`, the `render` parameter; then detection. */
export async function chooseMode(
  flag: RenderMode,
  params: PluginParams,
  appDir: string,
): Promise<DetectedMode> {
  if (flag !== 'auto') return flag
  const fromParam = params.get(PARAM.render)?.string?.trim().toLowerCase() ?? ''
  if (fromParam === 'helm' || fromParam === 'kustomize' || fromParam === 'plain') return fromParam
  if (fromParam !== '' && fromParam !== 'auto') {
    throw new UsageError(
      `plugin parameter "${PARAM.render}" must be auto, helm, kustomize or plain`,
    )
  }
  return detectMode(appDir)
}

function logUnknownParams(params: PluginParams, log: DebugLog): void {
  for (const name of params.keys()) {
    if (!RENDER_PARAM_NAMES.includes(name)) {
      log({ kind: 'note', message: `plugin parameter ${name} is not a render option` })
    }
  }
}
