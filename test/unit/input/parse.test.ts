import { isMap } from 'yaml'
import { parseManifests } from '../../../src/input/parse'
import type { InputText } from '../../../src/input/types'

const yamlIn = (text: string, skipNonObjects = false): InputText => ({
  source: 'in.yaml',
  text,
  skipNonObjects,
})

function kinds(text: string): string[] {
  const { manifests, problems } = parseManifests([yamlIn(text)])
  expect(problems).toEqual([])
  return manifests.map((m) => String(m.doc.get('kind')))
}

describe('parseManifests', () => {
  test('100k-deep nesting is one clear error, not an alias problem', () => {
    const depth = 100_000
    const text = `kind: A\ndata: ${'['.repeat(depth)}${']'.repeat(depth)}\n`
    const { manifests, problems } = parseManifests([yamlIn(text)])
    expect(manifests).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]?.message).toMatch(/^invalid YAML: maps and lists are nested too deeply/)
  })

  test('keeps every scalar as its source text (failsafe schema)', () => {
    const { manifests } = parseManifests([
      yamlIn('kind: A\ncommitId: 81111e1\nenabled: yes\nport: 0x1F\nq: "quoted"\n'),
    ])
    const doc = manifests[0]?.doc
    expect(doc?.toJS()).toEqual({
      kind: 'A',
      commitId: '81111e1',
      enabled: 'yes',
      port: '0x1F',
      q: 'quoted',
    })
  })

  test('skips empty, null and comment-only documents but counts them in the index', () => {
    const text = '---\n---\n~\n---\nnull\n---\n# only a comment\n---\nkind: A\n---\nkind: B\n...\n'
    const { manifests, problems, skipped } = parseManifests([yamlIn(text)])
    expect(problems).toEqual([])
    expect(skipped).toEqual([])
    expect(manifests.map((m) => [m.source, m.index, String(m.doc.get('kind'))])).toEqual([
      ['in.yaml', 5, 'A'],
      ['in.yaml', 6, 'B'],
    ])
  })

  test('a quoted "null" document is a scalar, not nothing', () => {
    const { problems } = parseManifests([yamlIn('"null"\n')])
    expect(problems.map((p) => p.code)).toEqual(['INPUT_INVALID'])
  })

  test('documents after a ... end marker are not lost', () => {
    expect(kinds('kind: A\n...\n---\nkind: B\n...\nkind: C\n')).toEqual(['A', 'B', 'C'])
  })

  test('strips a UTF-8 BOM and accepts CRLF', () => {
    const { manifests, problems } = parseManifests([
      yamlIn('\uFEFFkind: A\r\ndata:\r\n  k: |\r\n    l1\r\n    l2\r\n---\r\nkind: B\r\n'),
    ])
    expect(problems).toEqual([])
    expect(manifests.map((m) => m.doc.toJS() as unknown)).toEqual([
      { kind: 'A', data: { k: 'l1\nl2\n' } },
      { kind: 'B' },
    ])
  })

  test('reports a syntax error with file, document and line, never the text', () => {
    const text = [
      'kind: A', // doc 1
      '---',
      'kind: Deployment', // doc 2, line 3
      'metadata:',
      '  name: s3cret-canary',
      'spec:',
      '  strategy:',
      '                type: s3cret-canary-value',
      '    rollingUpdate: s3cret-canary-2',
      '---',
      'kind: C',
    ].join('\n')
    const { manifests, problems } = parseManifests([yamlIn(text)])
    expect(manifests.map((m) => m.index)).toEqual([1, 3])
    expect(problems).toEqual([
      {
        code: 'INPUT_INVALID',
        message: 'invalid YAML: all mapping items must start at the same column (lines 8-9)',
        location: { file: 'in.yaml', document: 2 },
      },
    ])
    expect(JSON.stringify(problems)).not.toContain('canary')
  })

  test.each([
    [
      'an unterminated quote',
      'kind: A\nx: "s3cret-canary\n',
      /^invalid YAML: missing closing "quote \(lines 2-3\)$/,
    ],
    ['a missing colon', 'kind: A\nx: 1\ncanary\n', /^invalid YAML: .*\(line 3, column 1\)$/],
    ['a bad escape', 'kind: A\nx: "\\qcanary"\n', /^invalid YAML: invalid escape sequence/],
    ['a tab indent', 'kind: A\nx:\n\tcanary: 1\n', /^invalid YAML: /],
    ['an unexpected token', 'kind: A\n]canary\n', /^invalid YAML: /],
  ])('never quotes the input in a syntax error: %s', (_name, text, pattern) => {
    const { problems } = parseManifests([yamlIn(text)])
    expect(problems).toHaveLength(1)
    expect(problems[0]?.message).toMatch(pattern)
    expect(problems[0]?.message).not.toContain('canary')
  })

  test('top-level scalars and lists are not Kubernetes objects', () => {
    const { problems } = parseManifests([yamlIn('just text\n---\n- kind: A\n')])
    expect(problems).toEqual([
      {
        code: 'INPUT_INVALID',
        message:
          'the document is a scalar, not a Kubernetes object (a list of objects needs kind: List)',
        location: { file: 'in.yaml', document: 1 },
      },
      {
        code: 'INPUT_INVALID',
        message:
          'the document is a list, not a Kubernetes object (a list of objects needs kind: List)',
        location: { file: 'in.yaml', document: 2 },
      },
    ])
  })

  test('a map without kind is skipped in a plain directory (AVP #252) and an error in a stream', () => {
    const text = 'replicaCount: 1\n---\nkind: ""\n---\nkind: ~\n---\nkind: A\n'
    const dir = parseManifests([yamlIn(text, true)])
    expect(dir.problems).toEqual([])
    expect(dir.manifests.map((m) => m.index)).toEqual([4])
    expect(dir.skipped).toEqual(
      [1, 2, 3].map((index) => ({
        source: 'in.yaml',
        index,
        reason: 'no kind: not a Kubernetes object',
      })),
    )
    const stream = parseManifests([yamlIn(text, false)])
    expect(stream.problems.map((p) => [p.message, p.location?.document])).toEqual([
      ["Object 'Kind' is missing", 1],
      ["Object 'Kind' is missing", 2],
      ["Object 'Kind' is missing", 3],
    ])
  })

  test('duplicate keys are kept; the last kind counts, as in go-yaml', () => {
    const { manifests, problems } = parseManifests([yamlIn('kind: ""\nkind: A\nx: 1\nx: 2\n')])
    expect(problems).toEqual([])
    expect(manifests).toHaveLength(1)
  })

  test('gathers problems from every file and document', () => {
    const result = parseManifests([
      { source: 'a.yaml', text: 'kind: A\n---\n[1\n', skipNonObjects: true },
      { source: 'b.yaml', text: '- x\n', skipNonObjects: true },
      { source: 'c.yaml', text: 'kind: C\n', skipNonObjects: true },
    ])
    expect(result.problems.map((p) => p.location)).toEqual([
      { file: 'a.yaml', document: 2 },
      { file: 'b.yaml', document: 1 },
    ])
    expect(result.manifests.map((m) => m.source)).toEqual(['a.yaml', 'c.yaml'])
  })

  describe('JSON input', () => {
    test('one object becomes block YAML with types kept', () => {
      const text =
        '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x","labels":{"n":"8080","b":"yes","e":""}},"data":{"list":[1,"two",true,null]}}'
      const { manifests, problems } = parseManifests([yamlIn(text)])
      expect(problems).toEqual([])
      const doc = manifests[0]?.doc
      expect(isMap(doc?.contents)).toBe(true)
      expect(String(doc)).toBe(
        [
          'apiVersion: v1',
          'kind: Secret',
          'metadata:',
          '  name: x',
          '  labels:',
          '    "n": "8080"', // `n` is a YAML 1.1 boolean key
          '    b: "yes"',
          '    e: ""',
          'data:',
          '  list:',
          '    - 1',
          '    - two',
          '    - true',
          '    - null',
          '',
        ].join('\n'),
      )
    })

    test('concatenated objects are separate documents; braces in strings do not count', () => {
      const text = '{"kind":"A","s":"}{\\"x"}\n{"kind":"B"}{"kind":"C","m":{"n":[{}]}}'
      const { manifests, problems } = parseManifests([yamlIn(text)])
      expect(problems).toEqual([])
      expect(manifests.map((m) => [m.index, m.doc.toJS() as unknown])).toEqual([
        [1, { kind: 'A', s: '}{"x' }],
        [2, { kind: 'B' }],
        [3, { kind: 'C', m: { n: [{}] } }],
      ])
    })

    test('multi-line strings stay double-quoted, keys stay quoted when ambiguous', () => {
      const { manifests } = parseManifests([yamlIn('{"kind":"A","y":"a\\nb","data":{"on":"x"}}')])
      expect(String(manifests[0]?.doc)).toBe('kind: A\n"y": "a\\nb"\ndata:\n  "on": x\n')
    })

    test('a BOM before JSON is fine', () => {
      expect(kinds('\uFEFF{"kind":"A"}')).toEqual(['A'])
    })

    test('an error in the second object names document 2 and its line', () => {
      const { problems, manifests } = parseManifests([
        yamlIn('{"kind":"A"}\n\n{"kind": "B" "x": 1}\n'),
      ])
      expect(manifests).toHaveLength(1)
      expect(problems).toHaveLength(1)
      expect(problems[0]?.location).toEqual({ file: 'in.yaml', document: 2 })
      expect(problems[0]?.message).toMatch(/^invalid JSON: .*line 3, column \d+\)$/)
    })

    test('a JSON object without kind gets the AVP message', () => {
      const { problems } = parseManifests([yamlIn('{"apiVersion":"v1","secret":"canary"}')])
      expect(problems.map((p) => p.message)).toEqual(["Object 'Kind' is missing"])
    })
  })
})

test('an alias with no anchor before it is one clear problem, not a crash when printing', () => {
  const parsed = parseManifests([
    {
      source: 'a.yaml',
      text: 'kind: A\na: *a\n---\nkind: B\nb: &x 1\nc: *x\n',
      skipNonObjects: false,
    },
  ])
  expect(parsed.problems).toEqual([
    {
      code: 'INPUT_INVALID',
      message: 'invalid YAML: the alias *a refers to no anchor defined before it',
      location: { file: 'a.yaml', document: 1 },
    },
  ])
  expect(parsed.manifests.map((m) => m.index)).toEqual([2])
})
