import { Redactor, WITHHELD } from '../../../src/secrets/redact'

// Under mutation testing (jest.mutation.config.js) the code runs
// instrumented, many times slower: sizes shrink and time is not judged.
const underMutation = process.env['MASKING_UNDER_MUTATION'] === '1'

function redactorWith(...values: unknown[]): Redactor {
  const redactor = new Redactor()
  for (const value of values) redactor.add(value)
  return redactor
}

describe('Redactor: raw values', () => {
  test('masks registered strings, nested values and each line of multi-line secrets', () => {
    const redactor = redactorWith({
      a: 'canary-raw-1',
      b: ['canary-list-item'],
      pem: 'line-one-abc\r\nline-two-def',
    })
    expect(redactor.redact('x canary-raw-1 y canary-list-item z line-two-def.')).toBe(
      'x *** y *** z ***.',
    )
  })

  test('masks a value trimmed of surrounding blanks', () => {
    expect(redactorWith('  canary-padded \n').redact('[canary-padded]')).toBe('[***]')
  })

  test('ignores values shorter than 4 characters, numbers and booleans', () => {
    const redactor = redactorWith('abc', ' ab ', 12345, true, null, undefined)
    expect(redactor.redact('abc 12345 true null')).toBe('abc 12345 true null')
  })

  test('no form of a short value is masked either', () => {
    // base64 of "abc" is four characters long.
    expect(redactorWith('abc').redact('YWJj abc')).toBe('YWJj abc')
  })

  test('a value of exactly 4 characters is masked', () => {
    expect(redactorWith('wxyz').redact('a wxyz b')).toBe('a *** b')
  })

  test('text without registered values is unchanged', () => {
    expect(new Redactor().redact('nothing to hide')).toBe('nothing to hide')
    expect(redactorWith('canary-x').redact('nothing to hide')).toBe('nothing to hide')
  })

  test('a text that is exactly the value is masked', () => {
    expect(redactorWith('canary').redact('canary')).toBe('***')
    expect(
      redactorWith('canary-exactly-thirty-two-chars!').redact('canary-exactly-thirty-two-chars!'),
    ).toBe('***')
  })

  test('every occurrence is masked, at the start, in the middle and at the end', () => {
    expect(redactorWith('canary').redact('canary canary-canary canary')).toBe('*** ***-*** ***')
  })

  test('overlapping and touching values are masked as one', () => {
    const redactor = redactorWith('abcdef', 'defghi', 'ghijkl')
    expect(redactor.redact('<abcdefghijkl>')).toBe('<***>')
    expect(redactorWith('abcd', 'efgh').redact('abcdefgh')).toBe('***')
  })

  test('a value inside a longer value is masked with it', () => {
    expect(redactorWith('canary-long-value', 'long').redact('x canary-long-value y long')).toBe(
      'x *** y ***',
    )
  })
})

describe('Redactor: encoded forms', () => {
  // Expected forms below were printed by Go 1.26 (fmt %q, %+q, json.Marshal,
  // url.QueryEscape, url.PathEscape, base64.StdEncoding).
  const tricky = 'canary\t\\"x\n\u0001\u007f\u00a0é\u2028\u{1f600}<&>'

  test.each([
    ['Go %q', 'canary\\t\\\\\\"x\\n\\x01\\x7f\\u00a0é\\u2028\u{1f600}<&>'],
    ['Go %+q', 'canary\\t\\\\\\"x\\n\\x01\\x7f\\u00a0\\u00e9\\u2028\\U0001f600<&>'],
    [
      'Go json.Marshal',
      'canary\\t\\\\\\"x\\n\\u0001\u007f\u00a0é\\u2028\u{1f600}\\u003c\\u0026\\u003e',
    ],
    ['JSON.stringify', JSON.stringify(tricky).slice(1, -1)],
    ['YAML double-quoted', 'canary\\t\\\\\\"x\\n\\x01\\x7F\u00a0é\\L\u{1f600}<&>'],
  ])('masks the %s form of a value with escapes', (_name, form) => {
    expect(redactorWith(tricky).redact(`helm: value "${form}" is invalid`)).toBe(
      'helm: value "***" is invalid',
    )
  })

  test.each([
    ['Go url.QueryEscape', 'canary+pw%2F%3F%26%3D%2B%C3%A9%21%2A%27%28%29~'],
    ['Go url.PathEscape', 'canary%20pw%2F%3F&=+%C3%A9%21%2A%27%28%29~%3B%2C:@$'],
    ['lower-case hex', 'canary+pw%2f%3f%26%3d%2b%c3%a9%21%2a%27%28%29~'],
  ])('masks the %s form', (_name, form) => {
    const value =
      _name === 'Go url.PathEscape' ? "canary pw/?&=+é!*'()~;,:@$" : "canary pw/?&=+é!*'()~"
    expect(redactorWith(value).redact(`GET /v1?x=${form}&y=1`)).toBe('GET /v1?x=***&y=1')
  })

  test.each([
    ['%q', 'canary\\a\\b\\f\\v\\x1b\\u0085\\U0010ffff'],
    ['%+q', 'canary\\a\\b\\f\\v\\x1b\\u0085\\U0010ffff'],
  ])(
    "masks Go's %s form of the other short escapes and non-printable characters",
    (_verb, form) => {
      // Printed by Go 1.26.
      const value = 'canary\u0007\b\f\v\u001b\u0085\u{10ffff}'
      expect(redactorWith(value).redact(`bad "${form}"`)).toBe('bad "***"')
    },
  )

  test('a value with an unpaired surrogate is still masked (raw and JSON)', () => {
    const value = 'canary-\ud800-lone'
    const redactor = redactorWith(value)
    expect(redactor.redact(`a ${value} b ${JSON.stringify(value)}`)).toBe('a *** b "***"')
  })

  test("masks the form helm's values.schema.json errors print", () => {
    // helm 3.19: - at '/password': 'canary\tesc\\q"x\'y' does not match pattern '^x$'
    const value = 'canary\tesc\\q"x\'y'
    expect(
      redactorWith(value).redact(`- at '/password': 'canary\\tesc\\\\q"x\\'y' does not match`),
    ).toBe("- at '/password': '***' does not match")
  })

  test('masks the value with its control characters removed, as a one-line tool tail shows it', () => {
    expect(redactorWith('canary\u0001ctl\u001b-x').redact('Error: canaryctl-x')).toBe('Error: ***')
  })

  test('masks the HTML form encoding (URLSearchParams)', () => {
    const value = "canary pw~*!'()/é"
    const form = new URLSearchParams({ x: value }).toString()
    expect(redactorWith(value).redact(`POST ${form}&y=1`)).toBe('POST x=***&y=1')
  })

  test("masks encodeURIComponent's form", () => {
    const value = "canary pw/?&=é!*'()"
    expect(redactorWith(value).redact(`url ${encodeURIComponent(value)} end`)).toBe('url *** end')
  })

  test("masks YAML's single-quoted form", () => {
    expect(redactorWith("canary's pw").redact("pw: 'canary''s pw'")).toBe("pw: '***'")
  })

  test('masks base64 of the value, standard and URL alphabets, whole and padded', () => {
    const value = 'canary-b64-value?>'
    const std = Buffer.from(value).toString('base64')
    const url = Buffer.from(value).toString('base64url')
    expect(std).not.toBe(url)
    const redactor = redactorWith(value)
    expect(redactor.redact(`data: ${std}`)).toBe('data: ***')
    expect(redactor.redact(`data: ${url}`)).toBe('data: ***')
  })

  test.each(['canary-b64-xy', 'canary-b64-xy1'])(
    'masks unpadded base64url of %s as a whole',
    (value) => {
      const url = Buffer.from(value).toString('base64url')
      expect(Buffer.from(value).toString('base64')).toMatch(/=$/)
      expect(redactorWith(value).redact(`token=${url};`)).toBe('token=***;')
    },
  )

  test.each([0, 1, 2, 3, 4, 5])(
    'masks the value inside the base64 of a longer text (prefix of %i bytes)',
    (prefix) => {
      const value = 'canary-b64-value?>'
      const text = `${'p'.repeat(prefix)}${value}suffix`
      for (const encoding of ['base64', 'base64url'] as const) {
        const encoded = Buffer.from(text).toString(encoding)
        const out = redactorWith(value).redact(encoded)
        expect(out).toContain('***')
        // At most the two characters next to each edge still depend on the value.
        expect(out.replace('***', '').length).toBeLessThanOrEqual(encoded.length - value.length)
      }
    },
  )

  test('the Go-quoted form of each line of a multi-line value', () => {
    const value = 'first\tline-one\nsecond\tline-two'
    expect(redactorWith(value).redact('err: "second\\tline-two"')).toBe('err: "***"')
  })
})

describe('Redactor: size and failure', () => {
  test('a secret far over 32 KB is masked, raw and in part', () => {
    const big = Array.from(
      { length: underMutation ? 200 : 4000 },
      (_, i) => `canary-${String(i).padStart(5, '0')}`,
    ).join(',')
    if (!underMutation) expect(big.length).toBeGreaterThan(50_000)
    const redactor = redactorWith(big)
    expect(redactor.redact(`a ${big} b`)).toBe('a *** b')
    // helm quotes the first bytes of a long value: every full 32-character tile is masked.
    const quoted = redactor.redact(`value "${big.slice(0, 200)}…" is too long`)
    expect(quoted).not.toContain('canary-00001')
    expect(quoted).not.toContain('canary-00004')
  })

  test('a piece of a long value cut by a tool is masked to its cut ends once it holds 63 characters', () => {
    // Distinct characters, so that a piece can only match where it was cut from.
    const value = Array.from({ length: 40 }, (_, i) => `q${String(i * 7919).padStart(6, '0')}`)
      .join('-')
      .slice(0, 300)
    const redactor = redactorWith(value)
    for (let from = 0; from <= 60; from += 3) {
      for (const length of [63, 64, 80, 95, 130]) {
        const piece = value.slice(from, from + length)
        expect([from, length, redactor.redact(`<${piece}>`)]).toEqual([from, length, '<***>'])
      }
    }
    // The widening stops where the text stops continuing the value.
    expect(redactor.redact(`${value.slice(5, 100)}Q${value.slice(101, 120)}`)).toBe(
      `***Q${value.slice(101, 120)}`,
    )
  })

  test('masking stays fast with many and long secrets', () => {
    const count = underMutation ? 500 : 20_000
    const redactor = new Redactor()
    for (let i = 0; i < count; i++) redactor.add(`canary-secret-${String(i)}`)
    redactor.add('k'.repeat(underMutation ? 10_000 : 1_000_000))
    const last = `canary-secret-${String(count - 1)}`
    const text = `ordinary stderr text, ${last} here. `.repeat(underMutation ? 50 : 5_000)
    const started = Date.now()
    const out = redactor.redact(text)
    if (!underMutation) expect(Date.now() - started).toBeLessThan(3_000)
    expect(out).not.toContain(last)
    expect(out).toContain('ordinary stderr text, ***')
  })

  test('a text that cannot be masked is withheld, never printed raw', () => {
    const redactor = redactorWith('canary-x')
    expect(redactor.redact(undefined as unknown as string)).toBe(WITHHELD)
    expect(WITHHELD).toBe('[output withheld: it could not be checked for secrets]')
  })
})

describe('Redactor: edges found by mutation testing', () => {
  // Distinct characters, so that a piece can only match where it was cut from.
  const long = Array.from({ length: 12 }, (_, i) => `q${String(i * 7919).padStart(6, '0')}`).join(
    '-',
  )

  test('a cut piece is masked to its cut end when its first tile is also another secret', () => {
    const piece = long.slice(0, 50)
    const sharesFirstTile = `${long.slice(0, 32)}${'Z'.repeat(40)}`
    for (const values of [
      [long.slice(0, 32), long],
      [long, long.slice(0, 32)],
      [sharesFirstTile, long],
    ]) {
      expect(redactorWith(...values).redact(`<${piece}>`)).toBe('<***>')
    }
  })

  test('a cut piece of the Go-quoted form is masked past where it parts from the raw value', () => {
    const value = `${long.slice(0, 40)}\n${long.slice(40, 80)}`
    const quoted = JSON.stringify(value).slice(1, -1)
    expect(redactorWith(value).redact(`err "${quoted.slice(0, 60)}`)).toBe('err "***')
  })

  test('a secret that is the start of another does not shorten the mask of the other', () => {
    const redactor = redactorWith(long, long.slice(0, 40))
    expect(redactor.redact(`<${long.slice(0, 63)}>`)).toBe('<***>')
  })

  test('two secrets whose rolling hashes collide are both masked, and only they', () => {
    // Four-character strings with the same 32-bit hash (found by a birthday search).
    const [a, b] = ['\u6af1\u4ec3\u6f14\u5cf3', '\u5ba6\u5a17\u7272\u4e7e']
    expect(redactorWith(a, b).redact(`1 ${a} 2 ${b} 3`)).toBe('1 *** 2 *** 3')
    expect(redactorWith(a).redact(`1 ${a} 2 ${b} 3`)).toBe(`1 *** 2 ${b} 3`)
  })

  test('a form shorter than 4 characters of a longer value is not masked', () => {
    // Without its control character the value is `abc`: too common to mask.
    expect(redactorWith('ab\u0001c').redact('abc ab\u0001c')).toBe('abc ***')
  })

  test("masks Go's %q form, which keeps printable non-ASCII characters", () => {
    // Go 1.26: fmt.Sprintf("%q", "canary\"\x7fé-pw") == `"canary\"\x7fé-pw"`; the
    // quote keeps it apart from helm's schema form.
    expect(redactorWith('canary"\u007fé-pw').redact('bad "canary\\"\\x7fé-pw"')).toBe('bad "***"')
  })

  test("masks helm's schema form of a value with a quote and a non-ASCII letter", () => {
    expect(redactorWith("canary'é-pw").redact("at '/pw': 'canary\\'é-pw'")).toBe("at '/pw': '***'")
  })

  test("masks Go's %+q form of the first code point past the BMP", () => {
    // Go 1.26: fmt.Sprintf("%+q", "canary-\U00010000") == `"canary-\U00010000"`.
    expect(redactorWith('canary-\u{10000}').redact('bad "canary-\\U00010000"')).toBe('bad "***"')
  })

  test('a whole long secret in the text is masked in time linear in it', () => {
    const size = underMutation ? 60_000 : 300_000
    const big = Array.from({ length: size / 8 }, (_, i) => `w${String(i).padStart(7, '0')}`).join(
      '',
    )
    const started = Date.now()
    expect(redactorWith(big).redact(`a ${big} b`)).toBe('a *** b')
    if (!underMutation) expect(Date.now() - started).toBeLessThan(5_000)
  })
})
