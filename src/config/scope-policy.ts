import path from 'node:path'
import { ConfigError } from '../errors'
import { describeYamlError } from '../yaml/describe-error'
import { parseYamlDocument } from '../yaml/parse'
import { describeFsError } from '../fs-error'
import { LAYER } from './layers'
import type { Settings } from './settings'

/**
 * The operator's scoping policy (docs/security.md#scoping-which-secrets-an-application-may-read):
 * which secret paths the Applications of an Argo CD project or destination
 * namespace may read. Given inline (`AVP_SCOPE_POLICY`) or as an absolute
 * file path (`AVP_SCOPE_POLICY_FILE`), in the sidecar's environment, the
 * config file or the Secret; never by an Application (app-policy.ts refuses
 * both keys in `ARGOCD_ENV_*` whatever the allow-list says).
 */
export const SCOPE_POLICY_KEY = 'AVP_SCOPE_POLICY'
export const SCOPE_POLICY_FILE_KEY = 'AVP_SCOPE_POLICY_FILE'

/** One rule: which Applications it matches, and the path prefixes it grants them. */
export interface ScopeRule {
  /** `rules[N]`, for messages. */
  readonly label: string
  /** Glob on `ARGOCD_APP_PROJECT_NAME` (`*` = any run of characters); absent = any project. */
  readonly project?: string
  /** Glob on `ARGOCD_APP_NAMESPACE`, the destination namespace; absent = any. */
  readonly namespace?: string
  /** `AVP_TYPE` the rule is for; absent = whichever backend the run uses. */
  readonly backend?: string
  /** Path prefixes as written by the operator; `*` grants every path. */
  readonly paths: readonly string[]
}

export interface ScopePolicy {
  /** Where the policy came from, for messages: `AVP_SCOPE_POLICY` or the file key and path. */
  readonly source: string
  readonly rules: readonly ScopeRule[]
}

/** Every key a rule may have: a misspelt matcher must not silently widen a rule to every app. */
const RULE_KEYS = ['project', 'namespace', 'backend', 'paths'] as const

type PolicyResult =
  | { readonly ok: true; readonly policy: ScopePolicy }
  | { readonly ok: false; readonly failures: readonly string[] }

/**
 * The run's scoping policy, or `undefined` when the operator configured none.
 * A policy that cannot be read or is malformed throws a `ConfigError`: it
 * never counts as "no policy" (fail closed).
 */
export async function readScopePolicy(
  settings: Settings,
  readFile: (p: string) => Promise<string>,
): Promise<ScopePolicy | undefined> {
  const inline = settings.get(SCOPE_POLICY_KEY)
  const file = settings.get(SCOPE_POLICY_FILE_KEY)
  for (const key of [SCOPE_POLICY_KEY, SCOPE_POLICY_FILE_KEY]) {
    // Refused earlier by app-policy.ts; checked again so that no change there can open it.
    if (settings.sourceOf(key) === LAYER.argocdEnv) {
      throw new ConfigError([`${LAYER.argocdEnv}${key}: only the operator sets ${key}`])
    }
  }
  if (inline !== undefined && file !== undefined) {
    throw new ConfigError([
      `${SCOPE_POLICY_KEY} and ${SCOPE_POLICY_FILE_KEY} are both set; set one of them`,
    ])
  }
  if (inline !== undefined) return orThrow(parseScopePolicy(inline, SCOPE_POLICY_KEY))
  if (file === undefined) return undefined
  const label = `${SCOPE_POLICY_FILE_KEY} ${JSON.stringify(file)}`
  // A relative path would be resolved in the app directory: the tenant's repository.
  if (!path.isAbsolute(file)) {
    throw new ConfigError([`${label}: must be an absolute path`])
  }
  let text: string
  try {
    text = await readFile(file)
  } catch (error) {
    throw new ConfigError([`${label}: cannot read it: ${describeFsError(error)}`])
  }
  return orThrow(parseScopePolicy(text, label))
}

function orThrow(result: PolicyResult): ScopePolicy {
  if (!result.ok) throw new ConfigError(result.failures)
  return result.policy
}

/**
 * Parses a policy (YAML, or JSON, which is YAML too):
 * `rules: [{project, namespace, backend, paths: [prefix, …]}, …]`.
 * Every problem is reported, each prefixed with `source`.
 */
export function parseScopePolicy(text: string, source: string): PolicyResult {
  const { result: doc, lineCounter } = parseYamlDocument(text, 'scopePolicy')
  const [error] = doc.errors
  if (error !== undefined) {
    return fail(source, [
      `not valid YAML or JSON: ${describeYamlError(error, text, 0, lineCounter)}`,
    ])
  }
  const data: unknown = doc.toJS()
  if (!isRecord(data)) return fail(source, ['must be a mapping with a "rules" list'])
  const issues = Object.keys(data)
    .filter((key) => key !== 'rules')
    .map((key) => `unknown key ${JSON.stringify(key)} (only "rules")`)
  const rules: ScopeRule[] = []
  const list = data['rules']
  if (!Array.isArray(list)) {
    issues.push('"rules" must be a list of rules')
  } else {
    list.forEach((raw: unknown, index) => {
      const rule = parseRule(raw, `rules[${String(index)}]`, issues)
      if (rule !== undefined) rules.push(rule)
    })
  }
  return issues.length > 0 ? fail(source, issues) : { ok: true, policy: { source, rules } }
}

function parseRule(raw: unknown, label: string, issues: string[]): ScopeRule | undefined {
  if (!isRecord(raw)) {
    issues.push(`${label}: must be a mapping with "paths"`)
    return undefined
  }
  const before = issues.length
  for (const key of Object.keys(raw)) {
    if (!(RULE_KEYS as readonly string[]).includes(key)) {
      issues.push(`${label}: unknown key ${JSON.stringify(key)} (allowed: ${RULE_KEYS.join(', ')})`)
    }
  }
  const matcher = (key: 'project' | 'namespace' | 'backend'): string | undefined => {
    const value = raw[key]
    if (value === undefined) return undefined
    if (typeof value !== 'string' || value.trim() === '') {
      issues.push(`${label}.${key}: must be a non-empty string`)
      return undefined
    }
    return value
  }
  const project = matcher('project')
  const namespace = matcher('namespace')
  const backend = matcher('backend')
  const paths = raw['paths']
  if (!Array.isArray(paths)) {
    issues.push(`${label}.paths: must be a list of path prefixes`)
  } else {
    paths.forEach((prefix: unknown, i) => {
      const why = prefixIssue(prefix)
      if (why !== undefined) issues.push(`${label}.paths[${String(i)}]: ${why}`)
    })
  }
  if (issues.length > before || !Array.isArray(paths)) return undefined
  return {
    label,
    ...(project === undefined ? {} : { project }),
    ...(namespace === undefined ? {} : { namespace }),
    ...(backend === undefined ? {} : { backend }),
    paths: paths as string[],
  }
}

/** What is wrong with a prefix as written, whatever the backend: each backend checks its own form later. */
function prefixIssue(prefix: unknown): string | undefined {
  if (typeof prefix !== 'string' || prefix.trim() === '') return 'must be a non-empty string'
  if (prefix.split('/').some((s) => s === '.' || s === '..')) {
    return 'must not have "." or ".." segments'
  }
  return undefined
}

function fail(source: string, issues: readonly string[]): PolicyResult {
  return { ok: false, failures: issues.map((issue) => `${source}: ${issue}`) }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
