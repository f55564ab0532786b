/**
 * The placeholder engine: AVP's placeholder, modifier and annotation semantics
 * (docs/design/avp-semantics.md) over yaml Documents, in two phases. It knows
 * nothing of backends: `planSubstitution` lists the refs to fetch, and
 * `applySubstitution` takes the fetched lookups.
 */
export { applySubstitution } from './apply'
export { planSubstitution } from './plan'
export type { PlanOptions, PlannedSite, SubstitutionPlan } from './types'
