import type { Lookup } from '../../secrets/ref'
import { Secret } from '../../secrets/secret'
import { abortedByDeadline } from '../deadline'
import type { BatchItem } from './batch'
import { classifyFailure, safeName, type AwsCallFacts } from './errors'
import type { Target } from './plan'
import type { SecretValue } from './port-types'
import { toSecretData } from './secret-data'

/** The run's deadline, for telling "deadline passed" from "SIGTERM" when a call is aborted. */
export interface Deadline {
  readonly ms: number
  /** The run's signal: aborted on the deadline or on SIGTERM. */
  readonly signal: AbortSignal
}

export function valueLookup(target: Target, value: SecretValue): Lookup {
  const data = toSecretData(value)
  if (data === undefined) {
    return {
      ok: false,
      failure: {
        code: 'SECRET_NOT_FOUND',
        message: `${target.label} has neither a SecretString nor a SecretBinary`,
      },
    }
  }
  return {
    ok: true,
    data: new Secret(data),
    ...(value.versionId === undefined ? {} : { version: value.versionId }),
  }
}

export function failureLookup(target: Target, facts: AwsCallFacts, deadline: Deadline): Lookup {
  const deadlineHit = abortedByDeadline(deadline.signal)
  return {
    ok: false,
    failure: classifyFailure(facts, { label: target.label, deadlineMs: deadline.ms, deadlineHit }),
  }
}

/** One target's share of a batch answer (docs/design/aws-wire.md). */
export function batchItemLookup(target: Target, item: BatchItem, deadline: Deadline): Lookup {
  switch (item.kind) {
    case 'value':
      return valueLookup(target, item.value)
    case 'error':
      return failureLookup(
        target,
        {
          name: safeName(item.error.errorCode),
          aborted: false,
          throttled: false,
          // The message is read for this one fact, never printed.
          deletion: /delet/i.test(item.error.message ?? ''),
        },
        deadline,
      )
    case 'absent':
      return {
        ok: false,
        failure: {
          code: 'BACKEND_ERROR',
          message: `BatchGetSecretValue returned neither a value nor an error for ${target.label}`,
        },
      }
  }
}
