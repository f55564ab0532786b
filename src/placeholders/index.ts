/**
 * The placeholder engine: AVP's placeholder, modifier and annotation semantics
 * (docs/design/avp-semantics.md) over yaml Documents, in two phases. It knows
 * nothing of backends: `planSubstitution` lists the refs to fetch, and
 * `applySubstitution` takes the fetched lookups.
 */
export { applyOutcomes, applySubstitution, type OutcomeOf } from './apply'
export { resolvePlaceholder, type Outcome } from './resolve'
export { planSubstitution } from './plan'
export type {
  PathScope,
  PlannedPlaceholder,
  PlanOptions,
  PlannedSite,
  SubstitutionPlan,
} from './types'
export { stubOutcome } from './stub'
export { recordVersions, VERSIONS_ANNOTATION } from './record-versions'
