import {
  findPlaceholders,
  hasGenericPlaceholder,
  parsePlaceholder,
} from '../../../src/placeholders/syntax'
import type { PlaceholderSource } from '../../../src/placeholders/syntax'

describe('findPlaceholders', () => {
  test.each<[string, boolean, string[]]>([
    ['<a>', true, ['<a>']],
    ['x-<a>-<b | base64encode>', true, ['<a>', '<b | base64encode>']],
    ['<<key>>', true, ['<<key>']],
    ['<a\nb>', true, []],
    ['<>', true, ['<>']],
    ['<path:p#k>', true, ['<path:p#k>']],
    // Without the path annotation only inline placeholders count (docs/design/avp-semantics.md, AVP #130).
    ['<KEY> and <path:p#k#2>', false, ['<path:p#k#2>']],
    ['<path:p#k#1#2>', false, []],
    ['<path:p#key\nnext>', false, ['<path:p#key\nnext>']],
    ['<path:p#k | base64encode>', false, ['<path:p#k | base64encode>']],
    ['a<path:x#y>b<path:z#w>', false, ['<path:x#y>', '<path:z#w>']],
  ])('%j (generic=%p)', (text, generic, raws) => {
    const found = findPlaceholders(text, generic)
    expect(found.map((m) => m.raw)).toEqual(raws)
    for (const m of found) expect(text.slice(m.start, m.end)).toBe(m.raw)
  })

  test.each([
    ['<x>', true],
    ['a <b> c', true],
    ['<a\nb>', false],
    ['plain', false],
  ])('hasGenericPlaceholder(%j) = %p', (text, expected) => {
    expect(hasGenericPlaceholder(text)).toBe(expected)
  })
})

describe('parsePlaceholder', () => {
  test.each<[string, PlaceholderSource, string[]]>([
    ['<key>', { kind: 'generic', key: 'key' }, []],
    ['< key >', { kind: 'generic', key: 'key' }, []],
    ['<<key>', { kind: 'generic', key: 'key' }, []],
    ['<>', { kind: 'generic', key: '' }, []],
    ['<  key  |  base64encode  >', { kind: 'generic', key: 'key' }, ['base64encode']],
    [
      '<path:secret/data/db#password>',
      { kind: 'inline', path: 'secret/data/db', key: 'password' },
      [],
    ],
    [
      '<path: secret/data/db # password # 3 >',
      { kind: 'inline', path: 'secret/data/db', key: 'password', version: '3' },
      [],
    ],
    ['<path:a#b#c#d>', { kind: 'inline', path: 'a', key: 'b', version: 'c#d' }, []],
    ['<path:q#k#>', { kind: 'inline', path: 'q', key: 'k' }, []],
    // AVP's individual syntax is unanchored: `mypath:` counts as `path:`.
    ['<mypath:q#k>', { kind: 'inline', path: 'q', key: 'k' }, []],
    // Trimmed before matching, so `path:p# ` is not inline but a generic key.
    ['<path:p# >', { kind: 'generic', key: 'path:p#' }, []],
    ['<path:p#key\nnext>', { kind: 'inline', path: 'p', key: 'key\nnext' }, []],
    [
      '<path:p#k | jsonPath {.a} | base64encode>',
      { kind: 'inline', path: 'p', key: 'k' },
      ['jsonPath', 'base64encode'],
    ],
  ])('%j', (raw, source, modifiers) => {
    const parsed = parsePlaceholder(raw)
    if (!parsed.ok) throw new Error(parsed.failure)
    expect(parsed.placeholder.source).toEqual(source)
    expect(parsed.placeholder.modifiers.map((m) => m.name)).toEqual(modifiers)
  })

  test.each([
    ['<key|>', 'empty modifier'],
    ['<key||base64encode>', 'empty modifier'],
    ['<key | >', 'empty modifier'],
    ['<data | undefinedModifier>', 'unknown modifier "undefinedModifier"'],
    ['<key | Base64encode>', 'unknown modifier "Base64encode"'],
    ['<key | base64encode now>', 'base64encode: takes no arguments'],
    ['<key | indent>', 'indent: expects one integer argument between 0 and 1000'],
    ['<key | indent x>', 'indent: expects one integer argument between 0 and 1000'],
    ['<key | indent 2 3>', 'indent: expects one integer argument between 0 and 1000'],
    ['<key | jsonPath>', 'jsonPath: expects a JSONPath template'],
    ['<key | jsonPath {!a}>', "jsonPath: unrecognized character in action: U+0021 '!'"],
    ['<path: #k>', 'the secret path is empty'],
    ['<path:p#   #2>', 'the secret key is empty'],
  ])('%j is a syntax problem: %s', (raw, message) => {
    expect(parsePlaceholder(raw)).toEqual({ ok: false, failure: message })
  })
})
