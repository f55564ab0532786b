import type { Problem } from '../errors'
import type { Lookup, RefKey } from '../secrets/ref'
import { resolvePlaceholder } from './resolve'
import type { Outcome } from './resolve'
import type { PlannedPlaceholder, PlannedSite, SubstitutionPlan } from './types'
import { canRemove, removeField, writeResult } from './write'

/** Gives the value (or problem) of one placeholder at its site. */
export type OutcomeOf = (placeholder: PlannedPlaceholder, site: PlannedSite) => Outcome

/**
 * Substitute phase: edits the manifests' Documents in place. A substituted
 * value is inserted as a node and never scanned again. Returns every problem
 * of this phase; the plan's problems are not repeated.
 */
export function applySubstitution(
  plan: SubstitutionPlan,
  lookups: ReadonlyMap<RefKey, Lookup>,
  onReveal: (value: unknown) => void,
): readonly Problem[] {
  return applyOutcomes(plan, (p) => resolvePlaceholder(p, lookups, onReveal), onReveal)
}

/**
 * The substitute phase with the values given by `outcomeOf`: fetched secrets
 * for `generate`, dummies for `generate --stub`. Every rule of writing
 * (splicing, whole-field values, remove-missing, type checks) is shared.
 */
export function applyOutcomes(
  plan: SubstitutionPlan,
  outcomeOf: OutcomeOf,
  onReveal: (value: unknown) => void,
): readonly Problem[] {
  const problems: Problem[] = []
  for (const site of plan.sites) applySite(site, outcomeOf, onReveal, problems)
  return problems
}

function applySite(
  site: PlannedSite,
  outcomeOf: OutcomeOf,
  onReveal: (value: unknown) => void,
  problems: Problem[],
): void {
  const outcomes = site.placeholders.map((p) => outcomeOf(p, site))
  const report = (index: number, code: Problem['code'], message: string): void => {
    problems.push({
      code,
      message,
      location: { ...site.context.location, field: site.field },
      placeholder: site.placeholders[index]?.raw ?? '',
    })
  }
  const failures = outcomes.flatMap((o, i) => (o.kind === 'problem' ? [{ o, i }] : []))
  if (failures.length > 0) {
    // remove-missing: a map value with a missing key goes away, and so do its
    // missing-key problems; other problems stay. Not inside lists (docs/design/avp-semantics.md).
    const remove =
      site.context.removeMissing && canRemove(site) && failures.some((f) => f.o.missing)
    if (remove) removeField(site)
    for (const { o, i } of failures) if (!(remove && o.missing)) report(i, o.code, o.message)
    return
  }
  if (outcomes.some((o) => o.kind === 'skip')) return
  const { result, from } = combine(site, outcomes)
  const written = writeResult(site, result, onReveal)
  if (!written.ok) report(from, 'TYPE_MISMATCH', written.failure)
}

/**
 * AVP's rule (docs/design/avp-semantics.md): string values are spliced into the text; if any
 * value is not a string, the last such value becomes the whole field.
 */
function combine(
  site: PlannedSite,
  outcomes: readonly Outcome[],
): { result: unknown; from: number } {
  let text = ''
  let last = 0
  let whole: { result: unknown; from: number } | undefined
  site.placeholders.forEach((planned, index) => {
    const outcome = outcomes[index]
    const value = outcome?.kind === 'value' ? outcome.value : undefined
    if (typeof value !== 'string') {
      whole = { result: value, from: index }
      return
    }
    text += site.text.slice(last, planned.start) + value
    last = planned.end
  })
  return whole ?? { result: text + site.text.slice(last), from: 0 }
}
