import { parseDocument } from 'yaml'
import { parseSecretsFile } from '../../../src/backends/file/secrets-file'
import { parseYamlConfig } from '../../../src/config/parse-structured'
import { addDuplicateKeyErrors, NO_LIBRARY_KEY_CHECK } from '../../../src/yaml/unique-keys'

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

  test('a map with many keys costs little more than parsing it', () => {
    // The library's own check compares each key with every earlier one: on
    // 20k keys that is 200 million comparisons, many times the parse itself.
    const keys = Array.from({ length: 8_000 }, (_, i) => `  k${String(i)}: v\n`).join('')
    const text = `secret/data/a:\n${keys}`
    const parseOnly = fastest(() => parseDocument(text, { uniqueKeys: false }))
    const withCheck = fastest(() => parseSecretsFile(text, 'f.yaml'))
    expect(withCheck / parseOnly).toBeLessThan(3)
  })
})

/** The fastest of five runs in this process's CPU time: a busy machine stretches the wall clock, not that. */
function fastest(work: () => unknown): number {
  let best = Infinity
  for (let i = 0; i < 5; i++) {
    const start = process.cpuUsage()
    work()
    const used = process.cpuUsage(start)
    best = Math.min(best, used.user + used.system)
  }
  return best
}
