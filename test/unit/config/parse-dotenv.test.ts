import { parseDotenv } from '../../../src/config/parse-dotenv'

describe('parseDotenv', () => {
  test.each([
    ['KEY=value', [['KEY', 'value']]],
    ['export KEY=value', [['KEY', 'value']]],
    ['  KEY = value  ', [['KEY', 'value']]],
    ['KEY=', [['KEY', '']]],
    ['KEY=a#b', [['KEY', 'a#b']]],
    ['KEY=a # comment', [['KEY', 'a']]],
    ['KEY="a # not a comment"', [['KEY', 'a # not a comment']]],
    ['KEY="line1\\nline2\\t\\"q\\" \\\\ \\x"', [['KEY', 'line1\nline2\t"q" \\ \\x']]],
    ["KEY='lit\\n $HOME'", [['KEY', 'lit\\n $HOME']]],
    ['KEY=$HOME ${HOME}', [['KEY', '$HOME ${HOME}']]],
    ['KEY="a" # trailing comment', [['KEY', 'a']]],
    ['# only a comment\n\n   # indented comment', []],
    [
      'A=1\r\nB=2\r\n',
      [
        ['A', '1'],
        ['B', '2'],
      ],
    ],
    [
      'PEM="-----BEGIN-----\nabc\n-----END-----"\nNEXT=1',
      [
        ['PEM', '-----BEGIN-----\nabc\n-----END-----'],
        ['NEXT', '1'],
      ],
    ],
    ["SQ='multi\nline'", [['SQ', 'multi\nline']]],
    ['dotted.key=1', [['dotted.key', '1']]],
  ])('%j', (text, entries) => {
    expect(parseDotenv(text)).toEqual({ entries, issues: [] })
  })

  test.each([
    ['not a pair', 'line 1: expected KEY=VALUE'],
    ['A=1\n1KEY=x', 'line 2: expected KEY=VALUE'],
    ['A=1\nKEY="unterminated\nB=2', 'line 2: missing closing "'],
    ["KEY='x' tail", "line 1: unexpected text after the closing '"],
    ['export=1 2\nKEY: value', 'line 2: expected KEY=VALUE'],
  ])('issue for %j names the line, not its content', (text, issue) => {
    expect(parseDotenv(text).issues).toEqual([issue])
  })

  test('parsing continues after a bad line, so every issue is reported', () => {
    const result = parseDotenv('bad one\nA=1\nbad two\nB=2')
    expect(result.entries).toEqual([
      ['A', '1'],
      ['B', '2'],
    ])
    expect(result.issues).toEqual(['line 1: expected KEY=VALUE', 'line 3: expected KEY=VALUE'])
  })
})
