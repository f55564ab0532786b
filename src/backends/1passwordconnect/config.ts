import type { Settings } from '../../config/settings'
import { Secret } from '../../secrets/secret'
import { operatorSetting } from '../operator-setting'
import type { RequestLimits } from '../request-limits'
import type { ConfigResult } from '../types'

/** The validated configuration of `AVP_TYPE=1passwordconnect`. */
export interface ConnectConfig extends RequestLimits {
  /** `OP_CONNECT_HOST`: the Connect server's base URL, e.g. `http://onepassword-connect:8080`. */
  readonly host: URL
  /** `OP_CONNECT_TOKEN`: the Connect access token (a JWT). */
  readonly token: Secret<string>
}

/** Connect serves from a local cache; a handful of parallel reads is plenty and gentle. */
const CONCURRENCY = 8
const MAX_ATTEMPTS = 3
const REQUEST_TIMEOUT_MS = 10_000

/**
 * Reads the two keys the 1Password Go SDK reads from the environment
 * (`NewClientFromEnvironment`), so an AVP setup works unchanged. Both are
 * required and only the operator may set them (operator-setting.ts); the
 * token is never echoed, nor the host (a URL can carry user:password).
 */
export function parseConnectConfig(settings: Settings): ConfigResult<ConnectConfig> {
  const issues: string[] = []
  const rawHost = operatorSetting(settings, 'OP_CONNECT_HOST', issues)
  const token = operatorSetting(settings, 'OP_CONNECT_TOKEN', issues)
  let host: URL | undefined
  if (rawHost === undefined) {
    if (settings.get('OP_CONNECT_HOST') === undefined) {
      issues.push('OP_CONNECT_HOST: required when AVP_TYPE=1passwordconnect')
    }
  } else {
    host = parseHttpUrl(rawHost)
    if (host === undefined) issues.push('OP_CONNECT_HOST: expected an http:// or https:// URL')
  }
  if (settings.get('OP_CONNECT_TOKEN') === undefined) {
    issues.push('OP_CONNECT_TOKEN: required when AVP_TYPE=1passwordconnect')
  }
  if (host === undefined || token === undefined || issues.length > 0) {
    return { ok: false, failures: issues }
  }
  return {
    ok: true,
    config: {
      host,
      token: new Secret(token),
      concurrency: CONCURRENCY,
      maxAttempts: MAX_ATTEMPTS,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    },
  }
}

function parseHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined
  } catch {
    return undefined
  }
}
