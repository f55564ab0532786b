import type { Cursor } from './json-path-cursor'
import type { CompareOp, Operand, Step } from './json-path-types'
import { JsonPathError } from './json-path-types'

/** Reads one operand of a filter; passed in to keep the parser modules acyclic. */
export type OperandReader = (cursor: Cursor, terminators: string) => Operand

// Inside `[?( … )]` a field name also ends at an operator or a parenthesis.
const FILTER_TERMINATORS = '=!<>()'
const OPERATOR = /^(==|!=|<=|>=|<|>)/
const SLICE = /^(-?[0-9]*)(?::(-?[0-9]*))?(?::(-?[0-9]*))?$/

/** Parses `[…]`: an index, a slice, `*`, quoted keys, a union of those, or a filter. */
export function parseBracket(cursor: Cursor, readOperand: OperandReader): Step {
  cursor.expect('[')
  if (cursor.startsWith('?(')) return parseFilter(cursor, readOperand)
  const branches: Step[] = []
  for (;;) {
    cursor.skipSpaces()
    branches.push(parseSelector(cursor))
    cursor.skipSpaces()
    const next = cursor.peek()
    cursor.pos++
    if (next === ']') break
    if (next !== ',') throw new JsonPathError('unterminated array')
  }
  const only = branches[0]
  if (branches.length === 1 && only !== undefined) return only
  return { kind: 'union', branches: branches.map((step) => [step]) }
}

function parseSelector(cursor: Cursor): Step {
  const quote = cursor.peek()
  // `['key.with.dots']` and `["k"]` name one key, dots and all.
  if (quote === "'" || quote === '"') return { kind: 'field', name: cursor.readQuoted() }
  let raw = ''
  while (!cursor.done && cursor.peek() !== ',' && cursor.peek() !== ']') {
    if (cursor.peek() === '\n') break
    raw += cursor.peek()
    cursor.pos++
  }
  if (cursor.done || cursor.peek() === '\n') throw new JsonPathError('unterminated array')
  return parseIndex(raw.trim())
}

function parseIndex(text: string): Step {
  if (text === '*') return { kind: 'slice', step: 1 }
  const match = SLICE.exec(text)
  if (match === null || text === '') throw new JsonPathError(`invalid array index ${text}`)
  const [, first, second, third] = match
  const start = toInt(first)
  if (second === undefined) {
    if (start === undefined) throw new JsonPathError(`invalid array index ${text}`)
    return { kind: 'index', index: start }
  }
  const step = toInt(third) ?? 1
  if (step <= 0) throw new JsonPathError(`invalid array step ${String(step)}`)
  const end = toInt(second)
  return {
    kind: 'slice',
    step,
    ...(start === undefined ? {} : { start }),
    ...(end === undefined ? {} : { end }),
  }
}

function toInt(text: string | undefined): number | undefined {
  if (text === undefined || text === '' || text === '-') return undefined
  const value = Number.parseInt(text, 10)
  if (!Number.isSafeInteger(value)) throw new JsonPathError(`array index ${text} is not a number`)
  return value
}

function parseFilter(cursor: Cursor, readOperand: OperandReader): Step {
  cursor.pos += 2
  cursor.skipSpaces()
  const left = readOperand(cursor, FILTER_TERMINATORS)
  cursor.skipSpaces()
  const op = OPERATOR.exec(cursor.text.slice(cursor.pos))?.[1] as CompareOp | undefined
  let step: Step
  if (op === undefined) {
    if (left.kind !== 'path') throw new JsonPathError('a filter without an operator needs a path')
    step = { kind: 'filter', filter: { op: 'exists', left } }
  } else {
    cursor.pos += op.length
    cursor.skipSpaces()
    const right = readOperand(cursor, FILTER_TERMINATORS)
    step = { kind: 'filter', filter: { op, left, right } }
  }
  cursor.skipSpaces()
  if (cursor.peek() !== ')') throw new JsonPathError('unterminated filter')
  cursor.pos++
  if (cursor.peek() !== ']') throw new JsonPathError('unclosed array expect ]')
  cursor.pos++
  return step
}
