import type { Settings } from '../../config/settings'
import { sidecarOnlyIssues } from '../../config/sidecar-only'
import type { ConfigResult } from '../types'

/** Where the REST transport connects: `https://secretmanager.googleapis.com:443` unless overridden. */
export interface GcpEndpoint {
  readonly protocol: 'http' | 'https'
  readonly host: string
  readonly port: number
}

/** The validated configuration of `AVP_TYPE=gcpsecretmanager`. */
export interface GcpConfig {
  /**
   * `GOOGLE_APPLICATION_CREDENTIALS`: a service-account (or other ADC) JSON
   * file. Absent: Application Default Credentials, i.e. GKE Workload
   * Identity through the metadata server.
   */
  readonly credentialsFile?: string
  /** `AVP_GCP_ENDPOINT`; absent means Google's own endpoint. */
  readonly endpoint?: GcpEndpoint
  /** Attempts per secret, the first included, on UNAVAILABLE, RESOURCE_EXHAUSTED and network errors. */
  readonly maxAttempts: number
  /** Time for one attempt; a slower answer is abandoned and retried. */
  readonly attemptTimeoutMs: number
  /** AccessSecretVersion calls in flight at once. */
  readonly concurrency: number
}

export const GCP_ENDPOINT_KEY = 'AVP_GCP_ENDPOINT'
const CREDENTIALS_KEY = 'GOOGLE_APPLICATION_CREDENTIALS'

/** Three attempts, as the AWS SDK's standard mode. */
const MAX_ATTEMPTS = 3
const ATTEMPT_TIMEOUT_MS = 15_000
/**
 * AccessSecretVersion's quota is 90,000 requests a minute per project
 * (https://cloud.google.com/secret-manager/quotas); 16 in flight stays far
 * below it while a chart with 100 secrets takes a handful of round trips.
 */
const CONCURRENCY = 16

export function parseGcpConfig(settings: Settings): ConfigResult<GcpConfig> {
  const issues = sidecarOnlyIssues(settings, [GCP_ENDPOINT_KEY, CREDENTIALS_KEY])
  const endpoint = parseEndpoint(settings.get(GCP_ENDPOINT_KEY)?.trim(), issues)
  const credentialsFile = settings.get(CREDENTIALS_KEY)?.trim()
  if (issues.length > 0) return { ok: false, failures: issues }
  return {
    ok: true,
    config: {
      ...(credentialsFile === undefined || credentialsFile === '' ? {} : { credentialsFile }),
      ...(endpoint === undefined ? {} : { endpoint }),
      maxAttempts: MAX_ATTEMPTS,
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
      concurrency: CONCURRENCY,
    },
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * `https://host[:port]`, or `http://` on loopback only: the bearer token goes
 * with every request, so it may cross a network only inside TLS.
 */
function parseEndpoint(value: string | undefined, issues: string[]): GcpEndpoint | undefined {
  if (value === undefined || value === '') return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    issues.push(`${GCP_ENDPOINT_KEY}: expected a URL such as https://secretmanager.googleapis.com`)
    return undefined
  }
  const protocol = url.protocol.slice(0, -1)
  const plainOk = protocol === 'http' && LOOPBACK.has(url.hostname)
  if ((protocol !== 'https' && !plainOk) || url.username !== '' || url.password !== '') {
    issues.push(
      `${GCP_ENDPOINT_KEY}: expected an https:// URL without user or password (http:// only on 127.0.0.1)`,
    )
    return undefined
  }
  if (url.pathname !== '/' || url.search !== '') {
    issues.push(`${GCP_ENDPOINT_KEY}: expected only scheme, host and port, no path or query`)
    return undefined
  }
  const port = url.port === '' ? (protocol === 'https' ? 443 : 80) : Number(url.port)
  return { protocol: protocol === 'https' ? 'https' : 'http', host: url.hostname, port }
}

/**
 * Where a secret is read: `AVP_GCP_ENDPOINT` when the operator set one, else
 * Google's global endpoint, or a regional secret's location endpoint
 * `secretmanager.<location>.rep.googleapis.com`
 * (https://cloud.google.com/secret-manager/docs/reference/rest#regional-service-endpoint).
 */
export function endpointFor(config: GcpConfig, location: string | undefined): GcpEndpoint {
  if (config.endpoint !== undefined) return config.endpoint
  const host =
    location === undefined
      ? 'secretmanager.googleapis.com'
      : `secretmanager.${location}.rep.googleapis.com`
  return { protocol: 'https', host, port: 443 }
}
