import type { PathScope } from '../../placeholders'
import type { ScopePolicy } from '../../config/scope-policy'
import { pathScopeFor } from '../path-scope'
import type { AppView } from './applications'
import type { Recorded } from './live-versions'

/** What an app's objects recorded, split into the paths the app may read and those it may not. */
export interface ScopedRecord {
  readonly allowed: Recorded
  /** Each refused path with the reason, in path order. */
  readonly refused: readonly { readonly path: string; readonly why: string }[]
}

/**
 * The annotation is only as trustworthy as the repository: an app whose
 * objects have no placeholders keeps whatever annotation its author wrote,
 * so it could name any secret. Each path is therefore held to the same rules
 * `generate` applies to that app (the operator's `AVP_PATH_VALIDATION` and
 * scoping policy, with the Application's project and destination namespace),
 * so `refresh` never asks about a secret the app could not read.
 */
export function scopeRecorded(
  app: AppView,
  recorded: Recorded,
  rules: {
    readonly pathValidation?: RegExp
    readonly policy?: ScopePolicy
    readonly backendType: string | undefined
  },
): ScopedRecord {
  const scope: PathScope | undefined =
    rules.policy === undefined
      ? undefined
      : pathScopeFor(
          rules.policy,
          {
            ...(app.project === undefined ? {} : { project: app.project }),
            ...(app.destinationNamespace === undefined
              ? {}
              : { namespace: app.destinationNamespace }),
          },
          rules.backendType,
        )
  const allowed = new Map<string, ReadonlySet<string>>()
  const refused: { path: string; why: string }[] = []
  for (const [path, versions] of [...recorded].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const why =
      rules.pathValidation !== undefined && !rules.pathValidation.test(path)
        ? 'it does not match AVP_PATH_VALIDATION'
        : scope?.outside(path)
    if (why === undefined) allowed.set(path, versions)
    else refused.push({ path, why })
  }
  return { allowed, refused }
}
