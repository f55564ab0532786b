// The secret-versions annotation through the built CLI with the Vault test
// server: KV v2 versions are recorded per object, a rotation changes them,
// KV v1 and pinned versions are left out, and it can be turned off.
import fs from 'node:fs'
import { parseAllDocuments } from 'yaml'
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import { baseEnv, CLI_PATH, runCli, type CliResult } from '../support/run-cli'
import { testdir } from '../support/testdir'

const ANNOTATION = 'argocd-secret-plugin.io/secret-versions'

const APP = `apiVersion: v1
kind: Secret
metadata:
  name: db
  annotations:
    avp.kubernetes.io/path: secret/data/db
stringData:
  password: <password>
  api: <path:secret/data/api#key>
  pinned: <path:secret/data/api#key#1>
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: legacy
data:
  v1: <path:kv/legacy#key>
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: plain
data:
  nothing: here
`

interface Doc {
  readonly metadata: { readonly name: string; readonly annotations?: Record<string, string> }
  readonly stringData?: Record<string, string>
}

let vault: FakeVault

beforeAll(async () => {
  if (!fs.existsSync(CLI_PATH)) throw new Error('dist/cli.cjs is missing: run npm run build')
  vault = await startFakeVault()
  vault.putKv('secret', 'db', { password: 'canary-db-v1' })
  vault.putKv('secret', 'api', { key: 'canary-api-v1' })
  vault.putKv('secret', 'api', { key: 'canary-api-v2' })
  vault.putKv('kv', 'legacy', { key: 'canary-legacy' })
})

afterAll(async () => {
  await vault.stop()
})

async function generate(env: Record<string, string> = {}, args: string[] = []): Promise<Doc[]> {
  const result: CliResult = await runCli(['generate', ...args, '-'], {
    stdin: APP,
    env: baseEnv({
      HOME: testdir(),
      AVP_TYPE: 'vault',
      AVP_AUTH_TYPE: 'token',
      VAULT_ADDR: vault.address,
      VAULT_TOKEN: vault.rootToken,
      ...env,
    }),
  })
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return parseAllDocuments(result.stdout).map((d) => d.toJS() as Doc)
}

const annotationOf = (doc: Doc | undefined): string | undefined =>
  doc?.metadata.annotations?.[ANNOTATION]

test('each object lists the KV v2 version of every unpinned secret it used, and only that', async () => {
  const [secret, legacy, plain] = await generate()
  const recorded = annotationOf(secret)
  expect(recorded).toBe('{"secret/data/api":"2","secret/data/db":"1"}')
  expect(recorded).not.toMatch(/canary/)
  // The AVP annotation beside it is untouched.
  expect(secret?.metadata.annotations?.['avp.kubernetes.io/path']).toBe('secret/data/db')
  // KV v1 has no versions; an object without references gets nothing.
  expect(legacy?.metadata.annotations).toBeUndefined()
  expect(plain?.metadata.annotations).toBeUndefined()
})

test('a rotation changes the recorded version along with the value', async () => {
  vault.putKv('secret', 'db', { password: 'canary-db-v2' })
  const [secret] = await generate()
  expect(secret?.stringData?.['password']).toBe('canary-db-v2')
  expect(annotationOf(secret)).toBe('{"secret/data/api":"2","secret/data/db":"2"}')
})

test('--no-record-versions and AVP_RECORD_VERSIONS=false turn it off', async () => {
  for (const [env, args] of [
    [{}, ['--no-record-versions']],
    [{ AVP_RECORD_VERSIONS: 'false' }, []],
  ] as const) {
    const [secret] = await generate(env, [...args])
    expect(secret?.metadata.annotations).toEqual({ 'avp.kubernetes.io/path': 'secret/data/db' })
  }
})

test('plan shows the version each reference resolves to, and no value', async () => {
  const result = await runCli(['plan', '-o', 'json', '-'], {
    stdin: APP,
    env: baseEnv({
      HOME: testdir(),
      AVP_TYPE: 'vault',
      AVP_AUTH_TYPE: 'token',
      VAULT_ADDR: vault.address,
      VAULT_TOKEN: vault.rootToken,
    }),
  })
  expect(result.code).toBe(0)
  expect(result.stdout).not.toMatch(/canary/)
  const rows = (JSON.parse(result.stdout) as { references: { field: string; resolved?: string }[] })
    .references
  expect(Object.fromEntries(rows.map((r) => [r.field, r.resolved ?? null]))).toEqual({
    'stringData.password': expect.stringMatching(/^\d+$/) as unknown,
    'stringData.api': '2',
    'stringData.pinned': '1',
    'data.v1': null,
  })
})
