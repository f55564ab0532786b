import { compileModifier } from '../../../../src/placeholders/modifiers'
import { formatGoNumber } from '../../../../src/placeholders/modifiers/json-path-print'

function jsonPath(template: string, value: unknown): unknown {
  const compiled = compileModifier(`jsonPath ${template}`)
  if (!compiled.ok) return { syntax: compiled.failure }
  const result = compiled.modifier.run(value)
  return result.ok ? result.value : { error: result.failure }
}

const data = {
  kind: 'List',
  items: [
    {
      metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'x' } },
      status: { phase: 'Running', count: 3 },
      spec: { containers: [{ name: 'c1', image: 'i1' }] },
    },
    {
      metadata: { name: 'b' },
      status: { phase: 'Pending', count: 5 },
      spec: { containers: [{ name: 'c2', image: 'i2' }, { name: 'c3' }] },
    },
  ],
  a: { b: [1, 2, { c: 'd' }] },
  users: [{ name: 'u1', pass: 'p1' }],
  n: 1000000,
  f: 1.5,
  big: 12345678901234567000,
  tiny: 0.00001,
  t: true,
  z: null,
  empty: [],
}

describe('jsonPath results', () => {
  test.each([
    // docs/design/avp-semantics.md: several results joined by one space, maps as JSON.
    ['{.a.b[*]}', '1 2 {"c":"d"}'],
    ['{.kind}', 'List'],
    ['{$.kind}', 'List'],
    ['{@.kind}', 'List'],
    ['{.items[0].metadata.name}', 'a'],
    ['{.items[-1].metadata.name}', 'b'],
    ['{.items[*].metadata.name}', 'a b'],
    ['{.items[0:1].metadata.name}', 'a'],
    ['{.items[1:].metadata.name}', 'b'],
    ['{.items[:2].metadata.name}', 'a b'],
    ['{.items[-2:-1].metadata.name}', 'a'],
    ['{.a.b[0:3:2]}', '1 {"c":"d"}'],
    ['{.items[0,1].metadata.name}', 'a b'],
    ['{.items[2:2]}', ''],
    ['{.empty[*].name}', ''],
    ['{..name}', 'a c1 b c2 c3 u1'],
    ['{..c}', 'd'],
    ['{.a.*}', '[1,2,{"c":"d"}]'],
    ["{.items[0].metadata.labels['app.kubernetes.io/name']}", 'x'],
    ['{.items[0].metadata.labels["app.kubernetes.io/name"]}', 'x'],
    ['{.items[0].metadata.labels.app\\.kubernetes\\.io/name}', 'x'],
    ['{.items[?(@.status.phase=="Running")].metadata.name}', 'a'],
    ["{.items[?(@.status.phase != 'Running')].metadata.name}", 'b'],
    ['{.items[?(@.status.count>3)].metadata.name}', 'b'],
    ['{.items[?(@.status.count<5)].metadata.name}', 'a'],
    ['{.items[?(@.status.count<=5)].metadata.name}', 'a b'],
    ['{.items[?(@.status.count>=5)].metadata.name}', 'b'],
    ['{.items[?(@.metadata.labels)].metadata.name}', 'a'],
    ['{.items[*].spec.containers[?(@.image)].name}', 'c1 c2'],
    ['{.items[?(@.status.phase==$.kind)].metadata.name}', ''],
    // docs/howitworks.md: `{.username}{':'}{.password}`
    ["{.users[0].name}{':'}{.users[0].pass}", 'u1:p1'],
    ['{"lit"}', 'lit'],
    ["{'a\\tb'}", 'a\tb'],
    ['name={.kind}!', 'name=List!'],
    ['{range .items[*]}{.metadata.name}{"\\n"}{end}', 'a\nb\n'],
    ['{range .items[*]}[{.metadata.name},{.status.phase}] {end}', '[a,Running] [b,Pending] '],
    ['{range .items[*]}{range .spec.containers[*]}{.name};{end}{end}', 'c1;c2;c3;'],
    ['{.n}', '1000000'],
    ['{.f}', '1.5'],
    ['{.big}', '1.2345678901234567e+19'],
    ['{.tiny}', '1e-05'],
    ['{.t}', 'true'],
    ['{.z}', 'null'],
    ['{.items[0].status}', '{"count":3,"phase":"Running"}'],
    ['{.users}', '[{"name":"u1","pass":"p1"}]'],
  ])('%s', (template, output) => {
    expect(jsonPath(template, data)).toBe(output)
  })

  test('a string input is JSON-decoded first', () => {
    expect(jsonPath('{.user}', '{"user":"admin","n":2}')).toBe('admin')
    expect(jsonPath('{.n}', '{"user":"admin","n":2}')).toBe('2')
    expect(jsonPath('{.a}', 'canary-not-json')).toEqual({ error: 'value is not valid JSON' })
  })

  test('{.} and {} give the whole value', () => {
    expect(jsonPath('{.}', { b: 1, a: [true] })).toBe('{"a":[true],"b":1}')
    expect(jsonPath('{}', 7)).toBe('7')
  })

  test('whitespace in the arguments collapses to single spaces, as AVP splits on it', () => {
    expect(jsonPath("{.users[0].name}{'   '}{.kind}", data)).toBe('u1 List')
  })
})

describe('jsonPath errors', () => {
  test.each([
    ['{.missing}', 'missing is not found'],
    ['{.items[*].nope}', 'nope is not found'],
    ['{.items[9]}', 'array index out of bounds: index 9, length 2'],
    ['{.items[-3]}', 'array index out of bounds: index -3, length 2'],
    ['{.items[0:3]}', 'array index out of bounds: index 2, length 2'],
    ['{.a[0]}', 'a map is not an array'],
    ['{.kind[*]}', 'a string is not an array'],
    [
      '{.items[?(@.status.count>"x")].metadata.name}',
      'cannot compare a number with a string using >',
    ],
  ])('%s → %s', (template, error) => {
    expect(jsonPath(template, data)).toEqual({ error })
  })

  test.each([
    ['{.a', 'unclosed action'],
    ['{!}', "unrecognized character in action: U+0021 '!'"],
    ['{.a b}', "unrecognized character in action: U+0062 'b'"],
    ['{.a[0}', 'unterminated array'],
    ['{.a[x]}', 'invalid array index x'],
    ['{.a[]}', 'invalid array index '],
    ['{.a[::0]}', 'invalid array step 0'],
    ['{end}', 'not in range, nothing to end'],
    ['{.a[?(@.x=="y"]}', 'unterminated filter'],
    ["{'abc}", 'unterminated quoted string'],
    ['{foo}', 'unrecognized identifier foo'],
    ['{..}', "unrecognized character in action: U+007D '}'"],
  ])('%s does not parse: %s', (template, message) => {
    expect(jsonPath(template, data)).toEqual({ syntax: `jsonPath: ${message}` })
  })
})

describe('formatGoNumber prints like Go %v, whole safe numbers as digits', () => {
  test.each([
    [0, '0'],
    [8080, '8080'],
    [1e6, '1000000'],
    [-42, '-42'],
    [1.5, '1.5'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [123456.5, '123456.5'],
    [1234567.5, '1.2345675e+06'],
    [1.2345678901234567e19, '1.2345678901234567e+19'],
    [1e21, '1e+21'],
    [-2.5e-7, '-2.5e-07'],
    [1e100, '1e+100'],
    [Number.NaN, 'NaN'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
  ])('%p → %s', (value, text) => {
    expect(formatGoNumber(value)).toBe(text)
  })
})
