import { parseDocument } from 'yaml'
import type { Problem } from '../../../src/errors'
import type { Manifest } from '../../../src/input/manifest'
import { applySubstitution, planSubstitution } from '../../../src/placeholders'
import type { PlanOptions, SubstitutionPlan } from '../../../src/placeholders'
import { refKey } from '../../../src/secrets/ref'
import type { FetchFailure, Lookup, RefKey, SecretData, SecretRef } from '../../../src/secrets/ref'
import { Secret } from '../../../src/secrets/secret'

/** A backend failure in a test store. */
export class Failure {
  constructor(readonly error: FetchFailure) {}
}

/** Test secrets keyed by `path`, or `path@version` for a versioned ref. */
export type Store = Readonly<Record<string, SecretData | Failure>>

export interface RunResult {
  readonly out: string
  readonly plan: SubstitutionPlan
  /** Problems of the apply phase only. */
  readonly applyProblems: readonly Problem[]
  /** Plan and apply problems together. */
  readonly problems: readonly Problem[]
  readonly fetched: readonly SecretRef[]
  readonly revealed: readonly unknown[]
}

export function manifestsOf(texts: readonly string[], source = 'app.yaml'): Manifest[] {
  return texts.map((text, i) => {
    const doc = parseDocument(text, { schema: 'failsafe' })
    if (doc.errors.length > 0) throw new Error(`bad test YAML: ${doc.errors[0]?.message ?? ''}`)
    return { source, index: i + 1, doc }
  })
}

export function lookupFor(store: Store, ref: SecretRef): Lookup {
  const key = ref.version === undefined ? ref.path : `${ref.path}@${ref.version}`
  const entry = store[key]
  if (entry === undefined) {
    return { ok: false, failure: { code: 'SECRET_NOT_FOUND', message: `secret ${key} not found` } }
  }
  if (entry instanceof Failure) return { ok: false, failure: entry.error }
  return { ok: true, data: new Secret(entry) }
}

/** Plans, fetches every planned ref from the store, applies, and prints the documents. */
export function run(
  texts: string | readonly string[],
  store: Store,
  options: PlanOptions = {},
): RunResult {
  const manifests = manifestsOf(typeof texts === 'string' ? [texts] : texts)
  const plan = planSubstitution(manifests, options)
  const lookups = new Map<RefKey, Lookup>(
    plan.refs.map((ref) => [refKey(ref), lookupFor(store, ref)]),
  )
  const revealed: unknown[] = []
  const applyProblems = applySubstitution(plan, lookups, (value) => revealed.push(value))
  const out = manifests.map((m) => m.doc.toString({ lineWidth: 0 })).join('---\n')
  return {
    out,
    plan,
    applyProblems,
    problems: [...plan.problems, ...applyProblems],
    fetched: plan.refs,
    revealed,
  }
}

/** A Deployment-like object whose generic placeholders read `path`. */
export function withPath(body: string, path = 'secret/data/app', kind = 'Thing'): string {
  return `kind: ${kind}\nmetadata:\n  name: x\n  annotations:\n    avp.kubernetes.io/path: ${path}\n${body}`
}

/** The output after the path annotation line of a `withPath` header. */
export function bodyOf(out: string, path = 'secret/data/app'): string {
  const marker = `avp.kubernetes.io/path: ${path}\n`
  const at = out.indexOf(marker)
  if (at < 0) throw new Error(`output lost its header:\n${out}`)
  return out.slice(at + marker.length)
}

/** The problems reduced to what tests usually compare. */
export function brief(problems: readonly Problem[]): string[] {
  return problems.map(
    (p) => `${p.code} ${p.location?.field ?? '-'} ${p.placeholder ?? '-'}: ${p.message}`,
  )
}
