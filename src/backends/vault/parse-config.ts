import { describeValue } from '../../config/describe-value'
import type { Settings } from '../../config/settings'
import type { ConfigResult } from '../types'
import { parseAuth } from './auth/parse-auth'
import type { VaultConfig, VaultTlsConfig } from './config'

const DEFAULT_CONCURRENCY = 16
const MAX_CONCURRENCY = 256
const DEFAULT_TIMEOUT_SECONDS = 10
/** One try plus three retries: with full jitter from 250 ms this stays under ~2 s of waiting. */
const MAX_ATTEMPTS = 4

/**
 * Validates every Vault key at once and reports each problem by key name.
 * Credentials are never echoed (`describeValue`); nothing is read from disk
 * here, so a file such as `~/.vault-token` is read only when a secret is needed.
 */
export function parseVaultConfig(settings: Settings): ConfigResult<VaultConfig> {
  const issues: string[] = []
  const address = parseAddress(settings.get('VAULT_ADDR'), issues)
  const tls = parseTls(settings, issues)
  const auth = parseAuth(settings, issues)
  if (auth?.method === 'cert') {
    if (tls.clientCert === undefined || tls.clientKey === undefined) {
      issues.push('VAULT_CLIENT_CERT and VAULT_CLIENT_KEY: required for AVP_AUTH_TYPE=cert')
    }
    if (address !== undefined && !address.startsWith('https:')) {
      issues.push('VAULT_ADDR: AVP_AUTH_TYPE=cert needs an https:// address')
    }
  }
  // The config layer fills in AVP's default "2" (config/load.ts); only a value
  // the user set is an override; otherwise each mount's version is detected.
  const kvSet =
    settings.sourceOf('AVP_KV_VERSION') === 'default' ? undefined : settings.get('AVP_KV_VERSION')
  const kvVersion = parseKvVersion(kvSet, issues)
  const concurrency = parseConcurrency(settings.get('AVP_VAULT_CONCURRENCY'), issues)
  const timeout = parseSeconds('AVP_VAULT_TIMEOUT', settings.get('AVP_VAULT_TIMEOUT'), issues)
  if (issues.length > 0 || address === undefined || auth === undefined) {
    return { ok: false, failures: issues }
  }
  const namespace = settings.get('VAULT_NAMESPACE')?.trim()
  const cacheDir = settings.get('AVP_TOKEN_CACHE_DIR')?.trim()
  return {
    ok: true,
    config: {
      address,
      auth,
      tls,
      concurrency,
      requestTimeoutMs: Math.round((timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000),
      maxAttempts: MAX_ATTEMPTS,
      ...(namespace ? { namespace } : {}),
      ...(kvVersion === undefined ? {} : { kvVersion }),
      ...(cacheDir ? { tokenCacheDir: cacheDir } : {}),
    },
  }
}

function parseAddress(value: string | undefined, issues: string[]): string | undefined {
  const raw = value?.trim()
  if (raw === undefined || raw === '') {
    issues.push('VAULT_ADDR: required (the Vault server URL, e.g. https://vault.example.com:8200)')
    return undefined
  }
  let url: URL | undefined
  try {
    url = new URL(raw)
  } catch {
    url = undefined
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    issues.push(`VAULT_ADDR: expected an http:// or https:// URL, got ${shown(raw)}`)
    return undefined
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    // Userinfo would end up in messages such as "cannot connect to Vault at …".
    issues.push('VAULT_ADDR: must be a plain URL without user info, query or fragment')
    return undefined
  }
  return url.href.replace(/\/+$/, '')
}

/** Quotes a non-credential value, hiding anything that looks like user info. */
function shown(value: string): string {
  return value.includes('@') ? '(a value containing "@")' : describeValue('VAULT_ADDR', value)
}

function parseTls(settings: Settings, issues: string[]): VaultTlsConfig {
  const caCert = settings.get('VAULT_CACERT')?.trim()
  const caPath = settings.get('VAULT_CAPATH')?.trim()
  const clientCert = settings.get('VAULT_CLIENT_CERT')?.trim()
  const clientKey = settings.get('VAULT_CLIENT_KEY')?.trim()
  if ((clientCert === undefined) !== (clientKey === undefined)) {
    issues.push('VAULT_CLIENT_CERT and VAULT_CLIENT_KEY: set both or neither')
  }
  return {
    skipVerify: parseSkipVerify(settings.get('VAULT_SKIP_VERIFY'), issues),
    ...(caCert ? { caCert } : {}),
    ...(caPath ? { caPath } : {}),
    ...(clientCert ? { clientCert } : {}),
    ...(clientKey ? { clientKey } : {}),
  }
}

/**
 * The Vault CLI parses `VAULT_SKIP_VERIFY` with Go's `strconv.ParseBool`;
 * node-vault instead skips verification whenever the variable is present,
 * even `false` (docs/design/vault-wire.md, bug 3). We follow the CLI.
 */
export function parseSkipVerify(value: string | undefined, issues: string[]): boolean {
  if (value === undefined) return false
  const v = value.trim()
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false
  issues.push(
    `VAULT_SKIP_VERIFY: expected true or false, got ${describeValue('VAULT_SKIP_VERIFY', v)}`,
  )
  return false
}

function parseKvVersion(value: string | undefined, issues: string[]): '1' | '2' | undefined {
  if (value === undefined) return undefined
  const v = value.trim()
  if (v === '1' || v === '2') return v
  issues.push(`AVP_KV_VERSION: expected 1 or 2, got ${describeValue('AVP_KV_VERSION', v)}`)
  return undefined
}

function parseConcurrency(value: string | undefined, issues: string[]): number {
  if (value === undefined) return DEFAULT_CONCURRENCY
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN
  if (n >= 1 && n <= MAX_CONCURRENCY) return n
  issues.push(
    `AVP_VAULT_CONCURRENCY: expected a whole number from 1 to ${String(MAX_CONCURRENCY)}, got ${describeValue('AVP_VAULT_CONCURRENCY', value)}`,
  )
  return DEFAULT_CONCURRENCY
}

function parseSeconds(
  key: string,
  value: string | undefined,
  issues: string[],
): number | undefined {
  if (value === undefined) return undefined
  const n = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : NaN
  if (n > 0 && n <= 3600) return n
  issues.push(
    `${key}: expected a number of seconds between 0 and 3600, got ${describeValue(key, value)}`,
  )
  return undefined
}
