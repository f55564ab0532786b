/**
 * Our narrow view of GCP Secret Manager: one read, plain data in and out.
 * `port.ts` implements it with `@google-cloud/secret-manager`; unit tests
 * implement it in memory.
 */

/** gRPC status names (https://grpc.io/docs/guides/status-codes/), as the REST error body spells them. */
export const GRPC_STATUSES = [
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const
export type GrpcStatus = (typeof GRPC_STATUSES)[number]

/**
 * A failed call reduced to allow-listed facts. Never the library's error
 * message or request: its `config` carries the bearer token.
 */
export interface GcpCallFacts {
  /** From the API's error body, when the API answered. */
  readonly status?: GrpcStatus
  readonly httpStatus?: number
  /** A Node network code (`ECONNREFUSED`) when there was no answer. */
  readonly networkCode?: string
  /** FAILED_PRECONDITION because the version is disabled or destroyed. */
  readonly versionState?: 'DISABLED' | 'DESTROYED'
  /** Getting an access token failed (no credentials found, or the token source refused). */
  readonly credentials?: 'missing' | 'refused' | 'unreadable'
  /** The answer was not the JSON the API sends. */
  readonly malformed?: boolean
  /** The call was abandoned because its AbortSignal fired. */
  readonly aborted: boolean
}

export class GcpCallError extends Error {
  override readonly name = 'GcpCallError'
  constructor(readonly facts: GcpCallFacts) {
    super(`Secret Manager call failed: ${facts.status ?? facts.networkCode ?? 'error'}`)
  }
}

/** One Secret Manager client. Failures reject with `GcpCallError` only. */
export interface SecretManagerPort {
  /** AccessSecretVersion: the payload bytes of `projects/p/secrets/s/versions/v`. */
  access(name: string, signal: AbortSignal): Promise<Uint8Array>
}
