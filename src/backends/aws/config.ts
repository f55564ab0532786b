import { describeValue } from '../../config/describe-value'
import type { Settings } from '../../config/settings'
import { Secret } from '../../secrets/secret'
import type { ConfigResult } from '../types'

/** Static credentials given through the settings (for example a config file or Kubernetes Secret). */
export interface AwsStaticCredentials {
  readonly accessKeyId: Secret<string>
  readonly secretAccessKey: Secret<string>
  readonly sessionToken?: Secret<string>
}

/** The validated configuration of `AVP_TYPE=awssecretsmanager`. */
export interface AwsConfig {
  /** `AWS_REGION`, else `AWS_DEFAULT_REGION`; needed only by refs that are not ARNs. */
  readonly region?: string
  /** `AWS_ENDPOINT_URL_SECRETS_MANAGER`, else `AWS_ENDPOINT_URL` (docs/design/aws-wire.md). */
  readonly endpoint?: string
  /** Absent: the SDK's default credential chain (env, profile, IRSA, Pod Identity, IMDS). */
  readonly credentials?: AwsStaticCredentials
  /** `AWS_PROFILE` from the settings, passed to the SDK's shared-config provider. */
  readonly profile?: string
  /** `AWS_MAX_ATTEMPTS`: attempts per call, the first included (SDK standard retry mode). */
  readonly maxAttempts: number
  /** TCP connect timeout of one attempt. */
  readonly connectionTimeoutMs: number
  /** Time for one attempt's response; with `throwOnRequestTimeout` it fails (and is retried). */
  readonly requestTimeoutMs: number
  /** Calls in flight at once, across batch chunks and single reads. */
  readonly concurrency: number
}

/** SDK default (docs/design/aws-wire.md). */
const DEFAULT_MAX_ATTEMPTS = 3
const MAX_MAX_ATTEMPTS = 20
const CONNECTION_TIMEOUT_MS = 5_000
/** A GetSecretValue answers in well under a second; three 15 s attempts still fit Argo CD's 60 s. */
const REQUEST_TIMEOUT_MS = 15_000
/**
 * 8 calls in flight: 45 secrets take 3 batch calls at once, and a fallback to
 * single reads stays far below the GetSecretValue quota (10,000/s) while not
 * tripping the BatchGetSecretValue quota (100/s) either.
 */
const CONCURRENCY = 8

/** Region names such as `us-east-1`, `us-gov-west-1`, `eusc-de-east-1`; never echoes anything odd. */
const REGION = /^[a-z]{2,5}(-[a-z0-9]+){1,4}-\d{1,2}$/

export function parseAwsConfig(settings: Settings): ConfigResult<AwsConfig> {
  const issues: string[] = []
  const region = parseRegion(settings, issues)
  const endpoint = parseEndpoint(settings, issues)
  const credentials = parseCredentials(settings, issues)
  const maxAttempts = parseMaxAttempts(settings, issues)
  const profile = settings.get('AWS_PROFILE')?.trim()
  if (issues.length > 0) return { ok: false, failures: issues }
  return {
    ok: true,
    config: {
      ...(region === undefined ? {} : { region }),
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(credentials === undefined ? {} : { credentials }),
      ...(profile === undefined || profile === '' ? {} : { profile }),
      maxAttempts,
      connectionTimeoutMs: CONNECTION_TIMEOUT_MS,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      concurrency: CONCURRENCY,
    },
  }
}

function parseRegion(settings: Settings, issues: string[]): string | undefined {
  for (const key of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
    const value = settings.get(key)?.trim()
    if (value === undefined || value === '') continue
    if (!REGION.test(value)) {
      issues.push(
        `${key}: expected an AWS region name such as us-east-1, got ${describeValue(key, value)}`,
      )
    }
    return value
  }
  // No region is fine as long as every path is an ARN; a name without a region
  // fails per reference at fetch time (AVP silently picks us-east-2, docs/design/avp-semantics.md).
  return undefined
}

function parseEndpoint(settings: Settings, issues: string[]): string | undefined {
  if (/^true$/i.test(settings.get('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS') ?? '')) return undefined
  for (const key of ['AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_ENDPOINT_URL']) {
    const value = settings.get(key)?.trim()
    if (value === undefined || value === '') continue
    if (!isHttpUrl(value)) {
      // Not echoed: a URL may carry user:password.
      issues.push(`${key}: expected an http:// or https:// URL`)
    }
    return value
  }
  return undefined
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

function parseCredentials(settings: Settings, issues: string[]): AwsStaticCredentials | undefined {
  const accessKeyId = settings.get('AWS_ACCESS_KEY_ID')
  const secretAccessKey = settings.get('AWS_SECRET_ACCESS_KEY')
  const sessionToken = settings.get('AWS_SESSION_TOKEN')
  if (accessKeyId === undefined && secretAccessKey === undefined) {
    if (sessionToken !== undefined) {
      issues.push('AWS_SESSION_TOKEN: set without AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY')
    }
    return undefined
  }
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    const missing = accessKeyId === undefined ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY'
    const present = accessKeyId === undefined ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'
    issues.push(`${missing}: required when ${present} is set`)
    return undefined
  }
  return {
    accessKeyId: new Secret(accessKeyId),
    secretAccessKey: new Secret(secretAccessKey),
    ...(sessionToken === undefined ? {} : { sessionToken: new Secret(sessionToken) }),
  }
}

function parseMaxAttempts(settings: Settings, issues: string[]): number {
  const value = settings.get('AWS_MAX_ATTEMPTS')?.trim()
  if (value === undefined || value === '') return DEFAULT_MAX_ATTEMPTS
  const n = /^\d+$/.test(value) ? Number(value) : NaN
  if (n >= 1 && n <= MAX_MAX_ATTEMPTS) return n
  issues.push(
    `AWS_MAX_ATTEMPTS: expected a whole number from 1 to ${String(MAX_MAX_ATTEMPTS)}, got ${describeValue('AWS_MAX_ATTEMPTS', value)}`,
  )
  return DEFAULT_MAX_ATTEMPTS
}
