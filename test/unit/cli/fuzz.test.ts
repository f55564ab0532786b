// Fuzz over the placeholder grammar, the modifiers and whole YAML and JSON
// documents, through the CLI in-process: whatever the input, a run ends with
// a known exit code (never 70, "a bug"), prints nothing on stdout when it
// fails, and does not hang. FUZZ_RUNS sets the case count; NIGHTLY=1 runs 50000 per property (100000 in all).
import fc from 'fast-check'
import { run } from '../../../src/cli/program'
import { ExitCode } from '../../../src/errors'
import { testdir } from '../../support/testdir'

const RUNS = Number(process.env['FUZZ_RUNS'] ?? (process.env['NIGHTLY'] === '1' ? 50_000 : 150))
const KNOWN_EXITS = new Set<number>([0, 1, 2, 3, 4])
// CI runs a fixed seed so a red run is reproducible and never depends on luck;
// FUZZ_SEED picks another, and a nightly run explores with a fresh one.
const SEED_TEXT =
  process.env['FUZZ_SEED'] ?? (process.env['NIGHTLY'] === '1' ? undefined : '20261204')
const SETTINGS = { numRuns: RUNS, ...(SEED_TEXT === undefined ? {} : { seed: Number(SEED_TEXT) }) }

const dir = testdir({
  'secrets.yaml': [
    'secret/data/app:',
    '  plain: s3cret',
    '  json: \'{"a": [1, {"b": "c"}], "d": null}\'',
    '  yaml: "a: [1, 2]\\nb: {c: d}"',
    '  b64: aGVsbG8=',
    '  num: 5432',
    '  multi: "line one\\nline two"',
    '',
  ].join('\n'),
})

async function generate(stdin: string): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await run(['generate', '-'], {
    readStdin: () => Promise.resolve(stdin),
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    env: { AVP_TYPE: 'file', AVP_FILE_PATH: `${dir}/secrets.yaml`, AVP_DEADLINE: '10' },
    cwd: dir,
    signal: new AbortController().signal,
  })
  return { code, out, err }
}

function expectHandled(result: { code: number; out: string; err: string }): void {
  if (!KNOWN_EXITS.has(result.code)) throw new Error(`exit ${String(result.code)}: ${result.err}`)
  if (result.code !== ExitCode.OK) expect(result.out).toBe('')
}

const word = fc.constantFrom(
  'secret/data/app',
  'plain',
  'json',
  'yaml',
  'b64',
  'num',
  'multi',
  'missing',
  '',
  ' ',
  '#',
  '<',
  '>',
  '|',
  'path:',
  '\\n',
  '"',
  "'",
  ':',
  '{',
  '}',
  '[',
  ']',
  '$',
  '.',
  '*',
  '@',
  '..',
  '-1',
  '0',
  '99',
)
const modifier = fc.oneof(
  fc.constantFrom(
    'base64encode',
    'base64decode',
    'jsonParse',
    'yamlParse',
    'sha256sum',
    'indent 2',
    'indent -1',
    'indent x',
    'jsonPath {.a}',
    'jsonPath {.a[1].b}',
    'jsonPath {$}',
    'jsonPath {.a[*]}',
    'jsonPath {range .a[*]}{@}{end}',
    'jsonPath {',
    'unknown',
    '',
  ),
  fc.array(word, { maxLength: 4 }).map((w) => `jsonPath {${w.join('')}}`),
)
const placeholder = fc
  .tuple(
    fc.constantFrom('<path:secret/data/app#', '<path:', '<', '<<path:secret/data/app#'),
    fc.array(word, { maxLength: 3 }),
    fc.array(modifier, { maxLength: 3 }),
  )
  .map(([open, key, mods]) => `${open}${key.join('')}${mods.map((m) => ` | ${m}`).join('')}>`)

const value = fc.oneof(
  placeholder,
  fc.string({ maxLength: 20 }),
  fc.array(word).map((w) => w.join('')),
)

/** A Kubernetes object with placeholders in values, as YAML (flow or block) or JSON. */
const manifest = fc
  .tuple(
    fc.constantFrom('ConfigMap', 'Secret', 'List'),
    fc.boolean(),
    fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), value, { maxKeys: 5 }),
    fc.constantFrom('yaml', 'json', 'flow'),
  )
  .map(([kind, annotated, data, format]) => {
    const metadata: Record<string, unknown> = { name: 'x' }
    if (annotated) metadata['annotations'] = { 'avp.kubernetes.io/path': 'secret/data/app' }
    const object = {
      apiVersion: 'v1',
      kind,
      metadata,
      [kind === 'Secret' ? 'stringData' : 'data']: data,
    }
    if (format === 'json') return JSON.stringify(object)
    const lines = Object.entries(data).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
    const annotation = annotated ? '  annotations: {avp.kubernetes.io/path: secret/data/app}\n' : ''
    return `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: x\n${annotation}data:\n${lines.join('\n')}\n`
  })

/** Arbitrary text built from YAML's own punctuation, to reach the parser's error paths. */
const yamlNoise = fc
  .array(
    fc.constantFrom(
      '---\n',
      '...\n',
      'kind: A\n',
      'a: ',
      '- ',
      '  ',
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '&a ',
      '*a',
      '!!str ',
      '!tag ',
      '"',
      "'",
      '#',
      '|\n',
      '>\n',
      '\t',
      '\n',
      '<path:secret/data/app#plain>',
      '\u2028',
      '\uFEFF',
      '%YAML 1.1\n',
      '? ',
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''))

describe('fuzz: no crash, no exit 70, nothing printed on failure', () => {
  test('placeholders and modifiers in whole documents', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(manifest, { minLength: 1, maxLength: 3 }), async (docs) => {
        const text = docs[0]?.startsWith('{') ? docs.join('\n') : docs.join('---\n')
        expectHandled(await generate(text))
      }),
      SETTINGS,
    )
  }, 600_000)

  test('YAML and JSON noise', async () => {
    await fc.assert(
      fc.asyncProperty(yamlNoise, async (text) => {
        expectHandled(await generate(text))
      }),
      // Inputs fuzzing once found: an alias with no anchor crashed the printer.
      { ...SETTINGS, examples: [['kind: A\na: *a']] },
    )
  }, 600_000)
})
