import { commonOptions, compilePathValidation, validateCommon } from '../../../src/config/common'
import { settingsFromLayers } from '../../../src/config/settings'
import { ConfigError } from '../../../src/errors'

function settings(values: Record<string, string>) {
  return settingsFromLayers([{ name: 'env', values: new Map(Object.entries(values)) }])
}

describe('commonOptions', () => {
  test('defaults: no path validation, 50 s deadline, 32 MiB of input, versions recorded', () => {
    expect(commonOptions(settings({}))).toEqual({
      deadlineMs: 50_000,
      maxInputBytes: 32 * 1024 * 1024,
      recordVersions: true,
    })
  })

  test('AVP_RECORD_VERSIONS=false turns the versions annotation off; other words are refused', () => {
    expect(commonOptions(settings({ AVP_RECORD_VERSIONS: 'false' })).recordVersions).toBe(false)
    expect(commonOptions(settings({ AVP_RECORD_VERSIONS: 'TRUE' })).recordVersions).toBe(true)
    expect(validateCommon(settings({ AVP_RECORD_VERSIONS: 'no' }))).toEqual([
      'AVP_RECORD_VERSIONS: expected true or false, got "no"',
    ])
  })

  test.each([
    ['1000', 1000],
    ['536870912', 536_870_912],
  ])('AVP_MAX_INPUT_BYTES=%s', (value, bytes) => {
    expect(commonOptions(settings({ AVP_MAX_INPUT_BYTES: value })).maxInputBytes).toBe(bytes)
  })

  test.each(['0', '1e6', '32MiB', '536870913', ' 5'])(
    'AVP_MAX_INPUT_BYTES=%j is refused',
    (value) => {
      expect(() => commonOptions(settings({ AVP_MAX_INPUT_BYTES: value }))).toThrow(
        /AVP_MAX_INPUT_BYTES: expected a number of bytes between 1 and 536870912/,
      )
    },
  )

  test.each([
    ['30', 30_000],
    ['0.5', 500],
    ['86400', 86_400_000],
  ])('AVP_DEADLINE=%s', (value, ms) => {
    expect(commonOptions(settings({ AVP_DEADLINE: value })).deadlineMs).toBe(ms)
  })

  test('AVP_PATH_VALIDATION is compiled and unanchored, as in AVP', () => {
    const { pathValidation } = commonOptions(settings({ AVP_PATH_VALIDATION: 'data/team-a/' }))
    expect(pathValidation?.test('kv/data/team-a/db')).toBe(true)
    expect(pathValidation?.test('kv/data/team-b/db')).toBe(false)
  })

  test('every issue is listed at once, by key', () => {
    const bad = settings({ AVP_DEADLINE: 'soon', AVP_PATH_VALIDATION: '^(kv' })
    expect(validateCommon(bad)).toEqual([
      'AVP_DEADLINE: expected a number of seconds between 0 and 86400, got "soon"',
      'AVP_PATH_VALIDATION: "^(kv" is not a valid regular expression',
    ])
    expect(() => commonOptions(bad)).toThrow(ConfigError)
    expect(() => commonOptions(bad)).toThrow(/AVP_DEADLINE.*; AVP_PATH_VALIDATION/)
  })

  test.each(['0', '-1', '1e3', '0x10', ' 5', '86401', 'NaN', 'Infinity'])(
    'AVP_DEADLINE=%j is rejected',
    (value) => {
      expect(validateCommon(settings({ AVP_DEADLINE: value }))).toHaveLength(1)
    },
  )
})

describe('compilePathValidation', () => {
  test.each([
    // JavaScript syntax, including look-ahead that RE2 lacks.
    ['^\\/(?!\\/)(.*?)', '/kv/data/x', true],
    ['^\\/(?!\\/)(.*?)', '//kv', false],
    // RE2 spellings translated: leading flag groups, \A and \z.
    ['(?i)^KV/DATA/', 'kv/data/x', true],
    ['(?is)^kv/.x$', 'KV/\nx', true],
    ['\\Akv/data/[a-z]+\\z', 'kv/data/app', true],
    ['\\Akv/data/[a-z]+\\z', 'kv/data/app/', false],
    ['\\Akv/data/[a-z]+\\z', 'x/kv/data/app', false],
    // An escaped backslash before z stays a literal backslash and z.
    ['^a\\\\z$', 'a\\z', true],
  ])('%j on %j → %s', (pattern, input, matches) => {
    expect(compilePathValidation(pattern)?.test(input)).toBe(matches)
  })

  test.each(['(?i', '[a-', '(?P<name>x)', 'a{2,1}'])('%j is invalid', (pattern) => {
    expect(compilePathValidation(pattern)).toBeNull()
  })
})
