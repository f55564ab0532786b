import { parseDocument } from 'yaml'
import { printForGoYaml } from '../../../src/yaml/go-yaml-print'

const OPTIONS = { lineWidth: 0, flowCollectionPadding: false }

function print(text: string): string {
  return printForGoYaml(parseDocument(text, { schema: 'failsafe' }), OPTIONS)
}

describe('printForGoYaml', () => {
  test('untouched plain text prints as written', () => {
    const text = 'a: b\nlist: [x, "y"]\nblock: |\n  one\n  two\n'
    expect(print(text)).toBe(text)
  })

  test('a string with a go-yaml line break is written double-quoted with escapes, in any style', () => {
    const doc = parseDocument("plain: x\nsingle: 'x'\nblock: |\n  x\nflow: [x]\n", {
      schema: 'failsafe',
    })
    for (const key of ['plain', 'single', 'block']) doc.set(key, 'a\u2028b')
    doc.setIn(['flow', 0], 'a\u0085b')
    expect(printForGoYaml(doc, OPTIONS)).toBe(
      'plain: "a\\Lb"\nsingle: "a\\Lb"\nblock: "a\\Lb"\nflow: ["a\\Nb"]\n',
    )
  })

  test('multi-line quoted text is written on one line, not folded', () => {
    const value = 'a long line of text that is well over forty chars\nsecond line'
    const doc = parseDocument('k: ""\n', { schema: 'failsafe' })
    doc.set('k', value)
    const scalar = doc.get('k', true) as { type?: string }
    scalar.type = 'QUOTE_DOUBLE'
    expect(printForGoYaml(doc, OPTIONS)).toBe(
      'k: "a long line of text that is well over forty chars\\nsecond line"\n',
    )
  })

  test('plain scalars go-yaml misreads in a flow collection are quoted', () => {
    expect(print('k: [a?b, ":x", ok]\n')).toBe('k: ["a?b", ":x", ok]\n')
  })

  test('the document schema is restored afterwards', () => {
    const doc = parseDocument('k: v\n', { schema: 'failsafe' })
    const schema = doc.schema
    printForGoYaml(doc, {})
    expect(doc.schema).toBe(schema)
  })
})
