import { typeName } from '../yaml-node'
import type { ModifierFactory, ModifierFn, ModifierResult } from './types'
import { fail } from './types'

/**
 * Most modifiers take no arguments and work on strings only; this wraps such a
 * string function into a factory. Like AVP, a non-string input is an error
 * (`<port | base64encode>` with a number fails, docs/design/avp-semantics.md).
 */
export function stringModifier(fn: (text: string) => ModifierResult): ModifierFactory {
  const run: ModifierFn = (value) =>
    typeof value === 'string' ? fn(value) : fail(`expected a string, got a ${typeName(value)}`)
  return (args) => (args.length === 0 ? { ok: true, run } : noArguments)
}

const noArguments = { ok: false, failure: 'takes no arguments' } as const
