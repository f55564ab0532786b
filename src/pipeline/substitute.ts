import type { Problem } from '../errors'
import type { Manifest } from '../input/manifest'
import type { DebugLog } from '../log'
import { applySubstitution, planSubstitution, type PlanOptions } from '../placeholders'
import type { Redactor } from '../secrets/redact'
import type { SecretResolver } from './secret-resolver'

/**
 * The two phases for a set of documents (docs/architecture.md): plan every placeholder,
 * fetch the distinct refs once, substitute in place. Every revealed value is
 * registered with the stderr redactor. Returns all problems, plan's first.
 */
export async function substitute(
  manifests: readonly Manifest[],
  planOptions: PlanOptions,
  resolver: SecretResolver,
  redactor: Redactor,
  log: DebugLog,
  onReveal?: (value: unknown) => void,
): Promise<{ readonly placeholders: number; readonly problems: readonly Problem[] }> {
  const plan = planSubstitution(manifests, planOptions)
  log({ kind: 'plan', placeholders: plan.placeholderCount, refs: plan.refs.length })
  const lookups = await resolver.fetch(plan.refs)
  const problems = [
    ...plan.problems,
    ...applySubstitution(plan, lookups, (value) => {
      redactor.add(value)
      onReveal?.(value)
    }),
  ]
  return { placeholders: plan.placeholderCount, problems }
}
