// Drop-in compatibility with argocd-vault-plugin: AVP's own fixture inputs
// (reference data the project does not ship: the directory named by
// AVP_FIXTURES, read at test time, never copied) replayed through the built CLI with the `file` backend holding the
// secrets AVP's tests seed into Vault (test/fixtures/avp-secrets.yaml,
// docs/design/avp-semantics.md). Outputs are compared semantically, as Argo CD reads
// them (YAML 1.1): the same documents with the same values and types. Key
// order, quoting and comments differ on purpose: AVP re-sorts keys and drops
// comments (docs/design/avp-semantics.md); we keep the input's.
import fs from 'node:fs'
import path from 'node:path'
import { parseAllDocuments } from 'yaml'
import { baseEnv, CLI_PATH, runCli, type CliResult } from '../support/run-cli'

// scripts/test.sh sets AVP_FIXTURES when ../shared/avp-fixtures exists and CI
// always sets it; a bare clone has no such corpus, and then only this file is
// skipped (test.sh says so in one line).
const AVP_FIXTURES = process.env['AVP_FIXTURES'] ?? ''
const replay = AVP_FIXTURES === '' ? describe.skip : describe
const SECRETS = path.resolve(__dirname, '../fixtures/avp-secrets.yaml')
const input = (rel: string): string => path.join(AVP_FIXTURES, 'input', rel)
const output = (rel: string): string =>
  fs.readFileSync(path.join(AVP_FIXTURES, 'output', rel), 'utf8')

function generate(args: readonly string[], stdin?: string): Promise<CliResult> {
  const env = baseEnv({ AVP_TYPE: 'file', AVP_FILE_PATH: SECRETS })
  return runCli(['generate', ...args], { env, ...(stdin === undefined ? {} : { stdin }) })
}

/** The documents of a stream as Argo CD's YAML 1.1 decoder sees them; empty documents dropped. */
function documents(stream: string): unknown[] {
  return parseAllDocuments(stream, { version: '1.1' })
    .map((doc) => {
      expect(doc.errors).toEqual([])
      return doc.toJS() as unknown
    })
    .filter((doc) => doc !== null && doc !== undefined)
}

function expectSameDocuments(actual: CliResult, expected: string): void {
  expect({ code: actual.code, stderr: actual.stderr }).toEqual({ code: 0, stderr: '' })
  const got = documents(actual.stdout)
  const want = documents(expected)
  expect(got).toHaveLength(want.length)
  got.forEach((doc, i) => {
    expect(doc).toEqual(want[i])
  })
}

replay('AVP fixtures replayed through the built CLI (AVP_FIXTURES)', () => {
  beforeAll(() => {
    if (!fs.existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build`)
  })

  test('the AVP fixtures are present (this suite must not pass vacuously)', () => {
    expect(fs.existsSync(path.join(AVP_FIXTURES, 'input/nonempty'))).toBe(true)
    expect(fs.existsSync(path.join(AVP_FIXTURES, 'output/all.yaml'))).toBe(true)
  })

  test('generate input/nonempty gives all.yaml (16 documents, in Go walk order)', async () => {
    const result = await generate([input('nonempty')])
    expectSameDocuments(result, output('all.yaml'))
    expect(documents(result.stdout)).toHaveLength(16)
  })

  test('generate - with full.yaml on stdin gives stdin-full.yaml', async () => {
    const result = await generate(['-'], fs.readFileSync(input('nonempty/full.yaml'), 'utf8'))
    expectSameDocuments(result, output('stdin-full.yaml'))
  })

  test('an ignored secret is passed through unchanged (ignored-secret.yaml)', async () => {
    const result = await generate([input('nonempty/ignored-secret.yaml')])
    expectSameDocuments(result, output('ignored-secret.yaml'))
    // AVP re-sorts the keys (data before kind); we keep the input's order.
    expect(result.stdout.indexOf('kind: Secret')).toBeLessThan(result.stdout.indexOf('data:'))
  })

  test('invalid.yaml on stdin fails closed and names line 18', async () => {
    const result = await generate(['-'], fs.readFileSync(input('invalid.yaml'), 'utf8'))
    expect(result.code).not.toBe(0)
    expect(result.stdout).toBe('')
    // AVP: `yaml: line 18: did not find expected key`. The mis-indented entry is
    // on line 18 and the parser notices it on line 19, so we name both.
    expect(result.stderr).toContain('INPUT_INVALID')
    expect(result.stderr).toMatch(/lines 18-19/)
  })

  test('invalid.yaml as a file fails the same way', async () => {
    const result = await generate([input('invalid.yaml')])
    expect(result.code).not.toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('(lines 18-19)')
    expect(result.stderr).toContain(`${input('invalid.yaml')}#1`)
  })

  test("a path with no YAML files gives AVP's message", async () => {
    const missing = input('does-not-exist/')
    const result = await generate([missing])
    expect(result.code).not.toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(`no YAML or JSON files were found in ${missing}`)
  })

  describe('input/empty: zero manifests', () => {
    // Improvement (docs/design/argocd-cmp-contract.md): AVP prints nothing and exits 0, which
    // Argo CD reads as "the app has no resources" and, with auto-sync and prune,
    // deletes them all. We refuse unless --allow-empty says it is intended.
    test('is refused by default', async () => {
      const result = await generate([input('empty/file.yaml')])
      expect(result.code).not.toBe(0)
      expect(result.stdout).toBe('')
      expect(result.stderr).toContain('--allow-empty')
    })

    test("gives AVP's empty output with --allow-empty, from a file, a directory or stdin", async () => {
      const text = fs.readFileSync(input('empty/file.yaml'), 'utf8')
      for (const result of [
        await generate(['--allow-empty', input('empty/file.yaml')]),
        await generate(['--allow-empty', input('empty')]),
        await generate(['--allow-empty', '-'], text),
      ]) {
        expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' })
      }
    })
  })
})
