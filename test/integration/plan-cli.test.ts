// `plan` through the built CLI: every reference with its status, never a
// value (canary), and a non-zero exit when generate would fail.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { baseEnv, CLI_PATH, runCli, type CliResult } from '../support/run-cli'
import { testdir } from '../support/testdir'

const CANARY = 'canary-7f3a9c-plan-must-never-print'
const CANARY_FORMS = [
  CANARY,
  Buffer.from(CANARY).toString('base64'),
  createHash('sha256').update(CANARY).digest('hex'),
  '5432',
]

const SECRETS = `secret/data/app:
  password: ${CANARY}
  port: 5432
`

const OK_APP = `apiVersion: v1
kind: Secret
metadata:
  name: db
  annotations:
    avp.kubernetes.io/path: secret/data/app
stringData:
  password: <password>
  encoded: <password | base64encode>
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  digest: <path:secret/data/app#password | sha256sum>
  port: <path:secret/data/app#port>
`

const FAILING_APP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: broken
data:
  found: <path:secret/data/app#password>
  key-missing: <path:secret/data/app#nope>
  secret-missing: <path:secret/data/gone#password>
  denied: <path:forbidden/app#password>
`

interface Row {
  readonly resource: string
  readonly field: string
  readonly path?: string
  readonly key?: string
  readonly modifiers: readonly string[]
  readonly status: string
  readonly code?: string
}

function app(manifests: string): { dir: string; env: Record<string, string> } {
  const dir = testdir({ 'app.yaml': manifests, 'secrets.yaml': SECRETS })
  return {
    dir,
    env: baseEnv({
      AVP_TYPE: 'file',
      AVP_FILE_PATH: path.join(dir, 'secrets.yaml'),
      AVP_PATH_VALIDATION: '^secret/',
    }),
  }
}

function expectNoValue(result: CliResult): void {
  for (const form of CANARY_FORMS) {
    expect(result.stdout).not.toContain(form)
    expect(result.stderr).not.toContain(form)
  }
}

function rowsOf(result: CliResult): Row[] {
  return (JSON.parse(result.stdout) as { references: Row[] }).references
}

beforeAll(() => {
  if (!fs.existsSync(CLI_PATH)) throw new Error('dist/cli.cjs is missing: run npm run build')
})

describe('plan', () => {
  test('lists every reference as found, exit 0, and never a value', async () => {
    const { dir, env } = app(OK_APP)
    const json = await runCli(['plan', '-o', 'json', '--render', 'plain', dir], { env })
    expect(json.stderr).toBe('')
    expect(json.code).toBe(0)
    expectNoValue(json)
    expect(
      rowsOf(json).map((r) => [r.resource, r.field, r.key, r.modifiers.join(','), r.status]),
    ).toEqual([
      ['Secret/db', 'stringData.password', 'password', '', 'found'],
      ['Secret/db', 'stringData.encoded', 'password', 'base64encode', 'found'],
      ['ConfigMap/settings', 'data.digest', 'password', 'sha256sum', 'found'],
      ['ConfigMap/settings', 'data.port', 'port', '', 'found'],
    ])

    const table = await runCli(['plan', '--render', 'plain', '.'], { env, cwd: dir })
    expect(table.code).toBe(0)
    expectNoValue(table)
    const lines = table.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(
      /^FILE +RESOURCE +FIELD +BACKEND +PATH +KEY +VERSION +RESOLVED +MODIFIERS +STATUS$/,
    )
    expect(lines).toHaveLength(5)
    expect(lines[2]).toMatch(
      /^app\.yaml#1 +Secret\/db +stringData\.encoded +file +secret\/data\/app +password +- +- +base64encode +found$/,
    )
  })

  test('names each failure, exits 1 (a CI gate), and prints the rows still', async () => {
    const { dir, env } = app(FAILING_APP)
    const result = await runCli(['plan', '-o', 'json', '--render', 'plain', dir], { env })
    expect(result.code).toBe(1)
    expectNoValue(result)
    expect(rowsOf(result).map((r) => [r.field, r.status, r.code])).toEqual([
      ['data.found', 'found', undefined],
      ['data.key-missing', 'key-missing', 'KEY_NOT_FOUND'],
      ['data.secret-missing', 'secret-missing', 'SECRET_NOT_FOUND'],
      ['data.denied', 'denied', 'PATH_DISALLOWED'],
    ])
    // The same one-line problems generate prints, on stderr.
    const generate = await runCli(['generate', '--render', 'plain', dir], { env })
    expect(generate.code).toBe(1)
    const problemLines = (text: string): string[] =>
      text.split('\n').filter((line) => line.startsWith('error: '))
    expect(problemLines(result.stderr)).toEqual(problemLines(generate.stderr))
    expect(problemLines(result.stderr)).toHaveLength(3)
  })

  test('a configuration problem prints nothing on stdout', async () => {
    const { dir, env } = app(OK_APP)
    const result = await runCli(['plan', dir], { env: { ...env, AVP_TYPE: 'nope' } })
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
  })
})
