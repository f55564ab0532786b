import { parseBracket } from './json-path-bracket'
import { Cursor } from './json-path-cursor'
import type { Operand, PathExpr, Step, TemplateNode } from './json-path-types'
import { JsonPathError } from './json-path-types'

type Parsed =
  | { readonly kind: 'range'; readonly path: PathExpr }
  | { readonly kind: 'end' }
  | { readonly kind: 'action'; readonly expr: Operand }

interface Frame {
  readonly nodes: TemplateNode[]
  readonly path?: PathExpr
}

/**
 * Parses a template: literal text with `{…}` actions, `{range …}…{end}`
 * blocks, `{'literal'}` text. Throws `JsonPathError` on bad syntax.
 */
export function parseTemplate(text: string): readonly TemplateNode[] {
  const cursor = new Cursor(text)
  const stack: Frame[] = [{ nodes: [] }]
  let literal = ''
  const top = (): Frame => stack[stack.length - 1] ?? { nodes: [] }
  const flush = (): void => {
    if (literal !== '') top().nodes.push({ kind: 'text', text: literal })
    literal = ''
  }
  while (!cursor.done) {
    if (cursor.peek() !== '{') {
      literal += cursor.peek()
      cursor.pos++
      continue
    }
    flush()
    cursor.pos++
    const parsed = parseAction(cursor)
    if (parsed.kind === 'range') stack.push({ nodes: [], path: parsed.path })
    else if (parsed.kind === 'action') top().nodes.push(parsed)
    else closeRange(stack)
  }
  flush()
  // Like client-go, a range left open runs to the end of the template.
  while (stack.length > 1) closeRange(stack)
  return top().nodes
}

function closeRange(stack: Frame[]): void {
  const frame = stack.pop()
  const parent = stack[stack.length - 1]
  if (frame?.path === undefined || parent === undefined) {
    throw new JsonPathError('not in range, nothing to end')
  }
  parent.nodes.push({ kind: 'range', path: frame.path, body: frame.nodes })
}

function parseAction(cursor: Cursor): Parsed {
  cursor.skipSpaces()
  let parsed: Parsed
  if (cursor.peek() === '}') {
    parsed = { kind: 'action', expr: { kind: 'path', root: '@', steps: [] } }
  } else if (readKeyword(cursor, 'range')) {
    cursor.skipSpaces()
    parsed = { kind: 'range', path: parsePath(cursor, '') }
  } else if (readKeyword(cursor, 'end')) {
    parsed = { kind: 'end' }
  } else {
    parsed = { kind: 'action', expr: readOperand(cursor, '') }
  }
  cursor.skipSpaces()
  cursor.expect('}')
  return parsed
}

function readKeyword(cursor: Cursor, word: string): boolean {
  if (!cursor.startsWith(word) || /[\p{L}\p{N}_]/u.test(cursor.peek(word.length))) return false
  cursor.pos += word.length
  return true
}

/** An operand: a quoted string, a number, `true`/`false`, or a path. */
function readOperand(cursor: Cursor, terminators: string): Operand {
  const char = cursor.peek()
  if (char === "'" || char === '"') return { kind: 'literal', value: cursor.readQuoted() }
  if (/[-+0-9]/.test(char)) return { kind: 'literal', value: cursor.readNumber() }
  if (readKeyword(cursor, 'true')) return { kind: 'literal', value: true }
  if (readKeyword(cursor, 'false')) return { kind: 'literal', value: false }
  if (/[\p{L}_]/u.test(char)) {
    throw new JsonPathError(`unrecognized identifier ${cursor.readName(terminators)}`)
  }
  return parsePath(cursor, terminators)
}

function parsePath(cursor: Cursor, terminators: string): PathExpr {
  let root: '$' | '@' = '@'
  const hasRoot = cursor.peek() === '$' || cursor.peek() === '@'
  if (hasRoot) {
    root = cursor.peek() === '$' ? '$' : '@'
    cursor.pos++
  }
  const steps: Step[] = []
  for (;;) {
    if (cursor.startsWith('..')) {
      cursor.pos += 2
      steps.push({ kind: 'recursive' })
      if (cursor.peek() !== '[') steps.push(nameStep(cursor.readName(terminators), cursor))
    } else if (cursor.peek() === '.') {
      cursor.pos++
      const name = cursor.readName(terminators)
      // `{.}` is the current value itself.
      if (name !== '') steps.push(nameStep(name, cursor))
    } else if (cursor.peek() === '[') {
      steps.push(parseBracket(cursor, readOperand))
    } else {
      break
    }
  }
  if (!hasRoot && steps.length === 0 && cursor.text[cursor.pos - 1] !== '.') {
    throw cursor.unexpected()
  }
  return { kind: 'path', root, steps }
}

function nameStep(name: string, cursor: Cursor): Step {
  if (name === '') throw cursor.unexpected()
  return name === '*' ? { kind: 'wildcard' } : { kind: 'field', name }
}
