import { parseJsonConfig, parseYamlConfig } from '../../../src/config/parse-structured'

describe('parseYamlConfig', () => {
  test('scalars: strings as parsed, numbers as written, booleans as true/false, null as unset', () => {
    const text = [
      'A: text',
      'B: "quoted: yes"',
      'C: 1.0',
      'D: 12345678901234567890',
      'E: 0x1F',
      'F: True',
      'G: yes',
      'H:',
      'I: ~',
      'J: &anchor shared',
      'K: *anchor',
      'L: |',
      '  block',
    ].join('\n')
    expect(parseYamlConfig(text)).toEqual({
      entries: [
        ['A', 'text'],
        ['B', 'quoted: yes'],
        ['C', '1.0'],
        ['D', '12345678901234567890'],
        ['E', '0x1F'],
        ['F', 'true'],
        ['G', 'yes'],
        ['J', 'shared'],
        ['K', 'shared'],
        ['L', 'block\n'],
      ],
      issues: [],
    })
  })

  test.each([
    ['', { entries: [], issues: [] }],
    ['# only comments\n', { entries: [], issues: [] }],
    ['- a\n- b\n', { entries: [], issues: ['expected a mapping of KEY: value'] }],
    ['just text', { entries: [], issues: ['expected a mapping of KEY: value'] }],
    ['? [a, b]\n: c\n', { entries: [], issues: ['a key at line 1 is not a plain name'] }],
    ['A: 1\nA: 2\n', { entries: [], issues: ['not valid YAML (DUPLICATE_KEY at line 2)'] }],
    ['A: 1\n---\nB: 2\n', { entries: [], issues: ['not valid YAML (MULTIPLE_DOCS at line 2)'] }],
  ])('%j', (text, result) => {
    expect(parseYamlConfig(text)).toEqual(result)
  })
})

describe('parseJsonConfig', () => {
  test('strings, numbers and booleans; null is unset; nested values are issues', () => {
    expect(parseJsonConfig('{"A":"x","B":2,"C":false,"D":null,"E":{"x":1},"F":[1]}')).toEqual({
      entries: [
        ['A', 'x'],
        ['B', '2'],
        ['C', 'false'],
      ],
      issues: [
        'E: nested maps and lists are not supported; use a string value',
        'F: nested maps and lists are not supported; use a string value',
      ],
    })
  })

  test.each([
    ['[1, 2]', 'expected an object of "KEY": value'],
    ['"text"', 'expected an object of "KEY": value'],
    ['', 'not valid JSON'],
    ['{"A": "canary-json-1"\n,}', 'not valid JSON at line 2'],
  ])('%j', (text, issue) => {
    expect(parseJsonConfig(text).issues).toEqual([issue])
  })
})
