import { ConfigError } from '../errors'
import type { Settings } from '../config/settings'
import type { FetchFailureCode } from '../secrets/ref'
import { literalSegments } from './scope-segments'
import type { Backend, BackendDeps, BackendEntry, ScopeSegments } from './types'
import { connectBackend } from './1passwordconnect/entry'
import { awsBackend } from './aws/entry'
import { azureBackend } from './azurekeyvault/entry'
import { fileBackend } from './file/entry'
import { gcpBackend } from './gcp/entry'
import { kubeSecretBackend } from './kubernetessecret/entry'
import { sopsBackend } from './sops/entry'
import { vaultBackend } from './vault/entry'

/**
 * A registry entry with its configuration type erased: `parse` validates the
 * settings and hands back a `create` that loads the implementation (and its
 * SDK) only when called.
 */
export interface RegisteredBackend {
  readonly name: string
  readonly settingPrefixes: readonly string[]
  readonly sdkPackages: readonly string[]
  readonly failureCodes: readonly FetchFailureCode[]
  readonly scopeSegments: (path: string, prefix: boolean) => ScopeSegments
  readonly refPerKey: boolean
  parse(
    settings: Settings,
  ):
    | { readonly ok: true; readonly create: (deps: BackendDeps) => Promise<Backend> }
    | { readonly ok: false; readonly failures: readonly string[] }
}

function register<C>(entry: BackendEntry<C>): RegisteredBackend {
  return {
    name: entry.name,
    settingPrefixes: entry.settingPrefixes,
    sdkPackages: entry.sdkPackages,
    failureCodes: entry.failureCodes,
    scopeSegments: entry.scopeSegments ?? literalSegments,
    refPerKey: entry.refPerKey === true,
    parse(settings) {
      const result = entry.parseConfig(settings)
      if (!result.ok) return result
      const { config } = result
      return { ok: true, create: async (deps) => (await entry.load())(config, deps) }
    },
  }
}

/**
 * Every backend, one line each (docs/adding-a-backend.md). Every other list
 * about backends is built from these entries. A static table: no import-time
 * side effects, and no SDK is loaded here.
 */
export const BACKENDS: readonly RegisteredBackend[] = [
  register(fileBackend),
  register(awsBackend),
  register(vaultBackend),
  register(kubeSecretBackend),
  register(connectBackend),
  register(sopsBackend),
  register(gcpBackend),
  register(azureBackend),
]

/**
 * Every `AVP_TYPE` argocd-vault-plugin knows
 * (https://argocd-vault-plugin.readthedocs.io/en/stable/backends/), so that one
 * not implemented here is reported as such rather than as a typo.
 */
const AVP_TYPES = [
  'vault',
  'awssecretsmanager',
  'ibmsecretsmanager',
  'azurekeyvault',
  'sops',
  'yandexcloudlockbox',
  'delineasecretserver',
  '1passwordconnect',
  'keepersecretsmanager',
  'kubernetessecret',
]

export function supportedBackendTypes(): readonly string[] {
  return BACKENDS.map((b) => b.name).sort()
}

/** The plugin's own setting prefix and every backend's, for reading plain environment variables. */
export function settingPrefixes(): readonly string[] {
  return [...new Set(['AVP_', ...BACKENDS.flatMap((b) => b.settingPrefixes)])]
}

/** The configured backend, validated but not loaded. */
export interface SelectedBackend {
  /** Loads the implementation (and its SDK) and creates the backend. */
  readonly create: (deps: BackendDeps) => Promise<Backend>
  /** The planner makes one ref per key (`BackendEntry.refPerKey`). */
  readonly refPerKey: boolean
}

/**
 * Validates the backend part of the configuration. Returns `undefined` when no
 * `AVP_TYPE` is set (fine as long as nothing needs resolving), otherwise the
 * selected backend; throws `ConfigError` listing every issue.
 */
export function selectBackend(settings: Settings): SelectedBackend | undefined {
  const type = settings.get('AVP_TYPE')?.trim()
  if (type === undefined || type === '') return undefined
  const supported = supportedBackendTypes().join(', ')
  const entry = BACKENDS.find((b) => b.name === type)
  if (entry === undefined) {
    const why = AVP_TYPES.includes(type)
      ? `"${type}" is an argocd-vault-plugin backend that this plugin does not support yet`
      : `unknown backend type ${JSON.stringify(type)}`
    throw new ConfigError([`AVP_TYPE: ${why}; supported: ${supported}`])
  }
  const result = entry.parse(settings)
  if (!result.ok) throw new ConfigError(result.failures)
  return { create: result.create, refPerKey: entry.refPerKey }
}

/**
 * How `type` reads a secret path, as segments, for the scoping policy. A type
 * no backend has (`--stub` with no or an unknown `AVP_TYPE`) gets the literal
 * form: the policy is still checked, never skipped.
 */
export function scopeSegmentsOf(
  type: string | undefined,
): (path: string, prefix: boolean) => ScopeSegments {
  return BACKENDS.find((b) => b.name === type)?.scopeSegments ?? literalSegments
}
