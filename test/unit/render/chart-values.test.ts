import { flattenValues, mergeValues, parseValues } from '../../../src/render/chart-values'

describe('flattenValues', () => {
  test('dot paths, list indexes, escaped dots; empty collections and nulls left out', () => {
    const tree = parseValues(
      [
        'image: {repository: nginx, tag: "1.27", pullPolicy: null}',
        'replicas: 3',
        'enabled: true',
        'args: [a, {b: c}]',
        'annotations: {"example.com/x": y}',
        'empty: {}',
        'none: []',
      ].join('\n'),
    )
    expect(Object.fromEntries(flattenValues(tree ?? {}))).toEqual({
      'image.repository': 'nginx',
      'image.tag': '1.27',
      replicas: '3',
      enabled: 'true',
      'args[0]': 'a',
      'args[1].b': 'c',
      'annotations.example\\.com/x': 'y',
    })
  })

  test('capped', () => {
    const tree = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${String(i)}`, i]))
    expect(flattenValues(tree, 10).size).toBe(10)
  })
})

describe('parseValues', () => {
  test.each([
    ['', {}],
    ['# only a comment', {}],
    ['a: 1', { a: 1 }],
  ])('%j', (text, tree) => {
    expect(parseValues(text)).toEqual(tree)
  })

  test.each(['- a list', 'a: [', 'just a string'])('%j is not a values map', (text) => {
    expect(parseValues(text)).toBeUndefined()
  })
})

describe('mergeValues (helm coalescing)', () => {
  test('maps merge, lists and scalars replace, null deletes', () => {
    expect(
      mergeValues(
        { image: { repository: 'nginx', tag: '1' }, list: [1, 2], gone: 'x', keep: 1 },
        { image: { tag: '2' }, list: [3], gone: null, added: true },
      ),
    ).toEqual({ image: { repository: 'nginx', tag: '2' }, list: [3], keep: 1, added: true })
  })
})
