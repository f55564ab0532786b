import type { ErrorCode, Location, Problem } from '../errors'
import type { PlanRow, RefStatus } from '../output/plan-report'
import type { Outcome, PlannedPlaceholder, PlannedSite } from '../placeholders'

// Only the fact that a value was found is kept, never the value.
const FOUND: Outcome = { kind: 'value', value: undefined }

const STATUS_OF_CODE: Partial<Record<ErrorCode, RefStatus>> = {
  KEY_NOT_FOUND: 'key-missing',
  SECRET_NOT_FOUND: 'secret-missing',
  VERSION_DELETED: 'secret-missing',
  ACCESS_DENIED: 'denied',
  PATH_DISALLOWED: 'denied',
  PATH_NOT_ALLOWED: 'denied',
  PATH_OUT_OF_SCOPE: 'out-of-scope',
}

/** Collects one row per placeholder while the substitute phase runs on a throwaway copy. */
export class RowCollector {
  readonly #rows: { site: PlannedSite; planned: PlannedPlaceholder }[] = []
  readonly #outcomes = new Map<PlannedPlaceholder, Outcome>()
  readonly #resolved = new Map<PlannedPlaceholder, string>()

  constructor(readonly backend: string | undefined) {}

  /** Adds a row for every placeholder of `sites`; each starts without an outcome. */
  addSites(sites: readonly PlannedSite[]): void {
    for (const site of sites) {
      for (const planned of site.placeholders) this.#rows.push({ site, planned })
    }
  }

  /** Records what a placeholder resolved to (the value itself is dropped here). */
  record(planned: PlannedPlaceholder, outcome: Outcome, resolvedVersion?: string): void {
    if (resolvedVersion !== undefined) this.#resolved.set(planned, resolvedVersion)
    this.#outcomes.set(planned, outcome.kind === 'value' ? FOUND : outcome)
  }

  /**
   * The rows, each with the status `generate` would give it: the problem
   * reported at its field and placeholder decides, so a type mismatch after a
   * successful lookup, or a field dropped by remove-missing, reads as it would.
   */
  rows(problems: readonly Problem[]): PlanRow[] {
    return this.#rows.map(({ site, planned }) => {
      const loc = site.context.location
      const problem =
        problems.find(
          (p) =>
            p.placeholder === planned.raw &&
            inDocument(p.location, loc) &&
            p.location?.field === site.field,
        ) ??
        // A placeholder planning refused without a problem of its own sits in
        // an object whose annotation was refused: that problem is its status.
        (planned.placeholder === undefined
          ? problems.find(
              (p) =>
                p.placeholder === undefined &&
                inDocument(p.location, loc) &&
                p.location?.resource === loc.resource,
            )
          : undefined)
      const source = planned.placeholder?.source
      const version = source?.kind === 'inline' ? source.version : planned.ref?.version
      const resolved = this.#resolved.get(planned)
      return {
        file: loc.file ?? '',
        document: loc.document ?? 0,
        ...(loc.resource === undefined ? {} : { resource: loc.resource }),
        field: site.field,
        placeholder: planned.raw,
        ...(this.backend === undefined ? {} : { backend: this.backend }),
        ...(planned.ref === undefined ? {} : { path: planned.ref.path }),
        ...(source === undefined ? {} : { key: source.key }),
        ...(version === undefined ? {} : { version }),
        ...(resolved === undefined ? {} : { resolved }),
        modifiers: planned.placeholder?.modifiers.map((m) => m.text) ?? [],
        ...statusOf(
          problem,
          planned.placeholder === undefined ? undefined : this.#outcomes.get(planned),
        ),
      }
    })
  }
}

function statusOf(
  problem: Problem | undefined,
  outcome: Outcome | undefined,
): { status: RefStatus; code?: ErrorCode } {
  if (problem !== undefined) {
    return { status: STATUS_OF_CODE[problem.code] ?? 'error', code: problem.code }
  }
  if (outcome?.kind === 'problem') return { status: 'removed' }
  if (outcome?.kind === 'value') return { status: 'found' }
  return { status: 'error', code: 'INTERNAL' }
}

function inDocument(a: Location | undefined, b: Location): boolean {
  return a?.file === b.file && a?.document === b.document
}
