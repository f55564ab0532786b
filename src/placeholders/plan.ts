import type { Problem } from '../errors'
import type { Manifest } from '../input/manifest'
import { refKey } from '../secrets/ref'
import type { RefKey, SecretRef } from '../secrets/ref'
import { ANNOTATIONS, parseBool } from './annotations'
import { decodeBase64Text } from './base64'
import { effectiveAnnotations, objectsOf } from './objects'
import type { KubeObject } from './objects'
import { findPlaceholders, hasGenericPlaceholder, parsePlaceholder } from './syntax'
import type { Match, ParsedPlaceholder } from './syntax'
import type {
  ObjectContext,
  PlannedObject,
  PlannedPlaceholder,
  PlannedSite,
  PlanOptions,
  SubstitutionPlan,
} from './types'
import { collectStrings, keyPath } from './walk'
import type { StringNode } from './walk'
import { originOf } from './substituted'

/** Where generic `<key>` placeholders of one object get their values. */
type GenericSource =
  | { readonly kind: 'off' } // no path annotation: only `<path:…>` counts (docs/design/avp-semantics.md)
  | { readonly kind: 'empty' } // annotation present but empty: every key is missing
  | { readonly kind: 'blocked' } // path disallowed, reported once for the object
  | { readonly kind: 'ref'; readonly ref: SecretRef }

interface ObjectPlan {
  readonly context: ObjectContext
  readonly generic: GenericSource
  readonly kvVersion: string | undefined
}

const annotationField = (name: string): string => keyPath(keyPath('metadata', 'annotations'), name)

/** Collects refs and sites, and deduplicates refs, across all manifests. */
class PlanBuilder {
  readonly refs = new Map<RefKey, SecretRef>()
  readonly problems: Problem[] = []
  readonly sites: PlannedSite[] = []
  readonly objects: PlannedObject[] = []
  // Helm charts repeat the same placeholder text many times; parse it once.
  readonly #parsed = new Map<string, ParsedPlaceholder>()
  placeholderCount = 0

  constructor(readonly options: PlanOptions) {}

  addRef(ref: SecretRef): RefKey {
    const key = refKey(ref)
    if (!this.refs.has(key)) this.refs.set(key, ref)
    return key
  }

  parse(raw: string): ParsedPlaceholder {
    let parsed = this.#parsed.get(raw)
    if (parsed === undefined) {
      parsed = parsePlaceholder(raw)
      this.#parsed.set(raw, parsed)
    }
    return parsed
  }

  /** The ref a placeholder with this key reads: `ref` itself, or one of its own with `refPerKey`. */
  forKey(ref: SecretRef, key: string): SecretRef {
    return this.options.refPerKey === true ? { ...ref, key } : ref
  }

  /**
   * The problem that keeps `path` from being fetched, if any: the operator's
   * `AVP_PATH_VALIDATION` pattern, then the scoping policy.
   */
  refusal(path: string): Pick<Problem, 'code' | 'message'> | undefined {
    if (!(this.options.pathValidation?.test(path) ?? true)) {
      return { code: 'PATH_DISALLOWED', message: disallowed(path) }
    }
    const outside = this.options.scope?.outside(path)
    return outside === undefined ? undefined : { code: 'PATH_OUT_OF_SCOPE', message: outside }
  }
}

/**
 * Plan phase: finds every placeholder, checks its syntax, annotations and
 * path, and lists the distinct secrets to fetch. Touches no document.
 */
export function planSubstitution(
  manifests: readonly Manifest[],
  options: PlanOptions,
): SubstitutionPlan {
  const builder = new PlanBuilder(options)
  for (const manifest of manifests) {
    for (const object of objectsOf(manifest)) planObject(builder, object)
  }
  return {
    refs: [...builder.refs.values()],
    placeholderCount: builder.placeholderCount,
    problems: builder.problems,
    sites: builder.sites,
    objects: builder.objects,
  }
}

function planObject(builder: PlanBuilder, object: KubeObject): void {
  const annotations = effectiveAnnotations(object)
  // Ignored objects are left alone and, unlike AVP, their path is not fetched (docs/design/avp-semantics.md).
  if (parseBool(annotations.get(ANNOTATIONS.ignore))) return
  const removeMissing = parseBool(annotations.get(ANNOTATIONS.removeMissing))
  if (removeMissing && object.kind !== 'Secret' && object.kind !== 'ConfigMap') {
    builder.problems.push({
      code: 'ANNOTATION_INVALID',
      message: `${ANNOTATIONS.removeMissing} annotation can only be used on Secret or ConfigMap resources`,
      location: { ...object.location, field: annotationField(ANNOTATIONS.removeMissing) },
    })
    return
  }
  const kvVersion = nonEmpty(annotations.get(ANNOTATIONS.kvVersion))
  const plan: ObjectPlan = {
    context: { location: object.location, kind: object.kind, removeMissing },
    generic: genericSource(builder, object, annotations, kvVersion),
    kvVersion,
  }
  const strings: StringNode[] = []
  collectStrings(object.map, object.prefix, strings)
  const firstSite = builder.sites.length
  for (const node of strings) planString(builder, plan, node)
  const refKeys = new Set(
    builder.sites
      .slice(firstSite)
      .flatMap((site) => site.placeholders.flatMap((p) => p.refKey ?? [])),
  )
  if (refKeys.size > 0) builder.objects.push({ map: object.map, refKeys: [...refKeys] })
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text
}

function genericSource(
  builder: PlanBuilder,
  object: KubeObject,
  annotations: ReadonlyMap<string, string>,
  kvVersion: string | undefined,
): GenericSource {
  const path = annotations.get(ANNOTATIONS.path)?.trim()
  if (path === undefined) return { kind: 'off' }
  if (path === '') return { kind: 'empty' }
  const refusal = builder.refusal(path)
  if (refusal !== undefined) {
    builder.problems.push({
      ...refusal,
      location: { ...object.location, field: annotationField(ANNOTATIONS.path) },
    })
    return { kind: 'blocked' }
  }
  // The secret-version annotation applies to generic placeholders only (docs/design/avp-semantics.md).
  const version = nonEmpty(annotations.get(ANNOTATIONS.secretVersion))
  return { kind: 'ref', ref: makeRef(path, version, kvVersion) }
}

function makeRef(path: string, version?: string, kvVersion?: string): SecretRef {
  return {
    path,
    ...(version === undefined ? {} : { version }),
    ...(kvVersion === undefined ? {} : { kvVersion }),
  }
}

function disallowed(path: string): string {
  return `the path ${path} is disallowed by AVP_PATH_VALIDATION restriction`
}

function planString(builder: PlanBuilder, plan: ObjectPlan, node: StringNode): void {
  let text = node.scalar.value
  let encoding: PlannedSite['encoding'] = 'plain'
  if (plan.context.kind === 'Secret') {
    // Kustomize secretGenerator output: base64 of text holding a placeholder (docs/design/avp-semantics.md).
    const decoded = decodeBase64Text(text)
    if (decoded.ok && hasGenericPlaceholder(decoded.text)) {
      text = decoded.text
      encoding = 'base64'
    }
  }
  const substituted = builder.options.substituted ?? []
  const matches = findPlaceholders(text, plan.generic.kind !== 'off').filter(
    (match) => substituted.length === 0 || keepMatch(builder, plan, node, match, text),
  )
  if (matches.length === 0) return
  builder.placeholderCount += matches.length
  const placeholders = matches.map((match) => planPlaceholder(builder, plan, node, match))
  builder.sites.push({ ...node, context: plan.context, text, encoding, placeholders })
}

/** False for a placeholder that arrived inside a substituted value: it is left as written. */
function keepMatch(
  builder: PlanBuilder,
  plan: ObjectPlan,
  node: StringNode,
  match: Match,
  text: string,
): boolean {
  const origin = originOf(match, text, builder.options.substituted ?? [])
  if (origin === 'ambiguous') {
    builder.problems.push({
      code: 'INPUT_INVALID',
      message:
        'this placeholder also appears inside a secret value substituted into the Helm values; a substituted value is never resolved again, and this one cannot be told apart from it',
      location: { ...plan.context.location, field: node.field },
      placeholder: match.raw,
    })
  }
  return origin === 'template'
}

function planPlaceholder(
  builder: PlanBuilder,
  plan: ObjectPlan,
  node: StringNode,
  match: Match,
): PlannedPlaceholder {
  const problem = (code: Problem['code'], message: string): PlannedPlaceholder => {
    builder.problems.push({
      code,
      message,
      location: { ...plan.context.location, field: node.field },
      placeholder: match.raw,
    })
    return match
  }
  const parsed = builder.parse(match.raw)
  if (!parsed.ok) return problem('PLACEHOLDER_SYNTAX', parsed.failure)
  const placeholder = parsed.placeholder
  const source = placeholder.source
  if (source.kind === 'inline') {
    const refusal = builder.refusal(source.path)
    if (refusal !== undefined) return problem(refusal.code, refusal.message)
    // An inline placeholder takes its version only from itself (docs/design/avp-semantics.md).
    const ref = builder.forKey(makeRef(source.path, source.version, plan.kvVersion), source.key)
    return { ...match, placeholder, ref, refKey: builder.addRef(ref) }
  }
  switch (plan.generic.kind) {
    case 'ref': {
      const ref = builder.forKey(plan.generic.ref, source.key)
      return { ...match, placeholder, ref, refKey: builder.addRef(ref) }
    }
    case 'empty':
      return { ...match, placeholder }
    case 'blocked': // reported once for the object
    case 'off': // generic placeholders are not matched at all then
      return match
  }
}
