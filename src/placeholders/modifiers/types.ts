/** What a modifier produces: a value for the next step, or a failure that never quotes the value. */
export type ModifierResult =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly failure: string }

/** A modifier with its arguments already checked, ready to run on a value. */
export type ModifierFn = (value: unknown) => ModifierResult

/** Checks a modifier's arguments at plan time, so a bad one is reported without any fetch. */
export type ModifierFactory = (
  args: readonly string[],
) =>
  { readonly ok: true; readonly run: ModifierFn } | { readonly ok: false; readonly failure: string }

/** A successful step. */
export function ok(value: unknown): ModifierResult {
  return { ok: true, value }
}

/** A failed step; `failure` must not quote the value. */
export function fail(failure: string): ModifierResult {
  return { ok: false, failure }
}
