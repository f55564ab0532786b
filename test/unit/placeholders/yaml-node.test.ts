import { parse, parseDocument } from 'yaml'
import { isAmbiguousAsPlain } from '../../../src/yaml/plain-scalar'
import { toYamlNode } from '../../../src/placeholders/yaml-node'
import { run, withPath } from './helpers'

/** Substitutes `value` into `v: <v>` and returns the printed line(s) after `v:`. */
function substituted(value: unknown, body = 'v: <v>\n'): { out: string; back: unknown } {
  const result = run(withPath(body), { 'secret/data/app': { v: value } })
  expect(result.problems).toEqual([])
  const back: unknown = (parse(result.out, { version: '1.1' }) as Record<string, unknown>)['v']
  return { out: result.out.slice(result.out.indexOf('v:')), back }
}

describe('strings a YAML 1.1 reader would mistype are double-quoted', () => {
  test.each([
    'yes',
    'on',
    '0x1F',
    '1e3',
    '~',
    '012',
    '1:20',
    '2001-12-14',
    'null',
    'True',
    'y',
    'n',
    '.inf',
    '',
    'NO',
    'Off',
    'FALSE',
    'Y',
    '123',
    '-1',
    '+1',
    '1_000',
    '.5',
    '0o17',
    '0b101',
    'Infinity',
    'NaN',
    '-.inf',
    '1.0',
    '81111e1',
    '0x1p-2',
    '2001-12-14T21:59:43.10-05:00',
    '190:20:30',
    // Starts like a number: quoted although YAML reads it as a string; extra quotes never hurt.
    '1.2.3',
  ])('%j', (value) => {
    const { out, back } = substituted(value)
    expect(out).toBe(`v: ${JSON.stringify(value)}\n`)
    expect(back).toBe(value)
    expect(isAmbiguousAsPlain(value)).toBe(true)
  })
})

describe('other strings stay plain, or get only the quotes YAML syntax needs', () => {
  test.each([
    ['hello', 'v: hello\n'],
    ['v1', 'v: v1\n'],
    ['yess', 'v: yess\n'],
    ['nully', 'v: nully\n'],
    ['x:y', 'v: x:y\n'],
    ["it's", "v: it's\n"],
    ['a: b', 'v: "a: b"\n'],
    ['#x', 'v: "#x"\n'],
    ['- x', 'v: "- x"\n'],
    [' x', 'v: " x"\n'],
    ['*x', 'v: "*x"\n'],
    ['<path:a#b>', 'v: <path:a#b>\n'],
  ])('%j', (value, line) => {
    const { out, back } = substituted(value)
    expect(out).toBe(line)
    expect(back).toBe(value)
    expect(parse(out)).toEqual({ v: value })
  })
})

describe('multi-line strings', () => {
  test.each([
    ['l1\nl2', 'v: |-\n  l1\n  l2\n'],
    ['l1\nl2\n', 'v: |\n  l1\n  l2\n'],
    ['  indented\nx', 'v: |2-\n    indented\n  x\n'],
    ['trailing  \nx', 'v: "trailing \\ \\nx"\n'],
    ['a\r\nb', 'v: "a\\r\\nb"\n'],
  ])('%j', (value, text) => {
    const { out, back } = substituted(value)
    expect(out).toBe(text)
    expect(back).toBe(value)
  })

  test('inside a flow sequence they are quoted', () => {
    const { out, back } = substituted('l1\nl2', 'v: [<v>]\n')
    expect(out).toBe('v: [ "l1\\nl2" ]\n')
    expect(back).toEqual(['l1\nl2'])
  })
})

describe('non-string values', () => {
  test.each<[unknown, string]>([
    [8080, 'v: 8080\n'],
    [1.5, 'v: 1.5\n'],
    [-3, 'v: -3\n'],
    [1e21, 'v: 1e+21\n'],
    [true, 'v: true\n'],
    [false, 'v: false\n'],
    [null, 'v: null\n'],
    [[], 'v: []\n'],
    [{}, 'v: {}\n'],
    [[1, 'on', [true]], 'v:\n  - 1\n  - "on"\n  - - true\n'],
    [
      { yes: 'no', 'a b': { c: '012' }, '<<': 1 },
      'v:\n  "yes": "no"\n  a b:\n    c: "012"\n  "<<": 1\n',
    ],
  ])('%j', (value, text) => {
    const { out, back } = substituted(value)
    expect(out).toBe(text)
    expect(back).toEqual(value)
  })

  test.each<[unknown, string]>([
    [Number.NaN, 'a non-finite number cannot be written as YAML'],
    [Number.POSITIVE_INFINITY, 'a non-finite number cannot be written as YAML'],
    [undefined, 'a value of type undefined cannot be written as YAML'],
    [new Date(0), 'a value of type object cannot be written as YAML'],
    [{ a: [() => 1] }, 'a value of type function cannot be written as YAML'],
  ])('%p is refused', (value, reason) => {
    expect(toYamlNode(value)).toEqual({ ok: false, failure: reason })
  })

  test('bigint prints as digits', () => {
    const doc = parseDocument('a: 1\n', { schema: 'failsafe' })
    const built = toYamlNode(12345678901234567890n)
    if (!built.ok) throw new Error('expected a node')
    doc.set('a', built.node)
    expect(doc.toString()).toBe('a: 12345678901234567890\n')
  })
})
