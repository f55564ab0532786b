import type { FetchFailure, SecretRef } from '../../secrets/ref'
import { parseSecretArn } from './arn'
import { classifyVersion, describeVersion, type VersionSelector } from './version'

/** One distinct (region, secret id, version) to read, and the refs it serves. */
export interface Target {
  readonly region: string
  /** The path as written: a name, a full ARN or a partial ARN. */
  readonly secretId: string
  readonly version: VersionSelector
  /** `secret app/db (stage AWSPREVIOUS)`, for messages. */
  readonly label: string
  readonly refs: SecretRef[]
}

export interface FetchPlan {
  readonly targets: readonly Target[]
  /** Refs that cannot be fetched at all (no region, malformed ARN). */
  readonly rejected: readonly { readonly ref: SecretRef; readonly failure: FetchFailure }[]
}

/**
 * Groups refs into distinct reads. The region comes from the ARN when the
 * path is one, so cross-region ARNs work (AVP #318); otherwise from the
 * configured region. `kvVersion` means nothing to AWS, so refs that differ
 * only in it share a read, as do "no version" and `AWSCURRENT`.
 */
export function planFetches(
  refs: readonly SecretRef[],
  defaultRegion: string | undefined,
): FetchPlan {
  const targets = new Map<string, Target>()
  const rejected: { ref: SecretRef; failure: FetchFailure }[] = []
  for (const ref of refs) {
    const region = regionFor(ref.path, defaultRegion)
    if (typeof region !== 'string') {
      rejected.push({ ref, failure: region.failure })
      continue
    }
    const version = classifyVersion(ref.version)
    const key = JSON.stringify([region, ref.path, version])
    let target = targets.get(key)
    if (target === undefined) {
      target = { region, secretId: ref.path, version, label: labelOf(ref.path, version), refs: [] }
      targets.set(key, target)
    }
    target.refs.push(ref)
  }
  return { targets: [...targets.values()], rejected }
}

function regionFor(
  path: string,
  defaultRegion: string | undefined,
): string | { readonly failure: FetchFailure } {
  const arn = parseSecretArn(path)
  if (arn === 'invalid') {
    return {
      failure: {
        code: 'CONFIG_INVALID',
        message: `secret path ${path} starts with "arn:" but is not a Secrets Manager ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>)`,
      },
    }
  }
  if (arn !== undefined) return arn.region
  if (defaultRegion !== undefined) return defaultRegion
  return {
    failure: {
      code: 'CONFIG_INVALID',
      message: `secret ${path} is a name, not an ARN, so AWS_REGION (or AWS_DEFAULT_REGION) must be set; or use the secret's full ARN`,
    },
  }
}

function labelOf(secretId: string, version: VersionSelector): string {
  const v = describeVersion(version)
  return v === undefined ? `secret ${secretId}` : `secret ${secretId} (${v})`
}

/** Splits `items` into runs of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
