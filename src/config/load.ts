import { readFile as fsReadFile } from 'node:fs/promises'
import { ConfigError } from '../errors'
import type { DebugLog } from '../log'
import type { RegisterSecret } from '../secrets/redact'
import { appEnvIssues, readAppPolicy } from './app-policy'
import { readConfigFile } from './config-file'
import { isCredentialKey } from './describe-value'
import { inClusterSecretReader, parseSecretName } from './kube-secret'
import type { KubeSecretReader } from './kube-secret'
import { LAYER, argocdEnvEntries, normalizeEntries, plainEnvEntries } from './layers'
import type { Layer, Normalized } from './layers'
import { settingsFromLayers } from './settings'
import type { Settings } from './settings'

export interface LoadSettingsOptions {
  /** The process environment; the only place `ARGOCD_ENV_*` and plain keys come from. */
  readonly env: Readonly<Record<string, string | undefined>>
  /**
   * Prefixes of plain environment variables that are settings: `AVP_` and
   * every backend's (backends/registry.ts `settingPrefixes()`).
   */
  readonly settingPrefixes: readonly string[]
  /** `--config-path` is resolved against this. */
  readonly cwd: string
  /** `-c, --config-path`: a `.yaml`, `.yml`, `.json` or `.env` file. */
  readonly configPath?: string
  /** `-s, --secret-name`: `[NAMESPACE:]NAME`, namespace `argocd` by default. */
  readonly secretName?: string
  /** Reads a file as UTF-8 (config file, service-account token and CA). Default: node:fs. */
  readonly readFile?: (p: string) => Promise<string>
  /** Reads the `--secret-name` Secret. Default: the in-cluster API reader. */
  readonly kube?: KubeSecretReader
  readonly log: DebugLog
  /**
   * Every credential-like value of every source, and the service-account
   * token, is reported here as soon as it is read (write-only; the pipeline
   * holds the redactor).
   */
  readonly registerSecret: RegisterSecret
  /** Aborts the Kubernetes API call (SIGTERM from Argo CD). */
  readonly signal?: AbortSignal
}

/** AVP's only default (`v.SetDefault("AVP_KV_VERSION", "2")`, docs/design/avp-semantics.md). */
export const DEFAULT_SETTINGS: ReadonlyMap<string, string> = new Map([['AVP_KV_VERSION', '2']])

const defaultReadFile = (p: string): Promise<string> => fsReadFile(p, 'utf8')

/**
 * Builds the run's settings from, highest precedence first:
 * `ARGOCD_ENV_<KEY>` > environment `<KEY>` > `--config-path` file >
 * `--secret-name` Secret > defaults. Unlike AVP the file and the Secret are
 * merged key by key (docs/design/avp-semantics.md), and nothing is written back to
 * the process environment, so a real env var is never overwritten by a file.
 * Rejects with one `ConfigError` listing every problem of every source.
 */
export async function loadSettings(options: LoadSettingsOptions): Promise<Settings> {
  const readFile = options.readFile ?? defaultReadFile
  const [file, secret] = await Promise.all([
    fileLayer(options, readFile),
    secretLayer(options, readFile),
  ])
  const argocdEnv = normalizeEntries(argocdEnvEntries(options.env), LAYER.argocdEnv)
  const lowerKeys = new Set([...file.values.keys(), ...secret.values.keys()])
  const env = normalizeEntries(
    plainEnvEntries(options.env, options.settingPrefixes, lowerKeys),
    LAYER.env,
  )
  // Reported before any problem is: a refused key must not leave a credential unmasked.
  for (const layer of [argocdEnv, env, file, secret]) {
    for (const [key, value] of layer.values) {
      if (isCredentialKey(key)) options.registerSecret(value)
    }
  }
  const issues = [
    ...[argocdEnv, env, file, secret].flatMap((layer) => layer.issues),
    ...appEnvIssues(readAppPolicy(options.env), argocdEnv.values.keys()),
  ]
  if (issues.length > 0) throw new ConfigError(issues)

  const layers: Layer[] = [
    { name: LAYER.argocdEnv, values: argocdEnv.values },
    { name: LAYER.env, values: env.values },
    { name: LAYER.file, values: file.values },
    { name: LAYER.secret, values: secret.values },
    { name: LAYER.defaults, values: DEFAULT_SETTINGS },
  ]
  for (const layer of layers) {
    if (layer.values.size === 0) continue
    // Key names only: the debug log has no field that can hold a value (src/log.ts).
    options.log({ kind: 'config', source: layer.name, keys: [...layer.values.keys()].sort() })
  }
  return settingsFromLayers(layers)
}

async function fileLayer(
  options: LoadSettingsOptions,
  readFile: (p: string) => Promise<string>,
): Promise<Normalized> {
  if (options.configPath === undefined || options.configPath === '') return empty()
  const parsed = await readConfigFile(options.configPath, options.cwd, readFile)
  const normalized = normalizeEntries(parsed.entries, `--config-path: ${options.configPath}`)
  return { values: normalized.values, issues: [...parsed.issues, ...normalized.issues] }
}

async function secretLayer(
  options: LoadSettingsOptions,
  readFile: (p: string) => Promise<string>,
): Promise<Normalized> {
  if (options.secretName === undefined || options.secretName === '') return empty()
  const parsed = parseSecretName(options.secretName)
  if (!parsed.ok) return { values: new Map(), issues: [parsed.failure] }
  const { namespace, name } = parsed.secret
  const kube =
    options.kube ??
    inClusterSecretReader({ env: options.env, readFile, registerSecret: options.registerSecret })
  try {
    const data = await kube.read(parsed.secret, options.signal)
    return normalizeEntries(data, `--secret-name: secret ${namespace}/${name}`)
  } catch (error) {
    // Only our own errors carry safe text; anything else is a bug and propagates.
    if (error instanceof ConfigError) return { values: new Map(), issues: [...error.issues] }
    throw error
  }
}

function empty(): Normalized {
  return { values: new Map(), issues: [] }
}
