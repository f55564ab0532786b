import { originOf, placeholderLikeStrings } from '../../../src/placeholders/substituted'
import { findPlaceholders } from '../../../src/placeholders/syntax'

const VALUE = 'hello <path:prod/db#password>'

function origins(text: string, substituted: readonly string[]): string[] {
  return findPlaceholders(text, false).map((m) => originOf(m, text, substituted))
}

describe('originOf', () => {
  test('inside an occurrence of a substituted value: substituted', () => {
    expect(origins(`x ${VALUE} y`, [VALUE])).toEqual(['substituted'])
    expect(origins(`"${VALUE}","${VALUE}"`, [VALUE])).toEqual(['substituted', 'substituted'])
  })

  test('written next to it by the template: template', () => {
    expect(origins(`${VALUE} <path:team-a/db#k>`, [VALUE])).toEqual(['substituted', 'template'])
    expect(origins('<path:team-a/db#k>', [])).toEqual(['template'])
  })

  test('only part of the value left, or straddling its end: ambiguous', () => {
    expect(origins('<path:prod/db#password>', [VALUE])).toEqual(['ambiguous'])
    expect(origins('hello <path:a#b', ['hello <path:a'])).toEqual([])
    expect(origins('hello <path:a#b>', ['hello <path:a'])).toEqual(['ambiguous'])
  })
})

test('placeholderLikeStrings keeps only strings that could hold a placeholder, at any depth', () => {
  const out = new Set<string>()
  placeholderLikeStrings({ a: ['plain', VALUE, { b: '<x>' }], n: 1 }, out)
  placeholderLikeStrings('no brackets', out)
  expect([...out].sort()).toEqual(['<x>', VALUE])
})
