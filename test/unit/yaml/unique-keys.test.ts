import { parseDocument } from 'yaml'
import { parseSecretsFile } from '../../../src/backends/file/secrets-file'
import { parseYamlConfig } from '../../../src/config/parse-structured'
import { addDuplicateKeyErrors, NO_LIBRARY_KEY_CHECK } from '../../../src/yaml/unique-keys'
import { linearityRatio } from '../../support/linearity'

function duplicateOffsets(text: string): number[] {
  const doc = parseDocument(text, NO_LIBRARY_KEY_CHECK)
  addDuplicateKeyErrors(doc)
  return doc.errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => e.pos[0])
}

describe('addDuplicateKeyErrors', () => {
  test.each<[string, number[]]>([
    ['a: 1\nb: 2\na: 3\n', [10]],
    ['x:\n  - {k: 1, k: 2}\n', [14]],
    ['x:\n  y: {a: 1}\n  z:\n    a: 1\n    a: 2\n', [33]],
    ['a: 1\nb: 2\n', []],
    // Keys are compared by value within one map only.
    ['a: {k: 1}\nb: {k: 1}\n', []],
    ['? [a]\n: 1\n? [a]\n: 2\n', []],
  ])('%j', (text, offsets) => {
    expect(duplicateOffsets(text)).toEqual(offsets)
  })

  test('agrees with the library check it replaces', () => {
    const texts = ['a: 1\na: 2\n', '1: a\n"1": b\n', 'a: {b: 1, b: 2}\n', '- {a: 1}\n- {a: 1}\n']
    for (const text of texts) {
      const library = parseDocument(text, { uniqueKeys: true }).errors.length > 0
      expect(duplicateOffsets(text).length > 0).toBe(library)
    }
  })

  test('a secrets file and a config file with a repeated key are still refused', () => {
    const file = parseSecretsFile('secret/a: {k: 1}\nsecret/a: {k: 2}\n', 'f.yaml')
    const lookup = file.lookup({ path: 'secret/a' })
    expect(lookup.ok).toBe(false)
    expect(parseYamlConfig('AVP_TYPE: vault\nAVP_TYPE: file\n').issues).toEqual([
      expect.stringContaining('DUPLICATE_KEY'),
    ])
  })

  test('a map with many keys is checked in linear time', () => {
    const keys = (n: number): string =>
      Array.from({ length: n }, (_, i) => `  k${String(i)}: v\n`).join('')
    const ratio = linearityRatio(
      (n) => `secret/data/a:\n${keys(n)}`,
      (text) => parseSecretsFile(text, 'f.yaml'),
      8_000,
      3,
    )
    expect(ratio).toBeLessThan(3)
  })
})
