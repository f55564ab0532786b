import { typeName } from '../yaml-node'
import type { ModifierFactory } from './types'
import { fail, ok } from './types'

// A sane upper bound: the level only ever matches a YAML nesting depth.
const MAX_INDENT = 1000

/**
 * `indent N`: the first line stays as it is (it follows the placeholder's own
 * position), every later non-empty line gets N leading spaces. Unlike AVP,
 * blank lines and each line's own indentation are kept, so nested YAML or a
 * PEM block survives (AVP #633, #650). Whitespace-only lines become empty.
 */
export const indent: ModifierFactory = (args) => {
  const level = args.length === 1 ? parseLevel(args[0] ?? '') : undefined
  if (level === undefined) {
    return {
      ok: false,
      failure: `expects one integer argument between 0 and ${String(MAX_INDENT)}`,
    }
  }
  const pad = ' '.repeat(level)
  return {
    ok: true,
    run: (value) => {
      if (typeof value !== 'string') return fail(`expected a string, got a ${typeName(value)}`)
      return ok(indentLines(value, pad))
    },
  }
}

function parseLevel(arg: string): number | undefined {
  if (!/^[-+]?[0-9]+$/.test(arg)) return undefined
  const level = Number(arg)
  // AVP treats a negative level as no indentation.
  return level > MAX_INDENT ? undefined : Math.max(level, 0)
}

function indentLines(text: string, pad: string): string {
  return text
    .split('\n')
    .map((line, i) => {
      if (i === 0) return line
      return line.trim() === '' ? '' : pad + line
    })
    .join('\n')
}
