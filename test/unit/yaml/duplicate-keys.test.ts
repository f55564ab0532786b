// Each kind of YAML the plugin reads treats a repeated map key as the tool
// behind it does: manifests and Helm values accept it (go-yaml v2 and helm
// keep the last), the files whose meaning would be a guess refuse it.
import { parseSecretsFile } from '../../../src/backends/file/secrets-file'
import { parseYamlConfig } from '../../../src/config/parse-structured'
import { parseManifests } from '../../../src/input/parse'
import { silentLog } from '../../../src/log'
import { SecretResolver } from '../../../src/pipeline/secret-resolver'
import { resolvingSubstituter } from '../../../src/pipeline/substitute'
import { valuesResolver } from '../../../src/pipeline/values'
import { ProblemsError } from '../../../src/errors'
import { parseValues } from '../../../src/render/chart-values'
import { parseYamlDocument, parseYamlStream, stripBom } from '../../../src/yaml/parse'

const DUPLICATE = 'a: 1\nb: 2\na: 3\n'

/** The values resolver as the pipeline builds it, with no backend configured. */
function resolveValuesText(text: string): Promise<string> {
  const resolver = new SecretResolver(
    undefined,
    {
      log: silentLog,
      registerSecret: () => undefined,
      env: {},
      cwd: '/',
      disableTokenCache: false,
    },
    { signal: new AbortController().signal, deadlineMs: 1000 },
  )
  const substitute = resolvingSubstituter({}, resolver, () => undefined, silentLog)
  return valuesResolver(substitute)(text, 'values.yaml')
}

test('a manifest with a repeated key is accepted', () => {
  const parsed = parseManifests([
    {
      source: 'm.yaml',
      text: `kind: ConfigMap\nmetadata: {name: x}\n${DUPLICATE}`,
      skipNonObjects: false,
    },
  ])
  expect(parsed.problems).toEqual([])
  expect(parsed.manifests).toHaveLength(1)
})

test('a Helm values file with a repeated key is accepted, as helm accepts it', async () => {
  await expect(resolveValuesText(DUPLICATE)).resolves.toBe(DUPLICATE)
  expect(parseValues(DUPLICATE)).toEqual({ a: 3, b: 2 })
})

test('an invalid values file names its line, never "line ?"', async () => {
  const error: unknown = await resolveValuesText('a: 1\n  b: 2\n').catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ProblemsError)
  const [problem] = (error as ProblemsError).problems
  expect(problem?.message).toMatch(/^invalid YAML in values file: .* \(lines? [0-9]/)
  expect(problem?.message).not.toContain('?')
})

test('a secrets file with a repeated key is refused, naming the line', () => {
  const file = parseSecretsFile('p:\n  k: 1\n  k: 2\n', 's.yaml')
  expect(file.lookup({ path: 'p' })).toEqual({
    ok: false,
    failure: {
      code: 'CONFIG_INVALID',
      message: 'secrets file s.yaml (AVP_FILE_PATH) is not valid YAML or JSON (line 3)',
    },
  })
})

test('a config file with a repeated key is refused, naming the line', () => {
  expect(parseYamlConfig('AVP_TYPE: vault\nVAULT_ADDR: a\nAVP_TYPE: file\n')).toEqual({
    entries: [],
    issues: ['not valid YAML (DUPLICATE_KEY at line 3)'],
  })
})

test('Chart.yaml and a yamlParse value refuse a repeated key; printed output keeps it', () => {
  expect(parseYamlDocument(DUPLICATE, 'chartFile').result.errors.map((e) => e.code)).toEqual([
    'DUPLICATE_KEY',
  ])
  expect(parseYamlStream(DUPLICATE, 'secretValue').result[0]?.errors.map((e) => e.code)).toEqual([
    'DUPLICATE_KEY',
  ])
  expect(parseYamlDocument(DUPLICATE, 'printedOutput').result.errors).toEqual([])
})

test('one BOM stripper: only a leading byte-order mark goes', () => {
  expect(stripBom('\uFEFFa: 1')).toBe('a: 1')
  expect(stripBom('a: \uFEFF')).toBe('a: \uFEFF')
})
