import { ConfigError, RenderError } from '../errors'
import { findTool } from './find-tool'
import { PARAM } from './param-names'
import { ParamReader } from './param-values'
import type { PluginParams } from './plugin-params'
import { runTool } from './spawn'
import type { ToolContext } from './tool-context'

export interface KustomizeOptions {
  /** `--enable-helm`: inflate `helmCharts` (AVP users needed a third sidecar for this, #640). */
  readonly enableHelm: boolean
  readonly loadRestrictor?: 'LoadRestrictionsRootOnly' | 'LoadRestrictionsNone'
}

const RESTRICTORS = {
  loadrestrictionsrootonly: 'LoadRestrictionsRootOnly',
  rootonly: 'LoadRestrictionsRootOnly',
  loadrestrictionsnone: 'LoadRestrictionsNone',
  none: 'LoadRestrictionsNone',
} as const

export function readKustomizeOptions(params: PluginParams): KustomizeOptions {
  const reader = new ParamReader(params)
  const enableHelm = reader.bool(PARAM.enableHelm, false)
  const raw = reader.string(PARAM.loadRestrictor)?.trim() ?? ''
  let loadRestrictor: KustomizeOptions['loadRestrictor']
  if (raw !== '') {
    loadRestrictor = (RESTRICTORS as Record<string, KustomizeOptions['loadRestrictor']>)[
      raw.toLowerCase()
    ]
    if (loadRestrictor === undefined) {
      reader.issues.push(
        `plugin parameter "${PARAM.loadRestrictor}" must be LoadRestrictionsRootOnly or LoadRestrictionsNone`,
      )
    }
  }
  if (reader.issues.length > 0) throw new ConfigError(reader.issues)
  return { enableHelm, ...(loadRestrictor === undefined ? {} : { loadRestrictor }) }
}

/** `kustomize build`, or `kubectl kustomize` when only kubectl is installed. */
export async function renderKustomize(
  options: KustomizeOptions,
  appDir: string,
  tool: ToolContext,
): Promise<string> {
  const kustomize = await findTool('kustomize', tool.env)
  const kubectl = kustomize === undefined ? await findTool('kubectl', tool.env) : undefined
  const file = kustomize ?? kubectl
  if (file === undefined) {
    throw new RenderError('kustomize is not installed or not on PATH (nor is kubectl)')
  }
  const label = kustomize === undefined ? 'kubectl kustomize' : 'kustomize build'
  // The directory first: `kubectl kustomize --enable-helm DIR` ignores the flag (kubectl 1.32).
  const args = [kustomize === undefined ? 'kustomize' : 'build', appDir, ...kustomizeFlags(options)]
  const started = Date.now()
  const stdout = await runTool({
    file,
    args,
    label,
    cwd: appDir,
    env: tool.childEnv,
    signal: tool.signal,
    deadlineAt: tool.deadlineAt,
  }).catch((error: unknown) => {
    throw withHint(error)
  })
  tool.log({ kind: 'render', tool: label, ms: Date.now() - started })
  return stdout
}

export function kustomizeFlags(options: KustomizeOptions): string[] {
  const flags: string[] = []
  if (options.enableHelm) flags.push('--enable-helm')
  if (options.loadRestrictor !== undefined)
    flags.push(`--load-restrictor=${options.loadRestrictor}`)
  return flags
}

/** Points at the plugin parameter that fixes kustomize's two most common refusals. */
function withHint(error: unknown): unknown {
  if (!(error instanceof RenderError)) return error
  if (error.message.includes('must specify --enable-helm')) {
    return new RenderError(
      `${error.message} (set the plugin parameter ${PARAM.enableHelm} to "true")`,
    )
  }
  if (/security; file .* is not in or below/.test(error.message)) {
    return new RenderError(
      `${error.message} (files outside the kustomization need the plugin parameter ${PARAM.loadRestrictor}: LoadRestrictionsNone, which the operator must allow with AVP_APP_PARAM_ALLOWLIST)`,
    )
  }
  return error
}
