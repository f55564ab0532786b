import type { Problem } from '../errors'
import type { Manifest } from '../input/manifest'
import type { DebugLog } from '../log'
import {
  applyOutcomes,
  applySubstitution,
  planSubstitution,
  stubOutcome,
  type PlanOptions,
  type SubstitutionPlan,
} from '../placeholders'
import type { Lookup, RefKey } from '../secrets/ref'
import type { RegisterSecret } from '../secrets/redact'
import type { SecretResolver } from './secret-resolver'

/** What substituting a set of documents did: how many placeholders, and every problem. */
export interface Substituted {
  readonly placeholders: number
  readonly problems: readonly Problem[]
  readonly plan: SubstitutionPlan
  /** What each ref resolved to; none when stubbed. */
  readonly lookups?: ReadonlyMap<RefKey, Lookup>
}

/** Substitutes every placeholder of some documents in place: resolved or stubbed. */
export type Substituter = (manifests: readonly Manifest[]) => Promise<Substituted>

/**
 * The two phases for a set of documents (docs/architecture.md): plan every
 * placeholder, fetch the distinct refs once, substitute in place. Every
 * revealed value is registered with the run's redactor (and handed to
 * `onReveal`). Returns all problems, plan's first.
 */
export function resolvingSubstituter(
  planOptions: PlanOptions,
  resolver: SecretResolver,
  registerSecret: RegisterSecret,
  log: DebugLog,
  onReveal?: (value: unknown) => void,
): Substituter {
  return async (manifests) => {
    const plan = planSubstitution(manifests, planOptions)
    log({ kind: 'plan', placeholders: plan.placeholderCount, refs: plan.refs.length })
    // One reference outside the operator's scope and the backend hears
    // nothing, not even a login: the run fails on the plan's problems alone.
    if (plan.problems.some((p) => p.code === 'PATH_OUT_OF_SCOPE')) {
      return { placeholders: plan.placeholderCount, problems: plan.problems, plan }
    }
    const lookups = await resolver.fetch(plan.refs)
    const problems = [
      ...plan.problems,
      ...applySubstitution(plan, lookups, (value) => {
        registerSecret(value)
        onReveal?.(value)
      }),
    ]
    return { placeholders: plan.placeholderCount, problems, plan, lookups }
  }
}

/**
 * `generate --stub`: the plan phase as always, then every placeholder gets a
 * deterministic dummy (placeholders/stub.ts). No backend is created or asked.
 */
export function stubSubstituter(planOptions: PlanOptions, log: DebugLog): Substituter {
  return (manifests) => {
    const plan = planSubstitution(manifests, planOptions)
    log({ kind: 'plan', placeholders: plan.placeholderCount, refs: plan.refs.length })
    // A dummy is no secret: nothing to register with the redactor.
    const problems = [...plan.problems, ...applyOutcomes(plan, stubOutcome, () => undefined)]
    return Promise.resolve({ placeholders: plan.placeholderCount, problems, plan })
  }
}
