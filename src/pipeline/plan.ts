import { compareProblems, formatProblem, type Problem } from '../errors'
import type { Io } from '../io'
import type { DebugLog } from '../log'
import { formatJson, formatTable } from '../output/plan-report'
import { applyOutcomes, planSubstitution, resolvePlaceholder } from '../placeholders'
import type { Redactor } from '../secrets/redact'
import { RowCollector } from './plan-rows'
import { prepareRun, type RunInput } from './prepare-run'

export interface PlanOptions extends RunInput {
  readonly output: 'table' | 'json'
}

/** The report for stdout, and the problem lines `generate` would print. */
export interface PlanReport {
  readonly text: string
  readonly problems: readonly string[]
}

/**
 * `plan`: everything `generate` does up to substitution (same configuration,
 * rendering and plan), then the substitute phase on the in-memory documents,
 * which are thrown away. What reaches stdout is each reference and its status;
 * a value is only ever held inside `Secret` and the substitute step, and
 * registered with the run's redactor like in `generate`.
 */
export async function runPlan(
  options: PlanOptions,
  io: Io,
  redactor: Redactor,
  log: DebugLog,
): Promise<PlanReport> {
  const run = await prepareRun(options, io, redactor, log)
  const plan = planSubstitution(run.manifests, run.planOptions)
  log({ kind: 'plan', placeholders: plan.placeholderCount, refs: plan.refs.length })
  const lookups = await run.resolver.fetch(plan.refs)
  const rows = new RowCollector(run.backendType)
  rows.addSites(plan.sites)
  const problems: Problem[] = [
    ...plan.problems,
    ...applyOutcomes(
      plan,
      (planned) => {
        const outcome = resolvePlaceholder(planned, lookups, run.registerSecret)
        const lookup = planned.refKey === undefined ? undefined : lookups.get(planned.refKey)
        rows.record(planned, outcome, lookup?.ok === true ? lookup.version : undefined)
        return outcome
      },
      run.registerSecret,
    ),
  ]
  const listed = rows.rows(problems)
  return {
    text: options.output === 'json' ? formatJson(listed) : formatTable(listed),
    problems: problems.sort(compareProblems).map(formatProblem),
  }
}
