import { refKey, type FetchFailure, type Lookup, type RefKey, type SecretRef } from '../secrets/ref'
import { runBounded } from './run-bounded'

/** Where a ref is read from: a target shared by every ref with the same `key`, or why it cannot be read. */
export type Placement<T> =
  { readonly key: string; readonly target: T } | { readonly failure: FetchFailure }

/**
 * The fetch phase of a backend that reads one thing per distinct target (a
 * Kubernetes Secret, a sops file, a 1Password item). The refs it gets are
 * distinct, but several can name one target (`app` and `argocd:app`; a
 * version these backends ignore; `./a.yaml` and `a.yaml`). Places every ref,
 * reads each distinct target once with at most `concurrency` reads in
 * flight, and answers every ref. A ref that cannot be placed gets its own
 * failure and causes no read.
 */
export async function fetchDistinct<T>(
  refs: readonly SecretRef[],
  place: (ref: SecretRef) => Placement<T> | Promise<Placement<T>>,
  read: (target: T) => Promise<Lookup>,
  concurrency: number,
): Promise<Map<RefKey, Lookup>> {
  const results = new Map<RefKey, Lookup>()
  const targets = new Map<string, { target: T; refs: SecretRef[] }>()
  for (const ref of refs) {
    const placed = await place(ref)
    if ('failure' in placed) {
      results.set(refKey(ref), { ok: false, failure: placed.failure })
      continue
    }
    const entry = targets.get(placed.key) ?? { target: placed.target, refs: [] }
    entry.refs.push(ref)
    targets.set(placed.key, entry)
  }
  await runBounded([...targets.values()], concurrency, async (entry) => {
    const lookup = await read(entry.target)
    for (const ref of entry.refs) results.set(refKey(ref), lookup)
  })
  return results
}
