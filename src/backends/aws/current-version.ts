import type { CurrentVersion } from '../types'
import { AwsCallError, classifyFailure } from './errors'
import type { Deadline } from './lookups'
import { abortedByDeadline } from '../deadline'
import type { Target } from './plan'
import type { SecretsManagerPort } from './port-types'

/** The stage every read without a version gets (docs/design/aws-wire.md). */
const CURRENT_STAGE = 'AWSCURRENT'

/**
 * The `VersionId` staged `AWSCURRENT`, from DescribeSecret, which returns
 * metadata and never a value: a role for `refresh` needs
 * `secretsmanager:DescribeSecret` only. A secret gone or scheduled for
 * deletion is `gone`.
 */
export async function describeCurrent(
  port: SecretsManagerPort,
  target: Target,
  deadline: Deadline,
): Promise<CurrentVersion> {
  try {
    const described = await port.describeSecret(target.secretId, deadline.signal)
    if (described.deleted) {
      return { kind: 'gone', why: `${target.label} is scheduled for deletion` }
    }
    const current = Object.entries(described.versionStages).find(([, stages]) =>
      stages.includes(CURRENT_STAGE),
    )
    if (current === undefined) {
      const message = `${target.label} has no version staged ${CURRENT_STAGE}`
      return { kind: 'failed', failure: { code: 'SECRET_NOT_FOUND', message } }
    }
    return { kind: 'current', version: current[0] }
  } catch (err) {
    if (!(err instanceof AwsCallError)) throw err
    if (err.facts.name === 'ResourceNotFoundException') {
      return { kind: 'gone', why: `${target.label} no longer exists` }
    }
    const failure = classifyFailure(err.facts, {
      label: target.label,
      deadlineMs: deadline.ms,
      deadlineHit: abortedByDeadline(deadline.signal),
    })
    const error =
      failure.code === 'ACCESS_DENIED'
        ? {
            code: failure.code,
            message: failure.message.replace(
              'secretsmanager:GetSecretValue',
              'secretsmanager:DescribeSecret',
            ),
          }
        : failure
    return { kind: 'failed', failure: error }
  }
}
