import { ConfigError } from '../errors'
import { parseHelmArgs, type HelmArgs } from './helm-args'
import { PARAM } from './param-names'
import { ParamReader } from './param-values'
import type { PluginParams } from './plugin-params'

type Env = Readonly<Record<string, string | undefined>>

/** A value file or inline values, with where it was configured (for messages). */
export interface Sourced {
  readonly value: string
  readonly origin: string
}

/** Everything `helm template` needs besides the chart, from parameters and environment. */
export interface HelmOptions {
  readonly releaseName: string
  readonly namespace?: string
  readonly kubeVersion?: string
  readonly apiVersions: readonly string[]
  readonly valueFiles: readonly Sourced[]
  readonly inlineValues: readonly Sourced[]
  /** Parameter `set` entries; compared with the chart's values before use (see helm-set.ts). */
  readonly setMap: Readonly<Record<string, string>>
  readonly setStringMap: Readonly<Record<string, string>>
  /** Raw `--set` / `--set-string` assignments from `ARGOCD_ENV_HELM_ARGS`. */
  readonly setRaw: readonly string[]
  readonly setStringRaw: readonly string[]
  readonly flags: readonly string[]
  readonly ignoreMissingValueFiles: boolean
  readonly resolveValuesPlaceholders: boolean
}

/** Helm's release name rule (`chartutil.ValidateReleaseName`): DNS-1123 subdomain, at most 53 characters. */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const KUBE_VERSION = /^v?\d+\.\d+(\.\d+)?([-+][0-9A-Za-z.+-]*)?$/

/**
 * `ARGOCD_APP_NAME` is `<namespace>_<name>` for an app outside the control-plane
 * namespace (docs/design/argocd-cmp-contract.md); Kubernetes names cannot contain `_`, so the
 * name is what follows the first one.
 */
export function appNameOf(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined
  const cut = value.indexOf('_')
  return cut === -1 ? value : value.slice(cut + 1)
}

/** Reads and checks the Helm options; every problem is reported at once as a `ConfigError`. */
export function readHelmOptions(env: Env, params: PluginParams): HelmOptions {
  const reader = new ParamReader(params)
  const issues = reader.issues
  const args = helmArgsFrom(env, issues)
  const releaseName = pickReleaseName(env, reader, issues)
  const namespace = args.namespace ?? nonEmpty(env['ARGOCD_APP_NAMESPACE'])
  const kubeVersion = args.kubeVersion ?? nonEmpty(env['KUBE_VERSION'])
  if (kubeVersion !== undefined && !KUBE_VERSION.test(kubeVersion)) {
    issues.push(`KUBE_VERSION / --kube-version "${kubeVersion.slice(0, 40)}" is not a version`)
  }
  const apiVersions = [
    ...(env['KUBE_API_VERSIONS'] ?? '').split(',').filter((v) => v.trim() !== ''),
    ...args.apiVersions,
  ]
  const helmValues = envIgnoringCase(env, 'ARGOCD_ENV_HELM_VALUES')
  const inlineValues: Sourced[] = []
  if (helmValues !== undefined && helmValues.trim() !== '') {
    inlineValues.push({ value: helmValues, origin: 'ARGOCD_ENV_HELM_VALUES' })
  }
  const values = reader.string(PARAM.values)
  if (values !== undefined && values.trim() !== '') {
    inlineValues.push({ value: values, origin: `parameter ${PARAM.values}` })
  }
  const setMap = checkedSetMap(reader, PARAM.set, issues)
  const setStringMap = checkedSetMap(reader, PARAM.setString, issues)
  const flags = new Set(args.flags)
  if (reader.bool(PARAM.includeCrds, true)) flags.add('--include-crds')
  if (reader.bool(PARAM.skipTests, false)) flags.add('--skip-tests')
  const options: HelmOptions = {
    releaseName,
    ...(namespace === undefined ? {} : { namespace }),
    ...(kubeVersion === undefined ? {} : { kubeVersion }),
    apiVersions,
    valueFiles: [
      ...args.valueFiles.map((value) => ({ value, origin: 'ARGOCD_ENV_HELM_ARGS' })),
      ...reader
        .array(PARAM.valuesFiles)
        .map((value) => ({ value, origin: `parameter ${PARAM.valuesFiles}` })),
    ],
    inlineValues,
    setMap,
    setStringMap,
    setRaw: args.set,
    setStringRaw: args.setString,
    flags: [...flags],
    ignoreMissingValueFiles: reader.bool(PARAM.ignoreMissingValueFiles, false),
    resolveValuesPlaceholders: reader.bool(PARAM.resolveValuesPlaceholders, false),
  }
  if (issues.length > 0) throw new ConfigError(issues)
  return options
}

function helmArgsFrom(env: Env, issues: string[]): HelmArgs {
  const empty: HelmArgs = { valueFiles: [], set: [], setString: [], flags: [], apiVersions: [] }
  const text = envIgnoringCase(env, 'ARGOCD_ENV_HELM_ARGS')
  if (text === undefined || text.trim() === '') return empty
  const parsed = parseHelmArgs(text)
  if ('failures' in parsed) {
    issues.push(...parsed.failures)
    return empty
  }
  return parsed
}

function pickReleaseName(env: Env, reader: ParamReader, issues: string[]): string {
  const fromParam = nonEmpty(reader.string(PARAM.releaseName)?.trim())
  const fromApp = appNameOf(env['ARGOCD_APP_NAME'])
  // `helm template` itself calls an unnamed release "release-name".
  const name = fromParam ?? fromApp ?? 'release-name'
  if (name.length > 53 || !RELEASE_NAME.test(name)) {
    const where = fromParam !== undefined ? `parameter ${PARAM.releaseName}` : 'ARGOCD_APP_NAME'
    issues.push(
      `${where}: "${name.slice(0, 60)}" is not a valid Helm release name (lower-case DNS name, at most 53 characters); set the plugin parameter ${PARAM.releaseName}`,
    )
  }
  return name
}

function checkedSetMap(
  reader: ParamReader,
  name: string,
  issues: string[],
): Record<string, string> {
  const map = reader.map(name)
  for (const key of Object.keys(map)) {
    if (key.trim() === '' || /[=,]/.test(key)) {
      issues.push(
        `plugin parameter "${name}": key "${key.slice(0, 60)}" must not be empty or contain "=" or ","`,
      )
    }
  }
  return { ...map }
}

/**
 * Argo CD's plugin env names keep the user's spelling (docs/design/argocd-cmp-contract.md), and
 * AVP's old docs used `helm_args`: the upper-case name wins, any spelling works.
 */
export function envIgnoringCase(env: Env, name: string): string | undefined {
  const exact = env[name]
  if (exact !== undefined) return exact
  const upper = name.toUpperCase()
  const key = Object.keys(env)
    .sort()
    .find((k) => k.toUpperCase() === upper)
  return key === undefined ? undefined : env[key]
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}
