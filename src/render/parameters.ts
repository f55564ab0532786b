import fs from 'node:fs/promises'
import { detectMode, type DetectedMode } from './detect'
import { envIgnoringCase, type Sourced } from './helm-options'
import { currentValues } from './helm-set'
import { DYNAMIC_PARAM_NAMES, PARAM } from './param-names'
import { ParamReader } from './param-values'
import { readPluginParams, type PluginParams } from './plugin-params'
import { chooseMode } from './render-app'
import { repoRootOf, resolveInside } from './safe-path'

/** Argo CD's `ParameterAnnouncement`, exact JSON names (docs/design/argocd-cmp-contract.md). */
export interface ParameterAnnouncement {
  readonly name: string
  readonly title?: string
  readonly tooltip?: string
  readonly required?: boolean
  readonly itemType?: string
  readonly collectionType?: 'string' | 'array' | 'map'
  readonly string?: string
  readonly array?: readonly string[]
  readonly map?: Readonly<Record<string, string>>
}

/** Argo CD's UI lists every entry; a big chart's values are capped. */
const MAX_VALUES = 500

/**
 * The dynamic `parameters` command: what depends on the app's content. The
 * static knobs live in plugin.yaml (Argo CD appends them after these). For a
 * chart: `values-files` (configured files; the tooltip lists the value files
 * found, as Argo CD's native Helm source does) and `set` (the chart's current
 * values, flattened, with the configured entries on top). Other apps: none.
 * Runs with the reduced env of docs/design/argocd-cmp-contract.md and never touches a backend;
 * it never fails on app content either, since a failure empties the UI form.
 */
export async function announceParameters(
  appDir: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ParameterAnnouncement[]> {
  const params = safeParams(env)
  if ((await safeMode(params, appDir)) !== 'helm') return []
  const reader = new ParamReader(params)
  const configured = reader.array(PARAM.valuesFiles)
  const files: string[] = []
  const root = repoRootOf(appDir, env)
  for (const ref of configured) {
    const resolved = await resolveInside(ref, appDir, root)
    if (resolved.ok && resolved.exists) files.push(resolved.path)
  }
  const inlineValues: Sourced[] = [
    {
      value: envIgnoringCase(env, 'ARGOCD_ENV_HELM_VALUES') ?? '',
      origin: 'ARGOCD_ENV_HELM_VALUES',
    },
    { value: reader.string(PARAM.values) ?? '', origin: PARAM.values },
  ]
  const current = [...(await currentValues({ inlineValues }, appDir, files))].slice(0, MAX_VALUES)
  const found = await findValueFiles(appDir)
  return [
    {
      name: PARAM.valuesFiles,
      title: 'Helm value files',
      tooltip: `Value files passed to helm template with -f, in order, relative to the app directory (values.yaml is always used). Found here: ${found.join(', ') || 'none'}`,
      collectionType: 'array',
      array: [...configured],
    },
    {
      name: PARAM.set,
      title: 'Helm values (--set)',
      tooltip:
        "The chart's current values. Change an entry to override it; entries equal to the chart's value are not passed.",
      collectionType: 'map',
      map: { ...Object.fromEntries(current), ...reader.map(PARAM.set) },
    },
  ]
}

/** Top-level files whose name contains `values`, as Argo CD lists a chart's value files. */
export async function findValueFiles(appDir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(appDir, { withFileTypes: true })
    return entries
      .filter((e) => e.isFile() && e.name.includes('values') && /\.ya?ml$/i.test(e.name))
      .map((e) => e.name)
      .sort()
  } catch {
    return []
  }
}

function safeParams(env: Readonly<Record<string, string | undefined>>): PluginParams {
  try {
    return readPluginParams(env, [...DYNAMIC_PARAM_NAMES, PARAM.values, PARAM.render])
  } catch {
    return new Map()
  }
}

async function safeMode(params: PluginParams, appDir: string): Promise<DetectedMode> {
  try {
    return await chooseMode('auto', params, appDir)
  } catch {
    return detectMode(appDir)
  }
}
