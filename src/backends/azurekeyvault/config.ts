import type { Settings } from '../../config/settings'
import { Secret } from '../../secrets/secret'
import { operatorSetting } from '../operator-setting'
import type { ConfigResult } from '../types'

/**
 * How the plugin gets its Azure token, chosen from the configured keys in the
 * order `DefaultAzureCredential` tries them (environment, workload identity,
 * managed identity), but without its developer-tool credentials, which run
 * `az` or PowerShell as child processes (docs/backends/azurekeyvault.md).
 */
export type AzureCredentialConfig =
  | {
      readonly kind: 'client-secret'
      readonly tenantId: string
      readonly clientId: string
      readonly secret: Secret<string>
    }
  | {
      readonly kind: 'client-certificate'
      readonly tenantId: string
      readonly clientId: string
      readonly certificatePath: string
      readonly certificatePassword?: Secret<string>
    }
  | {
      readonly kind: 'workload-identity'
      readonly tenantId: string
      readonly clientId: string
      readonly tokenFilePath: string
    }
  | { readonly kind: 'managed-identity'; readonly clientId?: string }

/** The validated configuration of `AVP_TYPE=azurekeyvault`. */
export interface AzureConfig {
  readonly credential: AzureCredentialConfig
  /** `AZURE_AUTHORITY_HOST`: where Microsoft Entra ID tokens come from; absent means the public cloud. */
  readonly authorityHost?: string
  /** The vault URL with `{vault}` for the vault name: `https://{vault}.vault.azure.net` by default. */
  readonly vaultUrlTemplate: string
  /** The operator replaced the vault URL template (sovereign cloud, test server). */
  readonly customVaultUrl: boolean
  /** Attempts per secret, the first included, on 429, 5xx and network errors. */
  readonly maxAttempts: number
  /** Time for one attempt; a slower answer is abandoned and retried. */
  readonly attemptTimeoutMs: number
  /** GetSecret calls in flight at once. */
  readonly concurrency: number
}

export const VAULT_URL_TEMPLATE_KEY = 'AVP_AZURE_VAULT_URL_TEMPLATE'
export const DEFAULT_VAULT_URL_TEMPLATE = 'https://{vault}.vault.azure.net'

const TENANT = 'AZURE_TENANT_ID'
const CLIENT = 'AZURE_CLIENT_ID'
const CLIENT_SECRET = 'AZURE_CLIENT_SECRET'
const CERT_PATH = 'AZURE_CLIENT_CERTIFICATE_PATH'
const CERT_PASSWORD = 'AZURE_CLIENT_CERTIFICATE_PASSWORD'
const TOKEN_FILE = 'AZURE_FEDERATED_TOKEN_FILE'
const AUTHORITY = 'AZURE_AUTHORITY_HOST'

/** As the AWS SDK's standard mode: three attempts. */
const MAX_ATTEMPTS = 3
/** AVP gives each Key Vault call 10 s; one attempt gets as long. */
const ATTEMPT_TIMEOUT_MS = 10_000
/**
 * Key Vault allows 4,000 GET transactions per 10 s per vault
 * (https://learn.microsoft.com/azure/key-vault/general/service-limits);
 * 16 in flight stays far below it.
 */
const CONCURRENCY = 16

/**
 * Reads AVP's keys (`AZURE_*`, what `DefaultAzureCredential` reads) from any
 * operator source: the sidecar's environment, the config file or Secret.
 * Every one of them chooses a credential or where a token goes, so an
 * Application may set none (`operatorSetting`).
 */
export function parseAzureConfig(settings: Settings): ConfigResult<AzureConfig> {
  const issues: string[] = []
  const get = (key: string): string | undefined => operatorSetting(settings, key, issues)
  const template = get(VAULT_URL_TEMPLATE_KEY)
  const authority = get(AUTHORITY)
  const credential = parseCredential(get, issues)
  const vaultUrlTemplate = template ?? DEFAULT_VAULT_URL_TEMPLATE
  if (template !== undefined) checkTemplate(template, issues)
  if (authority !== undefined) checkHttps(AUTHORITY, authority, issues)
  if (issues.length > 0 || credential === undefined) return { ok: false, failures: issues }
  return {
    ok: true,
    config: {
      credential,
      ...(authority === undefined ? {} : { authorityHost: authority }),
      vaultUrlTemplate,
      customVaultUrl: template !== undefined,
      maxAttempts: MAX_ATTEMPTS,
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
      concurrency: CONCURRENCY,
    },
  }
}

function parseCredential(
  get: (key: string) => string | undefined,
  issues: string[],
): AzureCredentialConfig | undefined {
  const tenantId = get(TENANT)
  const clientId = get(CLIENT)
  const secret = get(CLIENT_SECRET)
  const certificatePath = get(CERT_PATH)
  const certificatePassword = get(CERT_PASSWORD)
  const tokenFilePath = get(TOKEN_FILE)
  const needs = (what: string, key: string): void => {
    issues.push(`${key}: ${what} needs ${TENANT} and ${CLIENT} as well`)
  }
  if (secret !== undefined || certificatePath !== undefined) {
    const key = secret !== undefined ? CLIENT_SECRET : CERT_PATH
    if (tenantId === undefined || clientId === undefined) {
      needs('a service principal', key)
      return undefined
    }
    if (secret !== undefined) {
      return { kind: 'client-secret', tenantId, clientId, secret: new Secret(secret) }
    }
    return {
      kind: 'client-certificate',
      tenantId,
      clientId,
      certificatePath: certificatePath ?? '',
      ...(certificatePassword === undefined
        ? {}
        : { certificatePassword: new Secret(certificatePassword) }),
    }
  }
  if (tokenFilePath !== undefined) {
    if (tenantId === undefined || clientId === undefined) {
      needs('workload identity', TOKEN_FILE)
      return undefined
    }
    return { kind: 'workload-identity', tenantId, clientId, tokenFilePath }
  }
  return { kind: 'managed-identity', ...(clientId === undefined ? {} : { clientId }) }
}

/** `https://…{vault}…`: the bearer token goes to that host, so only over TLS, and the vault must be in it. */
function checkTemplate(template: string, issues: string[]): void {
  if (!template.includes('{vault}')) {
    issues.push(
      `${VAULT_URL_TEMPLATE_KEY}: expected a URL with {vault} for the vault name, such as ${DEFAULT_VAULT_URL_TEMPLATE}`,
    )
    return
  }
  checkHttps(VAULT_URL_TEMPLATE_KEY, template.replaceAll('{vault}', 'vault'), issues)
}

function checkHttps(key: string, value: string, issues: string[]): void {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (
    url?.protocol !== 'https:' ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== ''
  ) {
    issues.push(`${key}: expected an https:// URL without user, password or query`)
  }
}
