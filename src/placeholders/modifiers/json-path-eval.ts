import { typeName } from '../yaml-node'
import type { CompareOp, Filter, Literal, Operand, Step } from './json-path-types'
import { JsonPathError } from './json-path-types'

/** `$` and `@` while evaluating: the template's input and the current value. */
export interface Scope {
  readonly root: unknown
  readonly current: unknown
}

type Values = readonly unknown[]

function isMap(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Evaluates an operand to its list of results. Missing fields are errors (AVP uses AllowMissingKeys(false)). */
export function evaluate(expr: Operand, scope: Scope): Values {
  if (expr.kind === 'literal') return [expr.value]
  let values: Values = [expr.root === '$' ? scope.root : scope.current]
  for (const step of expr.steps) values = applyStep(step, values, scope)
  return values
}

function applyStep(step: Step, input: Values, scope: Scope): Values {
  switch (step.kind) {
    case 'field':
      return field(step.name, input)
    case 'wildcard':
      return input.flatMap(children)
    case 'recursive':
      return input.flatMap(descendants)
    case 'index':
      return input.flatMap((value) => index(step.index, value))
    case 'slice':
      return input.flatMap((value) => slice(step, value))
    case 'union':
      return step.branches.flatMap((branch) =>
        branch.reduce<Values>((values, s) => applyStep(s, values, scope), input),
      )
    case 'filter':
      return input.flatMap((value) => filter(step.filter, value, scope))
  }
}

function field(name: string, input: Values): Values {
  // No input, no output: `{.items[*].name}` over an empty list is empty, not an error.
  if (input.length === 0) return []
  const out = input.filter(isMap).flatMap((map) => (Object.hasOwn(map, name) ? [map[name]] : []))
  if (out.length === 0) throw new JsonPathError(`${name} is not found`)
  return out
}

function children(value: unknown): Values {
  if (Array.isArray(value)) return value as Values
  if (isMap(value)) return Object.values(value)
  return []
}

// client-go lists every container met on the way down (itself first); a
// following step then picks from all of them (`{..name}`).
function descendants(value: unknown): Values {
  if (!Array.isArray(value) && !isMap(value)) return []
  return [value, ...children(value).flatMap(descendants)]
}

function asList(value: unknown): Values {
  if (Array.isArray(value)) return value as Values
  throw new JsonPathError(`a ${typeName(value)} is not an array`)
}

function outOfBounds(index: number, length: number): JsonPathError {
  return new JsonPathError(
    `array index out of bounds: index ${String(index)}, length ${String(length)}`,
  )
}

function index(at: number, value: unknown): Values {
  if (value === null) return []
  const list = asList(value)
  const position = at < 0 ? at + list.length : at
  if (position < 0 || position >= list.length) throw outOfBounds(at, list.length)
  return [list[position]]
}

function slice(step: Extract<Step, { kind: 'slice' }>, value: unknown): Values {
  if (value === null) return []
  const list = asList(value)
  const length = list.length
  const resolve = (n: number): number => Math.max(n < 0 ? n + length : n, 0)
  const start = resolve(step.start ?? 0)
  const end = resolve(step.end ?? length)
  // Like client-go: asking past the end is an error, unless nothing is asked for.
  if (start !== end && start >= length) throw outOfBounds(start, length)
  if (start !== end && end > length) throw outOfBounds(end - 1, length)
  const out: unknown[] = []
  for (let i = start; i < end; i += step.step) out.push(list[i])
  return out
}

function filter(spec: Filter, value: unknown, scope: Scope): Values {
  if (value === null) return []
  return asList(value).filter((item) => matches(spec, { root: scope.root, current: item }))
}

// A filter is lenient where client-go errors: an element that lacks the field,
// or yields several values, simply does not match.
function matches(spec: Filter, scope: Scope): boolean {
  const left = tryEvaluate(spec.left, scope)
  if (spec.op === 'exists') return left !== undefined && left.length > 0
  const right = tryEvaluate(spec.right, scope)
  if (left?.length !== 1 || right?.length !== 1) return false
  return compare(spec.op, left[0], right[0])
}

function tryEvaluate(expr: Operand, scope: Scope): Values | undefined {
  try {
    return evaluate(expr, scope)
  } catch (err) {
    if (err instanceof JsonPathError) return undefined
    throw err
  }
}

function compare(op: CompareOp, a: unknown, b: unknown): boolean {
  if (op === '==') return a === b
  if (op === '!=') return a !== b
  if (!isOrdered(a) || !isOrdered(b) || typeof a !== typeof b) {
    throw new JsonPathError(`cannot compare a ${typeName(a)} with a ${typeName(b)} using ${op}`)
  }
  switch (op) {
    case '<':
      return a < b
    case '>':
      return a > b
    case '<=':
      return a <= b
    case '>=':
      return a >= b
  }
}

function isOrdered(value: unknown): value is Exclude<Literal, boolean> {
  return typeof value === 'number' || typeof value === 'string'
}
