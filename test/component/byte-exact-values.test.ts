import fc from 'fast-check'
import { parseManifests } from '../../src/input/parse'
import { formatManifests } from '../../src/output/write'
import { applySubstitution, planSubstitution } from '../../src/placeholders'
import { refKey, type Lookup, type RefKey } from '../../src/secrets/ref'
import { Secret } from '../../src/secrets/secret'
import { GoYamlReader, type GoYamlResult } from '../support/goyaml-reader'

/**
 * Every secret value must reach Argo CD byte-exact: whatever characters it
 * holds, go-yaml v2 (the reader Argo CD, kubectl and Helm use, run here as
 * test/support/goyaml) must read back the same string, and the value must not
 * change the object's structure (its keys, kind or namespace). Values are
 * drawn by fast-check with a bias towards the characters go-yaml treats
 * differently from the `yaml` library: U+0085, U+2028, U+2029, C0 and C1
 * controls, DEL, BOM, non-characters, `\r`, and YAML syntax.
 * BYTE_EXACT_RUNS raises the number of cases for a long run.
 */

const RUNS = Number(process.env['BYTE_EXACT_RUNS'] ?? 500)

const TRICKY = [
  '\u0085',
  '\u2028',
  '\u2029',
  '\r',
  '\r\n',
  '\n',
  '\t',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\u007f',
  '\u0080',
  '\u009b',
  '\u00a0',
  '\u0000',
  '\u001b[31m',
  ' ',
  '  ',
  '"',
  "'",
  '\\',
  '#',
  ': ',
  '- ',
  '---',
  '...',
  '|',
  '>',
  '&a',
  '*a',
  '!!binary',
  '%YAML 1.1',
  'kind: Evil',
  'metadata:',
  ' namespace: kube-system',
  '{a: 1}',
  '[x]',
  'yes',
  '0x1F',
  '\u{1f600}',
]

const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 6 }) },
)
const anyValue = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''))

/** The places a value can land, each with the value go-yaml must read there. */
const TEMPLATE = [
  'kind: Thing',
  'metadata:',
  '  name: app',
  '  namespace: team-a',
  '  annotations:',
  '    avp.kubernetes.io/path: secret/data/app',
  'spec:',
  '  whole: <v>',
  '  spliced: pre-<v>-post',
  '  quoted: "<v>"',
  '  flow: [<v>, b]',
  '  block: |',
  '    first <v>',
  '    last',
  '  folded: >',
  '    first <v>',
  '    last',
  '  nested: <path:secret/data/app#map>',
  '  indented: <v | indent 4>',
  '  after: end',
  '',
].join('\n')

function expectedSpec(value: string): Record<string, unknown> {
  return {
    whole: value,
    spliced: `pre-${value}-post`,
    quoted: value,
    flow: [value, 'b'],
    block: `first ${value}\nlast\n`,
    folded: `first ${value} last\n`,
    nested: { [`k-${value}`]: value, list: [value] },
    // `indent 4` pads every later line that is not blank (see indent.ts).
    indented: value
      .split('\n')
      .map((line, i) => (i === 0 ? line : line.trim() === '' ? '' : `    ${line}`))
      .join('\n'),
    after: 'end',
  }
}

function render(value: string, format: 'yaml' | 'json'): string {
  const { manifests, problems } = parseManifests([
    { source: 'app.yaml', text: TEMPLATE, skipNonObjects: false },
  ])
  expect(problems).toEqual([])
  const plan = planSubstitution(manifests, {})
  expect(plan.problems).toEqual([])
  const data = { v: value, map: { [`k-${value}`]: value, list: [value] } }
  const lookups = new Map<RefKey, Lookup>(
    plan.refs.map((ref) => [refKey(ref), { ok: true, data: new Secret(data) }]),
  )
  const applied = applySubstitution(plan, lookups, () => undefined)
  expect(applied).toEqual([])
  return formatManifests(manifests, format)
}

function onlyDoc(result: GoYamlResult): unknown {
  if ('error' in result) throw new Error(`go-yaml refused the output: ${result.error}`)
  expect(result.docs).toHaveLength(1)
  return result.docs[0]
}

describe('secret values reach go-yaml byte-exact', () => {
  let reader: GoYamlReader

  beforeAll(() => {
    reader = new GoYamlReader()
  })

  afterAll(async () => {
    await reader.stop()
  })

  test('the checker itself sees the attack: a raw U+2028 in a plain scalar adds a key', async () => {
    const doc = onlyDoc(await reader.read('a: x\u2028b: 1\n'))
    expect(doc).toEqual({ a: 'x', b: 1 })
  })

  test.each(['yaml', 'json'] as const)(
    'any value round-trips exactly and keeps the structure (%s output)',
    async (format) => {
      await fc.assert(
        fc.asyncProperty(anyValue, async (value) => {
          const out = render(value, format)
          const doc = onlyDoc(await reader.read(out))
          expect(doc).toEqual({
            kind: 'Thing',
            metadata: {
              name: 'app',
              namespace: 'team-a',
              annotations: { 'avp.kubernetes.io/path': 'secret/data/app' },
            },
            spec: expectedSpec(value),
          })
        }),
        { numRuns: RUNS },
      )
    },
    60_000 + RUNS * 20,
  )

  test.each([
    ['move to another namespace', 'x\u2028metadata:\u2028 namespace:\u2028  kube-system'],
    ['change the kind', 'x\u2029kind: ClusterRoleBinding'],
    ['NEL', 'a\u0085b'],
    ['DEL and C1 controls', 'a\u007f\u0080\u009fb'],
    ['non-characters and BOM', '\ufeffa\ufffe\uffff'],
    ['carriage returns', 'a\rb\r\nc'],
  ])('a value that tries to %s arrives unchanged', async (_name, value) => {
    for (const format of ['yaml', 'json'] as const) {
      const doc = onlyDoc(await reader.read(render(value, format))) as {
        metadata: unknown
        kind: unknown
        spec: unknown
      }
      expect(doc.kind).toBe('Thing')
      expect(doc.metadata).toEqual(expect.objectContaining({ namespace: 'team-a' }))
      expect(doc.spec).toEqual(expectedSpec(value))
    }
  })
})
