import type { FetchFailure } from '../../secrets/ref'
import { type StoppedRead, stoppedReadFailure } from '../deadline'

/**
 * A failed Secrets Manager call, reduced to allow-listed fields (docs/design/engineering-rules.md
 * B.4.2): the error `name`, the HTTP status, the request id and counts. Never
 * the SDK error's message, request or response, which `port.ts` drops.
 */
export interface AwsCallFacts {
  /** `err.name` (`ResourceNotFoundException`, `AbortError`, `TimeoutError`, …); sanitised. */
  readonly name: string
  /** A Node network code such as `ECONNREFUSED`, when there was no HTTP answer. */
  readonly networkCode?: string
  readonly httpStatus?: number
  readonly requestId?: string
  /** `$fault`: `server` for 5xx-class failures. */
  readonly fault?: 'client' | 'server'
  readonly attempts?: number
  /** True when the call was given up because its AbortSignal fired (deadline or SIGTERM). */
  readonly aborted: boolean
  /** True when any attempt of the call was throttled (seen by the port's attempt observer). */
  readonly throttled: boolean
  /** InvalidRequestException because the secret is scheduled for deletion (from the message, which is not kept). */
  readonly deletion: boolean
}

export class AwsCallError extends Error {
  override readonly name = 'AwsCallError'
  constructor(readonly facts: AwsCallFacts) {
    super(`Secrets Manager call failed: ${facts.name}`)
  }
}

/** Error names safe to print: identifier-like, so a hostile server cannot smuggle text through `__type`. */
export function safeName(name: unknown): string {
  return typeof name === 'string' && /^[A-Za-z][A-Za-z0-9_.]{0,99}$/.test(name)
    ? name
    : 'UnknownError'
}

/** Names the SDK's standard retry strategy treats as throttling (docs/design/aws-wire.md). */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
  'TransactionInProgressException',
])

export function isThrottlingName(name: string): boolean {
  return THROTTLING.has(name)
}

/** What the run knew when a call failed: for the deadline wording. */
export type FailureContext = StoppedRead

const AWS = { short: 'AWS', long: 'AWS Secrets Manager' }

const AUTH_NAMES = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'ExpiredToken',
  'MissingAuthenticationToken',
  'SignatureDoesNotMatch',
])

const REJECTED_NAMES = new Set([
  'ValidationException',
  'InvalidParameterException',
  'InvalidRequestException',
  'InvalidNextTokenException',
])

/**
 * Turns a failed call into our own one-line failure (docs/design/aws-wire.md).
 * Classified on `err.name`, never on the HTTP status (moto answers 404 where
 * AWS answers 400, docs/design/aws-wire.md). Messages carry only the name, status, attempts and
 * request id: never the SDK's own message.
 */
export function classifyFailure(facts: AwsCallFacts, ctx: FailureContext): FetchFailure {
  if (facts.aborted) return stoppedReadFailure(ctx, AWS, facts.throttled)
  const name = safeName(facts.name)
  const fromAws = ` (${details(facts)})`
  if (name === 'CredentialsProviderError') {
    return {
      code: 'AUTH_FAILED',
      message: `no AWS credentials found for reading ${ctx.label}: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, IRSA (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE) or EKS Pod Identity${fromAws}`,
    }
  }
  if (name === 'ResourceNotFoundException') {
    return {
      code: 'SECRET_NOT_FOUND',
      message: `${ctx.label} not found in AWS Secrets Manager${fromAws}`,
    }
  }
  if (name === 'InvalidRequestException' && facts.deletion) {
    return { code: 'SECRET_NOT_FOUND', message: `${ctx.label} is scheduled for deletion${fromAws}` }
  }
  if (name === 'AccessDeniedException') {
    return {
      code: 'ACCESS_DENIED',
      message: `access denied to ${ctx.label}: the role needs secretsmanager:GetSecretValue on it${fromAws}`,
    }
  }
  if (name === 'DecryptionFailure') {
    return {
      code: 'DECRYPTION_FAILED',
      message: `AWS KMS could not decrypt ${ctx.label}: the role needs kms:Decrypt on the secret's KMS key${fromAws}`,
    }
  }
  if (AUTH_NAMES.has(name)) {
    return {
      code: 'AUTH_FAILED',
      message: `AWS did not accept the credentials while reading ${ctx.label}${fromAws}`,
    }
  }
  if (isThrottlingName(name) || facts.httpStatus === 429) {
    return {
      code: 'THROTTLED',
      message: `AWS throttled the requests for ${ctx.label} until the retries ran out (AWS_MAX_ATTEMPTS)${fromAws}`,
    }
  }
  if (REJECTED_NAMES.has(name)) {
    return {
      code: 'BACKEND_ERROR',
      message: `AWS rejected the request for ${ctx.label}; check the path and version${fromAws}`,
    }
  }
  return transportFailure(facts, ctx, name, fromAws)
}

function transportFailure(
  facts: AwsCallFacts,
  ctx: FailureContext,
  name: string,
  fromAws: string,
): FetchFailure {
  if (facts.networkCode !== undefined || name === 'TimeoutError' || name === 'RequestTimeout') {
    return {
      code: 'UNAVAILABLE',
      message: `could not reach AWS Secrets Manager for ${ctx.label}${fromAws}`,
    }
  }
  if (facts.fault === 'server' || name === 'InternalServiceError') {
    return {
      code: 'UNAVAILABLE',
      message: `AWS Secrets Manager failed while reading ${ctx.label}${fromAws}`,
    }
  }
  if (name === 'SyntaxError') {
    return {
      code: 'BACKEND_ERROR',
      message: `AWS Secrets Manager sent an answer that is not valid JSON for ${ctx.label}${fromAws}`,
    }
  }
  return { code: 'BACKEND_ERROR', message: `reading ${ctx.label} failed${fromAws}` }
}

/** `ThrottlingException, HTTP 400, 3 attempts, request id …`: allow-listed facts only. */
function details(facts: AwsCallFacts): string {
  const name = safeName(facts.name)
  // A network failure is a plain `Error`: its code says more than its name.
  // The SDK's JSON parser failing says nothing to a reader: the body was not JSON.
  const shown = name === 'SyntaxError' ? 'body not JSON' : name
  const parts = name === 'Error' && facts.networkCode !== undefined ? [] : [shown]
  if (facts.networkCode !== undefined) parts.push(facts.networkCode)
  if (facts.httpStatus !== undefined) parts.push(`HTTP ${String(facts.httpStatus)}`)
  if (facts.attempts !== undefined && facts.attempts > 1) {
    parts.push(`${String(facts.attempts)} attempts`)
  }
  if (facts.requestId !== undefined) parts.push(`request id ${facts.requestId}`)
  return parts.join(', ')
}
