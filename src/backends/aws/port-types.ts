/**
 * Our narrow view of Secrets Manager (docs/design/engineering-rules.md): only the three reads the
 * plugin makes, with plain data in and out. `port.ts` implements it with the
 * AWS SDK; tests implement it in memory.
 */

/** One secret value as GetSecretValue / BatchGetSecretValue return it. */
export interface SecretValue {
  readonly name?: string
  readonly arn?: string
  /** The version read (`VersionId`): recorded on the output, never part of the value. */
  readonly versionId?: string
  readonly secretString?: string
  /** Raw bytes (base64 on the wire; docs/design/aws-wire.md). */
  readonly secretBinary?: Uint8Array
}

/** A per-secret failure inside a successful BatchGetSecretValue answer (docs/design/aws-wire.md). */
export interface BatchError {
  readonly secretId?: string
  readonly errorCode?: string
  /** Used only to recognise "marked for deletion"; never printed. */
  readonly message?: string
}

export interface BatchPage {
  readonly values: readonly SecretValue[]
  readonly errors: readonly BatchError[]
  readonly nextToken?: string
}

export interface GetInput {
  readonly secretId: string
  readonly versionId?: string
  readonly versionStage?: string
}

/** What DescribeSecret says of a secret's versions: metadata only, never a value. */
export interface SecretDescription {
  /** `VersionIdsToStages`: each version id with its staging labels. */
  readonly versionStages: Readonly<Record<string, readonly string[]>>
  /** Set when the secret is scheduled for deletion. */
  readonly deleted: boolean
}

/** One Secrets Manager client, bound to one region. Failures reject with `AwsCallError` only. */
export interface SecretsManagerPort {
  getSecretValue(input: GetInput, signal: AbortSignal): Promise<SecretValue>
  /** At most 20 ids (the API's limit; the SDK does not check it). */
  batchGetSecretValue(
    ids: readonly string[],
    nextToken: string | undefined,
    signal: AbortSignal,
  ): Promise<BatchPage>
  /** DescribeSecret, for `refresh`: which version is current, without reading any value. */
  describeSecret(secretId: string, signal: AbortSignal): Promise<SecretDescription>
  /** Closes the client's sockets. */
  destroy(): void
}

/** Builds the port for one region: one client per region (AVP #318). */
export type PortFactory = (region: string) => SecretsManagerPort
