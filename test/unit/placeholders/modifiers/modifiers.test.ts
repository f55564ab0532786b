import { createHash } from 'node:crypto'
import { compileModifier } from '../../../../src/placeholders/modifiers'
import type { ModifierResult } from '../../../../src/placeholders/modifiers'

/** Compiles `segment` and runs it on `value`. */
function apply(segment: string, value: unknown): ModifierResult {
  const compiled = compileModifier(segment)
  if (!compiled.ok) throw new Error(compiled.failure)
  return compiled.modifier.run(value)
}

function expectFailure(segment: string, value: unknown, reason: string): void {
  const result = apply(segment, value)
  expect(result).toEqual({ ok: false, failure: reason })
  // A reason never quotes the value it failed on.
  if (typeof value === 'string' && value.length >= 3 && !result.ok) {
    expect(result.failure).not.toContain(value)
  }
}

describe('base64encode', () => {
  test.each([
    ['default', 'ZGVmYXVsdA=='],
    ['', ''],
    ['é', 'w6k='],
    ['ZGVmYXVsdA==', 'WkdWbVlYVnNkQT09'],
  ])('%j → %j', (input, output) => {
    expect(apply('base64encode', input)).toEqual({ ok: true, value: output })
  })

  test.each<[unknown, string]>([
    [80, 'expected a string, got a number'],
    [{ a: 1 }, 'expected a string, got a map'],
    [[1], 'expected a string, got a list'],
    [null, 'expected a string, got a null'],
  ])('refuses %p', (input, reason) => {
    expectFailure('base64encode', input, reason)
  })
})

describe('base64decode', () => {
  test.each([
    ['ZGVmYXVsdA==', 'default'],
    ['aGVs\nbG8=', 'hello'],
    ['', ''],
  ])('%j → %j', (input, output) => {
    expect(apply('base64decode', input)).toEqual({ ok: true, value: output })
  })

  test.each([
    // AVP silently returns `hel` here.
    ['aGVsbG8', 'value is not valid base64'],
    ['not base64!', 'value is not valid base64'],
    ['/w==', 'decoded value is not valid UTF-8 text'],
  ])('refuses %j', (input, reason) => {
    expectFailure('base64decode', input, reason)
  })
})

describe('jsonParse', () => {
  test.each<[string, unknown]>([
    ['{"a":1,"b":[true,null]}', { a: 1, b: [true, null] }],
    ['[1,"x"]', [1, 'x']],
    ['1.5', 1.5],
    ['true', true],
    ['null', null],
    ['"s"', 's'],
  ])('%j', (input, output) => {
    expect(apply('jsonParse', input)).toEqual({ ok: true, value: output })
  })

  test('never surfaces JSON.parse’s message, which quotes the input', () => {
    expectFailure('jsonParse', 'canary-secret-value', 'value is not valid JSON')
    expectFailure('jsonParse', 5, 'expected a string, got a number')
  })
})

describe('yamlParse', () => {
  test.each<[string, unknown]>([
    ['a: yes\nb: 012\nc: 1:20', { a: true, b: 10, c: 80 }],
    ['v', 'v'],
    ['b: 2001-12-14', { b: '2001-12-14' }],
    ['', null],
    ['a: 1\n---\nb: 2', { a: 1 }],
    ['f: !!binary aGk=', { f: 'aGk=' }],
    ['base: &b {x: 1}\nm:\n  <<: *b\n', { base: { x: 1 }, m: { x: 1 } }],
  ])('%j', (input, output) => {
    expect(apply('yamlParse', input)).toEqual({ ok: true, value: output })
  })

  test.each([
    ['key: [canary-unclosed', 'value is not valid YAML'],
    ['e: .inf', 'value cannot be represented as JSON'],
  ])('refuses %j', (input, reason) => {
    expectFailure('yamlParse', input, reason)
  })

  test('prints no warning to the process', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined)
    expect(apply('yamlParse', '? [canary-key]\n: 1').ok).toBe(true)
    expect(warn).not.toHaveBeenCalled()
    warn.mockRestore()
  })
})

describe('indent', () => {
  test.each([
    ['indent 3', 'a\nmulti-line\nstring', 'a\n   multi-line\n   string'],
    ['indent 10', 'a-string', 'a-string'],
    // Unlike AVP (#633, #650): blank lines and own indentation survive.
    ['indent 2', 'a:\n  b: 1\n\n  c: 2\n', 'a:\n    b: 1\n\n    c: 2\n'],
    [
      'indent 4',
      '-----BEGIN X-----\nAAAA\n-----END X-----\n',
      '-----BEGIN X-----\n    AAAA\n    -----END X-----\n',
    ],
    ['indent 2', 'x\n   \ny', 'x\n\n  y'],
    ['indent -2', 'x\n y', 'x\n y'],
    ['indent +1', 'x\ny', 'x\n y'],
    ['indent 0', 'x\ny', 'x\ny'],
  ])('%s of %j', (segment, input, output) => {
    expect(apply(segment, input)).toEqual({ ok: true, value: output })
  })

  test('refuses a non-string', () => {
    expectFailure('indent 2', 3, 'expected a string, got a number')
  })
})

describe('sha256sum', () => {
  const sha = (text: string): string => createHash('sha256').update(text).digest('hex')
  test.each<[unknown, string]>([
    ['mysecret', '652c7dc687d98c9889304ed2e408c74b611e86a40caa51c4b43f1dd5913c5cd0'],
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['é', sha('é')],
    // AVP hashes a Vault number (json.Number) as its text.
    [80, sha('80')],
  ])('%j', (input, output) => {
    expect(apply('sha256sum', input)).toEqual({ ok: true, value: output })
  })

  test('refuses a map', () => {
    expectFailure('sha256sum', { a: 1 }, 'expected a string, got a map')
  })
})

describe('compileModifier', () => {
  test.each([
    ['', 'empty modifier'],
    ['   ', 'empty modifier'],
    ['nope', 'unknown modifier "nope"'],
    ['JSONPath {.a}', 'unknown modifier "JSONPath"'],
    ['jsonParse x', 'jsonParse: takes no arguments'],
    ['yamlParse x', 'yamlParse: takes no arguments'],
    ['sha256sum x', 'sha256sum: takes no arguments'],
    ['base64decode x', 'base64decode: takes no arguments'],
    ['indent 1001', 'indent: expects one integer argument between 0 and 1000'],
  ])('%j', (segment, message) => {
    expect(compileModifier(segment)).toEqual({ ok: false, failure: message })
  })

  test('splits on any whitespace', () => {
    expect(apply('  indent \t 2  ', 'a\nb')).toEqual({ ok: true, value: 'a\n  b' })
  })
})
