import type { YAMLMap } from 'yaml'
import type { Location, Problem } from '../errors'
import type { RefKey, SecretRef } from '../secrets/ref'
import type { Match, Placeholder } from './syntax'
import type { StringNode } from './walk'

/** Options of `planSubstitution`. */
export interface PlanOptions {
  /** AVP_PATH_VALIDATION: every secret path must match (unanchored `test`). */
  readonly pathValidation?: RegExp
  /**
   * Values substituted earlier in the run (Helm values, resolve-values-placeholders)
   * that hold `<…>`: placeholders inside them are not references (substituted.ts).
   */
  readonly substituted?: readonly string[]
  /** The operator's scoping policy for this app and backend; absent when none is configured. */
  readonly scope?: PathScope
  /**
   * One ref per (path, key, version) instead of per (path, version): for a
   * backend whose keys are separate secrets (Azure Key Vault), so only the
   * secrets placeholders name are read. Set from the backend's entry.
   */
  readonly refPerKey?: boolean
}

/**
 * Which secret paths this run may read (the operator's `AVP_SCOPE_POLICY`,
 * built by pipeline/path-scope.ts). The engine only asks; what a path means
 * to the backend stays outside it.
 */
export interface PathScope {
  /** Why `path` is outside the scope, or `undefined` when it is inside. */
  outside(path: string): string | undefined
}

/** What the engine knows about one Kubernetes object while it substitutes. */
export interface ObjectContext {
  /** File, document and `Kind/name`; each problem adds its field. */
  readonly location: Location
  readonly kind: string | undefined
  /** `avp.kubernetes.io/remove-missing` is true (only ever on a Secret or ConfigMap). */
  readonly removeMissing: boolean
}

/** One placeholder as planned. */
export interface PlannedPlaceholder extends Match {
  /** Undefined when planning already reported a problem for it: it is left as written. */
  readonly placeholder?: Placeholder
  /** Undefined for a generic placeholder when the path annotation is empty. */
  readonly ref?: SecretRef
  readonly refKey?: RefKey
}

/**
 * One string value that holds placeholders. `text` is the value itself or,
 * for a base64 value of a Secret that decodes to text with a placeholder, the
 * decoded text (`encoding: 'base64'`, docs/design/avp-semantics.md).
 */
export interface PlannedSite extends StringNode {
  readonly context: ObjectContext
  readonly text: string
  readonly encoding: 'plain' | 'base64'
  readonly placeholders: readonly PlannedPlaceholder[]
}

/** An object with at least one reference, and the refs its placeholders use. */
export interface PlannedObject {
  readonly map: YAMLMap
  /** Distinct, in first-seen order. */
  readonly refKeys: readonly RefKey[]
}

/** The result of the plan phase: what to fetch, and where each value goes. */
export interface SubstitutionPlan {
  /** Distinct refs (deduped by `refKey`), in first-seen order. */
  readonly refs: readonly SecretRef[]
  readonly placeholderCount: number
  /** Syntax, annotation and path-validation problems found while planning. */
  readonly problems: readonly Problem[]
  readonly sites: readonly PlannedSite[]
  readonly objects: readonly PlannedObject[]
}
