import { matchesRequestedId } from './arn'
import { AwsCallError, safeName, type AwsCallFacts } from './errors'
import type { BatchError, SecretValue, SecretsManagerPort } from './port-types'
import type { Target } from './plan'

/** The API's limit on `SecretIdList` (docs/design/aws-wire.md); the SDK does not enforce it. */
export const BATCH_LIMIT = 20

/** A safety net: a list of ≤ 20 ids should never need more than a page or two. */
const MAX_PAGES = 20

/**
 * Whole-call failures after which the chunk is read with GetSecretValue
 * instead: the role may lack secretsmanager:BatchGetSecretValue (it has no
 * resource-level scoping, so it is often missing), or the endpoint may not
 * know the operation (older emulators).
 */
const FALLBACK_NAMES = new Set([
  'AccessDeniedException',
  'ValidationException',
  'InvalidParameterException',
  'InvalidRequestException',
  'UnknownOperationException',
])

/** What one batch call said about one target. */
export type BatchItem =
  | { readonly kind: 'value'; readonly value: SecretValue }
  | { readonly kind: 'error'; readonly error: BatchError }
  | { readonly kind: 'absent' }

export type BatchOutcome =
  | {
      readonly kind: 'done'
      readonly items: ReadonlyMap<Target, BatchItem>
      readonly pages: number
    }
  | { readonly kind: 'fallback'; readonly reason: string }
  | { readonly kind: 'failed'; readonly facts: AwsCallFacts }

/** Reads up to 20 latest-version targets of one region with BatchGetSecretValue, following NextToken. */
export async function fetchBatch(
  port: SecretsManagerPort,
  targets: readonly Target[],
  signal: AbortSignal,
): Promise<BatchOutcome> {
  const ids = targets.map((t) => t.secretId)
  const values: SecretValue[] = []
  const errors: BatchError[] = []
  let nextToken: string | undefined
  let pages = 0
  do {
    try {
      const page = await port.batchGetSecretValue(ids, nextToken, signal)
      values.push(...page.values)
      errors.push(...page.errors)
      nextToken = page.nextToken
      pages += 1
    } catch (err) {
      if (!(err instanceof AwsCallError)) throw err
      const { facts } = err
      if (!facts.aborted && pages === 0 && FALLBACK_NAMES.has(facts.name)) {
        return { kind: 'fallback', reason: safeName(facts.name) }
      }
      return { kind: 'failed', facts }
    }
  } while (nextToken !== undefined && pages < MAX_PAGES)
  return { kind: 'done', items: matchResults(targets, values, errors), pages }
}

/**
 * Maps the answer back to the requested ids. The answer names secrets by Name
 * and ARN only, and its order is not promised, so a value matches a target by
 * name, full ARN or partial ARN; an error entry by its SecretId, which echoes
 * the id as requested. Two targets may name the same secret (by name and by
 * ARN): both get the value.
 */
export function matchResults(
  targets: readonly Target[],
  values: readonly SecretValue[],
  errors: readonly BatchError[],
): Map<Target, BatchItem> {
  const items = new Map<Target, BatchItem>()
  for (const target of targets) {
    const value = values.find((v) => matchesRequestedId(target.secretId, v))
    if (value !== undefined) {
      items.set(target, { kind: 'value', value })
      continue
    }
    const error = errors.find((e) => e.secretId === target.secretId)
    items.set(target, error === undefined ? { kind: 'absent' } : { kind: 'error', error })
  }
  return items
}
