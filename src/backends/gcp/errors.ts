import type { FetchFailure } from '../../secrets/ref'
import { type StoppedRead, stoppedReadFailure } from '../deadline'
import type { GcpCallFacts } from './port-types'

/** What the run knew when a call failed. */
export interface FailureContext extends StoppedRead {
  readonly attempts: number
  /** An earlier attempt was throttled or unavailable: the deadline message says so. */
  readonly retried?: string
}

const GCP = { short: 'GCP', long: 'GCP Secret Manager' }

const NO_CREDENTIALS =
  'set GOOGLE_APPLICATION_CREDENTIALS to a key file, or run on GKE with Workload Identity (docs/backends/gcp.md)'

/**
 * Turns a failed AccessSecretVersion into our own one-line failure, from the
 * gRPC status the API answered (https://cloud.google.com/apis/design/errors).
 * Messages carry only the status, HTTP code and attempt count.
 */
export function classifyFailure(facts: GcpCallFacts, ctx: FailureContext): FetchFailure {
  if (facts.aborted) return stoppedReadFailure(ctx, GCP, ctx.retried === 'RESOURCE_EXHAUSTED')
  const from = ` (${details(facts, ctx.attempts)})`
  if (facts.credentials !== undefined) return credentialFailure(facts.credentials, ctx, from)
  const status = facts.status ?? 'UNKNOWN'
  switch (status) {
    case 'NOT_FOUND':
      return {
        code: 'SECRET_NOT_FOUND',
        message: `${ctx.label} not found in GCP Secret Manager${from}`,
      }
    case 'FAILED_PRECONDITION':
      return facts.versionState === undefined
        ? { code: 'BACKEND_ERROR', message: `GCP refused to read ${ctx.label}${from}` }
        : {
            code: 'VERSION_DELETED',
            message: `${ctx.label} is ${facts.versionState.toLowerCase()}: enable it, or name an enabled version after the key (#key#<version>)${from}`,
          }
    case 'PERMISSION_DENIED':
      return {
        code: 'ACCESS_DENIED',
        message: `permission denied for ${ctx.label}: the service account needs roles/secretmanager.secretAccessor (secretmanager.versions.access) on it; GCP also answers this when the secret does not exist${from}`,
      }
    case 'UNAUTHENTICATED':
      return {
        code: 'AUTH_FAILED',
        message: `GCP did not accept the credentials while reading ${ctx.label}${from}`,
      }
    case 'RESOURCE_EXHAUSTED':
      return {
        code: 'THROTTLED',
        message: `GCP throttled the requests for ${ctx.label} until the retries ran out${from}`,
      }
    case 'INVALID_ARGUMENT':
      return {
        code: 'BACKEND_ERROR',
        message: `GCP rejected the request for ${ctx.label}; check the path and version${from}`,
      }
    case 'CANCELLED':
    case 'UNKNOWN':
    case 'DEADLINE_EXCEEDED':
    case 'ALREADY_EXISTS':
    case 'ABORTED':
    case 'OUT_OF_RANGE':
    case 'UNIMPLEMENTED':
    case 'INTERNAL':
    case 'UNAVAILABLE':
    case 'DATA_LOSS':
      return otherFailure(facts, ctx, from)
  }
}

function otherFailure(facts: GcpCallFacts, ctx: FailureContext, from: string): FetchFailure {
  if (facts.malformed === true) {
    return {
      code: 'BACKEND_ERROR',
      message: `GCP Secret Manager sent an answer that is not valid JSON for ${ctx.label}${from}`,
    }
  }
  if (facts.networkCode !== undefined && facts.httpStatus === undefined) {
    return {
      code: 'UNAVAILABLE',
      message: `could not reach GCP Secret Manager for ${ctx.label}${from}`,
    }
  }
  if (
    facts.status === 'UNAVAILABLE' ||
    facts.status === 'INTERNAL' ||
    (facts.httpStatus ?? 0) >= 500
  ) {
    return {
      code: 'UNAVAILABLE',
      message: `GCP Secret Manager failed while reading ${ctx.label}${from}`,
    }
  }
  return { code: 'BACKEND_ERROR', message: `reading ${ctx.label} failed${from}` }
}

function credentialFailure(
  kind: NonNullable<GcpCallFacts['credentials']>,
  ctx: FailureContext,
  from: string,
): FetchFailure {
  switch (kind) {
    case 'missing':
      return {
        code: 'AUTH_FAILED',
        message: `no Google credentials found for reading ${ctx.label}: ${NO_CREDENTIALS}`,
      }
    case 'unreadable':
      return {
        code: 'AUTH_FAILED',
        message: `could not load the Google credentials (GOOGLE_APPLICATION_CREDENTIALS) for reading ${ctx.label}${from}`,
      }
    case 'refused':
      return {
        code: 'AUTH_FAILED',
        message: `could not get a Google access token for reading ${ctx.label} (the metadata server or token endpoint refused)${from}`,
      }
  }
}

/** `PERMISSION_DENIED, HTTP 403, 3 attempts`: allow-listed facts only. */
function details(facts: GcpCallFacts, attempts: number): string {
  const parts: string[] = []
  if (facts.status !== undefined) parts.push(facts.status)
  if (facts.networkCode !== undefined) parts.push(facts.networkCode)
  if (facts.httpStatus !== undefined) parts.push(`HTTP ${String(facts.httpStatus)}`)
  if (attempts > 1) parts.push(`${String(attempts)} attempts`)
  return parts.length === 0 ? 'no details' : parts.join(', ')
}

/** Worth another attempt: throttling, a server or network failure, or an attempt that timed out. */
export function isRetryable(facts: GcpCallFacts): boolean {
  if (facts.credentials === 'missing' || facts.credentials === 'unreadable') return false
  if (facts.status === 'RESOURCE_EXHAUSTED' || facts.status === 'UNAVAILABLE') return true
  if (facts.status === 'DEADLINE_EXCEEDED' || facts.status === 'INTERNAL') return true
  if (facts.status !== undefined) return false
  return facts.networkCode !== undefined || (facts.httpStatus ?? 0) >= 500
}
