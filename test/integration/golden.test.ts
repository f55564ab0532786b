// Replays the project's golden cases (docs/design/engineering-rules.md) through the built CLI
// with the `file` backend. A case is a directory under test/fixtures/cases:
//   input/           a tree or a single file (the default argument is `input`)
//   secrets.yaml     the secrets, in the file backend's format
//   args             optional: one CLI argument per line (default: generate input)
//   env              optional: KEY=VALUE lines added to the environment
//   stdin            optional: text piped to the CLI (for `generate -`)
//   expected.yaml    exact stdout of a successful run (stderr must be empty), or
//   expected.stderr  lines stderr must contain, with `exit-code`, for a failing run
//                    (stdout must be empty: fail closed, docs/design/argocd-cmp-contract.md).
// In a failing case every string in secrets.yaml starts with `canary-`, and
// stderr must contain none of them (docs/design/engineering-rules.md).
// UPDATE_GOLDEN=1 rewrites the expected files from the actual run.
import fs from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { baseEnv, CLI_PATH, runCli, type CliResult } from '../support/run-cli'

const CASES_DIR = path.resolve(__dirname, '../fixtures/cases')
const UPDATE = process.env['UPDATE_GOLDEN'] === '1'

const caseNames = fs
  .readdirSync(CASES_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort()

function readOptional(dir: string, name: string): string | undefined {
  const file = path.join(dir, name)
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined
}

function lines(text: string | undefined): string[] {
  return (text ?? '').split('\n').filter((line) => line.trim() !== '')
}

function parseEnv(text: string | undefined): Record<string, string> {
  const env: Record<string, string> = {}
  for (const line of lines(text)) {
    const eq = line.indexOf('=')
    if (eq <= 0) throw new Error(`bad env line: ${line}`)
    env[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return env
}

/** Every string value anywhere in the secrets file (keys and paths excluded). */
function secretStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(secretStrings)
  if (typeof value === 'object' && value !== null)
    return Object.values(value).flatMap(secretStrings)
  return []
}

function runCase(dir: string): Promise<CliResult> {
  const argsText = readOptional(dir, 'args')
  const args = argsText === undefined ? ['generate', 'input'] : lines(argsText)
  const stdin = readOptional(dir, 'stdin')
  const env = baseEnv({
    AVP_TYPE: 'file',
    AVP_FILE_PATH: 'secrets.yaml',
    ...parseEnv(readOptional(dir, 'env')),
  })
  return runCli(args, { cwd: dir, env, ...(stdin === undefined ? {} : { stdin }) })
}

function update(dir: string, result: CliResult): void {
  const remove = (name: string): void => {
    fs.rmSync(path.join(dir, name), { force: true })
  }
  if (result.code === 0) {
    fs.writeFileSync(path.join(dir, 'expected.yaml'), result.stdout)
    remove('expected.stderr')
    remove('exit-code')
  } else {
    fs.writeFileSync(path.join(dir, 'expected.stderr'), result.stderr)
    fs.writeFileSync(path.join(dir, 'exit-code'), `${String(result.code)}\n`)
    remove('expected.yaml')
  }
}

beforeAll(() => {
  if (!fs.existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build`)
})

test('there are golden cases', () => {
  expect(caseNames.length).toBeGreaterThan(30)
})

describe.each(caseNames)('golden case %s', (name) => {
  const dir = path.join(CASES_DIR, name)

  test('matches its expected output', async () => {
    const result = await runCase(dir)
    if (UPDATE) update(dir, result)
    const expectedYaml = readOptional(dir, 'expected.yaml')
    if (expectedYaml !== undefined) {
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' })
      expect(result.stdout).toBe(expectedYaml)
      return
    }
    const expectedStderr = readOptional(dir, 'expected.stderr')
    const exitCode = readOptional(dir, 'exit-code')
    if (expectedStderr === undefined || exitCode === undefined) {
      throw new Error(`${name}: needs expected.yaml, or expected.stderr and exit-code`)
    }
    expect({ code: result.code, stdout: result.stdout }).toEqual({
      code: Number(exitCode.trim()),
      stdout: '',
    })
    for (const line of lines(expectedStderr)) expect(result.stderr).toContain(line)
    const secrets = secretStrings(parse(readOptional(dir, 'secrets.yaml') ?? '') as unknown)
    for (const value of secrets) {
      expect(value).toMatch(/^canary-/)
      expect(result.stderr).not.toContain(value)
    }
  })
})
