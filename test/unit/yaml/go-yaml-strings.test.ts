import { parseDocument } from 'yaml'
import { goYamlDoubleQuoted } from '../../../src/yaml/double-quoted'
import {
  fitsGoYamlBlockScalar,
  fitsGoYamlFlowPlain,
  hasLoneSurrogate,
  needsGoYamlEscapes,
} from '../../../src/yaml/go-yaml-chars'

// go-yaml's extra line breaks and the characters its reader refuses raw.
const GO_YAML_RAW_HAZARDS =
  /[\u0085\u2028\u2029\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufeff\ufffe\uffff]/

describe('goYamlDoubleQuoted', () => {
  test.each([
    ['line separators', 'a\u2028b\u2029c\u0085d', '"a\\Lb\\Pc\\Nd"'],
    ['controls', '\u0000\u0007\b\t\n\u000b\f\r\u001b', '"\\0\\a\\b\\t\\n\\v\\f\\r\\e"'],
    ['DEL and C1', '\u007f\u0080\u009f', '"\\x7F\\x80\\x9F"'],
    ['BOM and non-characters', '\ufeff\ufffe\uffff', '"\\uFEFF\\uFFFE\\uFFFF"'],
    ['quote and backslash', 'say "\\"', '"say \\"\\\\\\""'],
    ['other C0', '\u0001\u001f', '"\\x01\\x1F"'],
    ['printable text stays raw', 'héllo ✓ \u{1f600} \u00a0', '"héllo ✓ \u{1f600} \u00a0"'],
  ])('escapes %s', (_name, value, expected) => {
    expect(goYamlDoubleQuoted(value)).toBe(expected)
  })

  test('writes one line that a YAML 1.1 reader reads back exactly', () => {
    const value = 'x\u2028metadata:\u2028 namespace: kube-system\r\n\t"\\\u0085\ufeff\u007f'
    const text = `k: ${goYamlDoubleQuoted(value)}\n`
    expect(text.split('\n')).toHaveLength(2)
    expect(text).not.toMatch(GO_YAML_RAW_HAZARDS)
    expect(parseDocument(text, { version: '1.1' }).toJS()).toEqual({ k: value })
  })

  test('refuses an unpaired surrogate without quoting it', () => {
    expect(() => goYamlDoubleQuoted('canary-\ud800')).toThrow(
      'an unpaired surrogate cannot be written as YAML',
    )
  })
})

describe('go-yaml character rules', () => {
  test.each(['\u0085', '\u2028', '\u2029', '\r', '\u0000', '\u007f', '\u009f', '\ufeff', '\ufffe'])(
    '%j needs escapes',
    (ch) => {
      expect(needsGoYamlEscapes(`a${ch}b`)).toBe(true)
    },
  )

  test('tab, LF, NBSP and astral characters do not', () => {
    expect(needsGoYamlEscapes('a\tb\nc\u00a0\u{1f600}')).toBe(false)
  })

  test('unpaired surrogates are found, pairs are not', () => {
    expect(hasLoneSurrogate('\u{1f600}')).toBe(false)
    expect(hasLoneSurrogate('a\ud83d')).toBe(true)
    expect(hasLoneSurrogate('\ude00a')).toBe(true)
    expect(needsGoYamlEscapes('a\ud83d')).toBe(true)
  })

  test('block scalars refuse lines that start with a tab or end in blanks', () => {
    expect(fitsGoYamlBlockScalar('a\nb\n')).toBe(true)
    expect(fitsGoYamlBlockScalar('\tx\ny')).toBe(false)
    expect(fitsGoYamlBlockScalar('x\n\ty')).toBe(false)
    expect(fitsGoYamlBlockScalar('x \ny')).toBe(false)
    expect(fitsGoYamlBlockScalar('x\ny\t')).toBe(false)
    expect(fitsGoYamlBlockScalar('x\u2028\ny')).toBe(false)
  })

  test.each(['a?b', ':x', 'a,b', '[x', 'x}'])(
    '%s cannot stay plain in a flow collection',
    (text) => {
      expect(fitsGoYamlFlowPlain(text)).toBe(false)
    },
  )
})
