import { scopeSegmentsOf, supportedBackendTypes } from '../backends/registry'
import type { ScopeSegments } from '../backends/types'
import type { ScopePolicy, ScopeRule } from '../config/scope-policy'
import { ConfigError } from '../errors'
import type { PathScope } from '../placeholders'

/**
 * The Application a run renders, as Argo CD names it in the request
 * (docs/design/argocd-cmp-contract.md): the AppProject and the destination
 * namespace. Argo CD sets both from the Application; the plugin env cannot
 * (every variable an Application sets carries the `ARGOCD_ENV_` prefix).
 */
export interface AppIdentity {
  readonly project?: string
  readonly namespace?: string
}

export function appIdentityOf(env: Readonly<Record<string, string | undefined>>): AppIdentity {
  const project = env['ARGOCD_APP_PROJECT_NAME']
  const namespace = env['ARGOCD_APP_NAMESPACE']
  return {
    ...(project === undefined || project === '' ? {} : { project }),
    ...(namespace === undefined || namespace === '' ? {} : { namespace }),
  }
}

/** A prefix ready to compare: every path, or a list of segments. */
type Prefix = 'any' | readonly string[]

/**
 * The scope of one run: the union of the prefixes of every rule that matches
 * the app and the backend. Rules only grant, so their order does not matter;
 * an app no rule matches may read nothing. Prefixes are read the way the
 * backend reads a path (`scopeSegments`), so `/secret/a/` and `secret/a` are
 * one prefix for Vault and two for AWS. A prefix the backend cannot read, or
 * a rule for a backend that does not exist, is a configuration error: the
 * policy is wrong, and it is never half applied.
 */
export function pathScopeFor(
  policy: ScopePolicy,
  app: AppIdentity,
  backendType: string | undefined,
): PathScope {
  const segmentsOf = scopeSegmentsOf(backendType)
  const known = supportedBackendTypes()
  const issues: string[] = []
  const granted: { readonly written: string; readonly prefix: Prefix }[] = []
  let matched = false
  for (const rule of policy.rules) {
    if (rule.backend !== undefined && !known.includes(rule.backend)) {
      issues.push(
        `${policy.source}: ${rule.label}.backend: unknown backend ${JSON.stringify(rule.backend)}; supported: ${known.join(', ')}`,
      )
      continue
    }
    if (rule.backend !== undefined && rule.backend !== backendType) continue
    const prefixes = rule.paths.map((written, i) => {
      const prefix = prefixOf(written, segmentsOf)
      if (typeof prefix === 'object' && 'failure' in prefix) {
        issues.push(`${policy.source}: ${rule.label}.paths[${String(i)}]: ${prefix.failure}`)
        return undefined
      }
      return { written, prefix }
    })
    if (!appMatches(rule, app)) continue
    matched = true
    for (const p of prefixes) if (p !== undefined) granted.push(p)
  }
  if (issues.length > 0) throw new ConfigError(issues)

  const who = describeApp(app)
  return {
    outside(path) {
      if (!matched) {
        return `no rule of the operator's scoping policy (${policy.source}) matches this Application (${who}), so it may read no secret`
      }
      const segments = segmentsOf(path, false)
      if ('failure' in segments) {
        return `the path ${path} cannot be checked against the operator's scoping policy: ${segments.failure}`
      }
      if (granted.some((g) => g.prefix === 'any' || isUnder(segments, g.prefix))) return undefined
      const allowed = [...new Set(granted.map((g) => g.written))].join(', ')
      return `the path ${path} is outside the scope the operator's policy gives this Application (${who}); allowed path prefixes: ${allowed === '' ? 'none' : allowed}`
    },
  }
}

function prefixOf(
  written: string,
  segmentsOf: (path: string, prefix: boolean) => ScopeSegments,
): Prefix | { readonly failure: string } {
  if (written === '*') return 'any'
  const segments = segmentsOf(written, true)
  if ('failure' in segments) return segments
  // A trailing slash means the same directory, not a segment named "".
  return segments.length > 1 && segments.at(-1) === '' ? segments.slice(0, -1) : segments
}

/** Segment by segment, so `secret/team-a` never admits `secret/team-ab`. */
export function isUnder(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment)
}

function appMatches(rule: ScopeRule, app: AppIdentity): boolean {
  return matchesGlob(rule.project, app.project) && matchesGlob(rule.namespace, app.namespace)
}

/**
 * An absent matcher matches anything; a present one needs a value (an app
 * without a destination namespace matches no `namespace:` rule, not even `*`).
 * `*` stands for any run of characters; everything else is literal.
 */
export function matchesGlob(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined) return true
  if (value === undefined) return false
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${source}$`, 's').test(value)
}

function describeApp(app: AppIdentity): string {
  const project = app.project === undefined ? 'no project' : `project "${app.project}"`
  const namespace =
    app.namespace === undefined
      ? 'no destination namespace'
      : `destination namespace "${app.namespace}"`
  return `${project}, ${namespace}`
}
