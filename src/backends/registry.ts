import { ConfigError } from '../errors'
import type { Settings } from '../config/settings'
import type { Backend, BackendDeps, BackendEntry } from './types'
import { awsBackend } from './aws/entry'
import { fileBackend } from './file/entry'
import { kubeSecretBackend } from './kubernetessecret/entry'
import { vaultBackend } from './vault/entry'

/**
 * A registry entry with its configuration type erased: `parse` validates the
 * settings and hands back a `create` that loads the implementation (and its
 * SDK) only when called.
 */
interface RegisteredBackend {
  readonly type: string
  parse(
    settings: Settings,
  ):
    | { readonly ok: true; readonly create: (deps: BackendDeps) => Promise<Backend> }
    | { readonly ok: false; readonly issues: readonly string[] }
}

function register<C>(entry: BackendEntry<C>): RegisteredBackend {
  return {
    type: entry.type,
    parse(settings) {
      const result = entry.parseConfig(settings)
      if (!result.ok) return result
      const { config } = result
      return { ok: true, create: async (deps) => (await entry.load())(config, deps) }
    },
  }
}

/** Backend types by their AVP name (`AVP_TYPE`). A static table: no import-time side effects. */
const BACKENDS: ReadonlyMap<string, RegisteredBackend> = new Map(
  [
    register(fileBackend),
    register(awsBackend),
    register(vaultBackend),
    register(kubeSecretBackend),
  ].map((b) => [b.type, b]),
)

/** AVP backends this plugin does not implement (avp-behaviour.md §2.2), named so the error says so plainly. */
const AVP_ONLY_TYPES = new Set([
  'ibmsecretsmanager',
  'gcpsecretmanager',
  'azurekeyvault',
  'sops',
  'yandexcloudlockbox',
  'delineasecretserver',
  '1passwordconnect',
  'keepersecretsmanager',
])

export function supportedBackendTypes(): readonly string[] {
  return [...BACKENDS.keys()].sort()
}

/**
 * Validates the backend part of the configuration. Returns `undefined` when no
 * `AVP_TYPE` is set (fine as long as nothing needs resolving), otherwise a
 * `create` function; throws `ConfigError` listing every issue.
 */
export function selectBackend(
  settings: Settings,
): ((deps: BackendDeps) => Promise<Backend>) | undefined {
  const type = settings.get('AVP_TYPE')?.trim()
  if (type === undefined || type === '') return undefined
  const supported = supportedBackendTypes().join(', ')
  const entry = BACKENDS.get(type)
  if (entry === undefined) {
    const why = AVP_ONLY_TYPES.has(type)
      ? `"${type}" is an argocd-vault-plugin backend that this plugin does not support yet`
      : `unknown backend type ${JSON.stringify(type)}`
    throw new ConfigError([`AVP_TYPE: ${why}; supported: ${supported}`])
  }
  const result = entry.parse(settings)
  if (!result.ok) throw new ConfigError(result.issues)
  return result.create
}
