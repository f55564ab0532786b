import { parseAllDocuments, Scalar, isMap } from 'yaml'
import { ProblemsError } from '../../../src/errors'
import { parseManifests } from '../../../src/input/parse'
import type { Manifest } from '../../../src/input/manifest'
import { formatManifests } from '../../../src/output/write'

function manifestsOf(text: string, source = 'in.yaml'): Manifest[] {
  const { manifests, problems } = parseManifests([{ source, text, skipNonObjects: false }])
  expect(problems).toEqual([])
  return manifests
}

describe('formatManifests (yaml)', () => {
  test('round-trips comments, key order, quoting and untouched scalars verbatim', () => {
    const text = [
      '# leading comment',
      'apiVersion: v1',
      'kind: ConfigMap # trailing comment',
      'metadata:',
      '  name: app',
      '  labels:',
      '    commitId: 81111e1',
      "    single: 'quoted'",
      '    double: "quoted"',
      'data:',
      '  zeta: "1"',
      '  alpha: 012',
      '  enabled: yes',
      '  hex: 0x1F',
      "  flow: [a, 'b', {c: 1}]",
      '  empty: ~',
      '  block: |',
      '    line one',
      '    line two',
      '',
      '  # comment before a key',
      '  later: value',
      '',
    ].join('\n')
    expect(formatManifests(manifestsOf(text), 'yaml')).toBe(`---\n${text}`)
  })

  test('every document starts with its own --- line, no ... markers, no trailing ---', () => {
    const out = formatManifests(
      manifestsOf('kind: A\n...\n---\nkind: B\n---\nkind: C\n...\n'),
      'yaml',
    )
    expect(out).toBe('---\nkind: A\n---\nkind: B\n---\nkind: C\n')
  })

  test('%YAML directives are left out (they would land in the previous chunk)', () => {
    const out = formatManifests(
      manifestsOf('%YAML 1.1\n---\nkind: A\n...\n%YAML 1.1\n---\nkind: B\n'),
      'yaml',
    )
    expect(out).toBe('---\nkind: A\n---\nkind: B\n')
  })

  test('a document comment before --- stays with its document', () => {
    const out = formatManifests(manifestsOf('kind: A\n---\n# about B\nkind: B\n'), 'yaml')
    expect(out).toBe('---\nkind: A\n---\n# about B\nkind: B\n')
  })

  test('long values are never folded', () => {
    const long = 'x'.repeat(50) + ' ' + 'y'.repeat(50) + ' ' + 'z'.repeat(50)
    const text = `kind: A\ndata:\n  a: ${long}\n  b: ${'Q'.repeat(300)}\n`
    expect(formatManifests(manifestsOf(text), 'yaml')).toBe(`---\n${text}`)
  })

  test('a changed scalar prints with the style it was given', () => {
    const [m] = manifestsOf('kind: A\nspec:\n  enabled: <flag>\n')
    const spec = m?.doc.get('spec')
    if (!isMap(spec)) throw new Error('expected a map')
    const node = spec.get('enabled', true)!
    node.value = 'yes'
    node.type = Scalar.QUOTE_DOUBLE
    expect(formatManifests([m!], 'yaml')).toBe('---\nkind: A\nspec:\n  enabled: "yes"\n')
  })

  test('no manifests give the empty string', () => {
    expect(formatManifests([], 'yaml')).toBe('')
    expect(formatManifests([], 'json')).toBe('')
  })

  test('output parses back to the same documents under YAML 1.1', () => {
    const text = 'kind: A\nx: 1\n---\nkind: B\nz: [1, 2]\n'
    const out = formatManifests(manifestsOf(text), 'yaml')
    const docs = parseAllDocuments(out, { version: '1.1' }).map((d) => d.toJS() as unknown)
    expect(docs).toEqual([
      { kind: 'A', x: 1 },
      { kind: 'B', z: [1, 2] },
    ])
  })
})

describe('formatManifests (json)', () => {
  test('one compact object per line with the types a YAML 1.1 reader sees', () => {
    const text = [
      'kind: A',
      'a: yes',
      'b: "yes"',
      'c: 012',
      'd: 0x1F',
      'e: 81111e1',
      'f: ~',
      'g: 2001-12-14',
      'h: 1:20',
      'i: "8080"',
      'j: 8080',
      'k: 1.5',
      'l: [on, off]',
      '---',
      'kind: B',
      'base: &b {x: 1}',
      'merged:',
      '  <<: *b',
      '  z: 2',
      '  y: 3', // `y` is a YAML 1.1 boolean key: go-yaml reads it as "true"
      '',
    ].join('\n')
    const out = formatManifests(manifestsOf(text), 'json')
    const lines = out.split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[2]).toBe('')
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      kind: 'A',
      a: true,
      b: 'yes',
      c: 10,
      d: 31,
      e: 811110,
      f: null,
      g: '2001-12-14',
      h: '1:20',
      i: '8080',
      j: 8080,
      k: 1.5,
      l: [true, false],
    })
    expect(lines[1]).toBe('{"kind":"B","base":{"x":1},"merged":{"x":1,"z":2,"true":3}}')
  })

  test('.inf cannot be written as JSON: a problem naming the document', () => {
    const manifests = manifestsOf('kind: A\n---\nkind: B\nx: .inf\n', 'f.yaml')
    let caught: unknown
    try {
      formatManifests(manifests, 'json')
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(ProblemsError)
    expect((caught as ProblemsError).problems).toEqual([
      {
        code: 'INPUT_INVALID',
        message: '.inf and .nan cannot be written as JSON',
        location: { file: 'f.yaml', document: 2 },
      },
    ])
  })
})
