// An in-memory SecretsManagerPort (docs/design/engineering-rules.md: doubles sit at the port).
// It answers like Secrets Manager (docs/design/aws-wire.md) and records calls.
import { matchesRequestedId } from '../../../../src/backends/aws/arn'
import { AwsCallError, type AwsCallFacts } from '../../../../src/backends/aws/errors'
import type {
  BatchError,
  GetInput,
  SecretValue,
  SecretsManagerPort,
} from '../../../../src/backends/aws/port-types'

export interface StoredSecret {
  readonly name: string
  readonly arn: string
  /** Stage or version id → value; `AWSCURRENT` is the latest. */
  readonly versions: Readonly<Record<string, Omit<SecretValue, 'name' | 'arn'>>>
}

export function stored(region: string, name: string, value: string): StoredSecret {
  return {
    name,
    arn: `arn:aws:secretsmanager:${region}:123456789012:secret:${name}-AbCdEf`,
    versions: { AWSCURRENT: { secretString: value } },
  }
}

export function facts(name: string, more: Partial<AwsCallFacts> = {}): AwsCallFacts {
  return { name, aborted: false, throttled: false, deletion: false, ...more }
}

export class InMemoryPort implements SecretsManagerPort {
  readonly gets: GetInput[] = []
  readonly batches: string[][] = []
  inFlight = 0
  maxInFlight = 0
  destroyed = false
  /** Fails every BatchGetSecretValue call with these facts. */
  batchFailure: AwsCallFacts | undefined
  /** Fails GetSecretValue for these secret ids. */
  readonly getFailures = new Map<string, AwsCallFacts>()
  /** Per-id entries for a batch answer's `Errors`. */
  readonly batchErrors = new Map<string, BatchError>()
  /** Ids the batch answer silently leaves out. */
  readonly dropFromBatch = new Set<string>()

  constructor(
    readonly region: string,
    private readonly secrets: readonly StoredSecret[],
  ) {}

  getSecretValue: SecretsManagerPort['getSecretValue'] = async (input: GetInput) => {
    this.gets.push(input)
    return this.track(() => {
      const failure = this.getFailures.get(input.secretId)
      if (failure !== undefined) throw new AwsCallError(failure)
      const secret = this.find(input.secretId)
      const version = secret?.versions[input.versionId ?? input.versionStage ?? 'AWSCURRENT']
      if (secret === undefined || version === undefined) {
        throw new AwsCallError(facts('ResourceNotFoundException', { httpStatus: 400 }))
      }
      return { name: secret.name, arn: secret.arn, ...version }
    })
  }

  batchGetSecretValue: SecretsManagerPort['batchGetSecretValue'] = async (ids) => {
    this.batches.push([...ids])
    return this.track(() => {
      if (this.batchFailure !== undefined) throw new AwsCallError(this.batchFailure)
      const values: SecretValue[] = []
      const errors: BatchError[] = []
      // Reversed: the answer's order is not the request's (docs/design/aws-wire.md).
      for (const id of [...ids].reverse()) {
        if (this.dropFromBatch.has(id)) continue
        const error = this.batchErrors.get(id)
        const secret = this.find(id)
        const current = secret?.versions['AWSCURRENT']
        if (error !== undefined) errors.push(error)
        else if (secret === undefined || current === undefined) {
          errors.push({ secretId: id, errorCode: 'ResourceNotFoundException', message: 'x' })
        } else values.push({ name: secret.name, arn: secret.arn, ...current })
      }
      return { values, errors }
    })
  }

  readonly describes: string[] = []

  /** AWSCURRENT's `versionId`, or the stage name itself when the stored version has none. */
  describeSecret: SecretsManagerPort['describeSecret'] = async (secretId) => {
    this.describes.push(secretId)
    return this.track(() => {
      const failure = this.getFailures.get(secretId)
      if (failure !== undefined) throw new AwsCallError(failure)
      const secret = this.find(secretId)
      if (secret === undefined) {
        throw new AwsCallError(facts('ResourceNotFoundException', { httpStatus: 400 }))
      }
      const current = secret.versions['AWSCURRENT']
      return {
        versionStages: current === undefined ? {} : { [current.versionId ?? 'v']: ['AWSCURRENT'] },
        deleted: false,
      }
    })
  }

  destroy(): void {
    this.destroyed = true
  }

  private find(id: string): StoredSecret | undefined {
    return this.secrets.find((s) => matchesRequestedId(id, s))
  }

  /** Counts calls in flight across a tick, so concurrency limits are observable. */
  private async track<T>(answer: () => T): Promise<T> {
    this.inFlight += 1
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    try {
      await new Promise((r) => setTimeout(r, 2))
      return answer()
    } finally {
      this.inFlight -= 1
    }
  }
}
