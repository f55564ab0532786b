// No secret leaves through a side door. Canary values and canary credentials
// go through the error paths of every backend (file, Vault, AWS, Kubernetes
// Secret, SOPS, GCP, Azure Key Vault, 1Password Connect) and of Helm
// and Kustomize, including tools that fail AFTER values were substituted and
// print them back, with --verbose on. Every run is then searched for the
// canaries in every form a program prints them: raw, Go-quoted, JSON-escaped,
// base64 and URL-encoded, on stderr, in the files left in the run's TMPDIR,
// and in the argv and environment of the child processes (a recording `helm`
// stands in front of the real one). The forms are computed here, not by the
// plugin's code, and the Go-quoted ones were printed by Go itself.
import fs from 'node:fs'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import {
  azureEnv,
  startFakeAzureKeyVault,
  type FakeAzureKeyVault,
} from '../support/fake-azure-key-vault'
import {
  gcpEnv,
  startFakeGcpSecretManager,
  type FakeGcpSecretManager,
} from '../support/fake-gcp-secret-manager'
import { generateTestPki, startFakeKubeApi, type FakeKubeApi } from '../support/fake-kube-api'
import { startFakeConnect, type FakeConnect } from '../support/fake-op-connect'
import { startFakeSecretsManager, type FakeSecretsManager } from '../support/fake-secrets-manager'
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import { awsEnv } from '../support/moto'
import { baseEnv, runCli, type CliResult } from '../support/run-cli'
import { testdir } from '../support/testdir'
import { requireTool, toolsPath } from '../support/tools'

// Each test runs the CLI (and helm) once or twice; a loaded CI machine needs more than 5 s.
jest.setTimeout(30_000)

/** A canary value with the forms Go's %q and the schema validator print for it. */
interface Canary {
  readonly value: string
  readonly goForms: readonly string[]
}

const PLAIN: Canary = { value: 'canary-plain-7f3a9c41', goForms: [] }
// Needs escaping everywhere: tab, backslash, quote, a control character.
const ESCAPED: Canary = {
  value: 'canary\tesc\\ape"d\u0001-2b8e',
  goForms: ['canary\\tesc\\\\ape\\"d\\x01-2b8e', 'canary\\tesc\\\\ape"d\\x01-2b8e'],
}
// Changes under URL encoding.
const URLISH: Canary = { value: 'canary url/?&=+é-5d1c', goForms: [] }
// Over 32 KB: the size that used to crash the masking.
const BIG: Canary = {
  value: Array.from({ length: 2500 }, (_, i) => `canary-big-${String(i).padStart(5, '0')}`).join(
    ':',
  ),
  goForms: [],
}

const VALUES: readonly Canary[] = [PLAIN, ESCAPED, URLISH, BIG]

const VAULT_TOKEN = 'hvs.canary-vault-token-91c2'
const VAULT_SECRET_ID = 'canary-secret-id-44d0'
const AWS_SECRET_KEY = 'canaryAwsSecretKey0000000000000000000000'

/** Every form of `text` a program may print. */
function formsOf(canary: Canary | string): string[] {
  const value = typeof canary === 'string' ? canary : canary.value
  const goForms = typeof canary === 'string' ? [] : canary.goForms
  const forms = [
    value,
    JSON.stringify(value).slice(1, -1),
    Buffer.from(value).toString('base64'),
    Buffer.from(value).toString('base64url'),
    encodeURIComponent(value),
    encodeURIComponent(value).replace(/%20/g, '+'),
    value.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ''),
    ...goForms,
  ]
  // A long value leaks if any sizeable part of it shows: any 40 characters
  // starting at a multiple of 8 (so any 47 characters in a row are caught).
  if (value.length <= 64) return forms
  const parts: string[] = []
  for (let at = 0; at + 40 <= value.length; at += 8) parts.push(value.slice(at, at + 40))
  return [...forms, ...parts]
}

const KUBE_TOKEN = 'canary-kube-sa-token-3e71'
const OP_TOKEN = 'canary-op-connect-token-9a02'
const AZURE_WRONG_SECRET = 'canary-azure-wrong-client-secret-5c88'

/** Every secret searched for; a backend's describe adds the credentials its fake makes. */
const ALL_SECRETS: (Canary | string)[] = [
  ...VALUES,
  VAULT_TOKEN,
  VAULT_SECRET_ID,
  AWS_SECRET_KEY,
  KUBE_TOKEN,
  OP_TOKEN,
  AZURE_WRONG_SECRET,
]

/** Names each (secret, form) found in `text`. */
function leaksIn(text: string): string[] {
  const found: string[] = []
  for (const secret of ALL_SECRETS) {
    for (const form of formsOf(secret)) {
      if (text.includes(form)) found.push(JSON.stringify(form.slice(0, 40)))
    }
  }
  return found
}

/** Every regular file under `dir` with its content. */
function filesUnder(dir: string): { file: string; text: string }[] {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name)
      return { file, text: fs.readFileSync(file, 'latin1') + fs.readFileSync(file, 'utf8') }
    })
}

/**
 * A `helm` (or `kustomize`) on PATH that records its argv and environment,
 * then runs the real tool, or fails printing every value file it was given
 * (raw and JSON-quoted), as a tool's error message might.
 */
function recordingTool(
  name: 'helm' | 'kustomize',
  mode: 'pass' | 'echo-and-fail',
): {
  bin: string
  record: string
} {
  const bin = testdir()
  const record = path.join(testdir(), 'calls.jsonl')
  const real = requireTool(name)
  const script = `#!${process.execPath}
const fs = require('node:fs')
const { spawnSync } = require('node:child_process')
const argv = process.argv.slice(2)
fs.appendFileSync(${JSON.stringify(record)}, JSON.stringify({ argv, env: process.env }) + '\\n')
if (${JSON.stringify(mode)} === 'echo-and-fail' && argv[0] === 'template') {
  for (const arg of argv) {
    const file = arg.startsWith('--values=') ? arg.slice(9) : undefined
    if (file === undefined) continue
    const text = fs.readFileSync(file === '-' ? 0 : file, 'utf8')
    process.stderr.write('Error: bad values in ' + file + ':\\n' + text + '\\n' + JSON.stringify(text) + '\\n')
  }
  process.exit(1)
}
const out = spawnSync(${JSON.stringify(real)}, argv, { stdio: 'inherit' })
process.exit(out.status ?? 1)
`
  fs.writeFileSync(path.join(bin, name), script, { mode: 0o755 })
  return { bin, record }
}

interface Checked {
  readonly result: CliResult
  readonly tmp: string
}

/** Runs the CLI with --verbose and a fresh TMPDIR, and checks every side door. */
async function runAndCheck(
  args: readonly string[],
  env: Record<string, string | undefined>,
  record?: string,
  cwd?: string,
): Promise<Checked> {
  const tmp = testdir()
  const result = await runCli(['generate', '--verbose', ...args], {
    env: baseEnv({ TMPDIR: tmp, ...env }),
    timeoutMs: 60_000,
    ...(cwd === undefined ? {} : { cwd }),
  })
  expect({ stderr: leaksIn(result.stderr) }).toEqual({ stderr: [] })
  for (const { file, text } of filesUnder(tmp)) {
    expect({ file, leaks: leaksIn(text) }).toEqual({ file, leaks: [] })
  }
  if (record !== undefined) {
    const calls = fs.readFileSync(record, 'utf8')
    expect(calls.length).toBeGreaterThan(0)
    expect({ childArgvAndEnv: leaksIn(calls) }).toEqual({ childArgvAndEnv: [] })
  }
  return { result, tmp }
}

function failed(result: CliResult, code: number): void {
  expect(result.stdout).toBe('')
  expect(result.code).toBe(code)
}

const DATA = { plain: PLAIN.value, escaped: ESCAPED.value, urlish: URLISH.value, big: BIG.value }

/** Placeholders for every canary, each also through a modifier that fails on it. */
function manifest(pathOf: (key: string) => string, failing: boolean): string {
  const keys = Object.keys(DATA)
  const lines = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: app',
    'data:',
    ...keys.map((k) => `  ${k}: <path:${pathOf(k)}>`),
    ...(failing
      ? [
          ...keys.map((k) => `  ${k}-json: <path:${pathOf(k)} | jsonParse>`),
          ...keys.map((k) => `  ${k}-b64: <path:${pathOf(k)} | base64decode>`),
          `  missing: <path:${pathOf('nosuchkey')}>`,
        ]
      : []),
    '',
  ]
  return lines.join('\n')
}

function chart(values: string, schema?: string): string {
  const files: Record<string, string> = {
    'Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
    'values.yaml': values,
    'templates/cm.yaml': [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: app',
      'data:',
      '  plain: {{ .Values.plain | quote }}',
      '  escaped: {{ .Values.escaped | quote }}',
      '  urlish: {{ .Values.urlish | quote }}',
      '  big: {{ .Values.big | quote }}',
      '',
    ].join('\n'),
  }
  if (schema !== undefined) files['values.schema.json'] = schema
  return testdir(files)
}

const CHART_VALUES = Object.keys(DATA)
  .map((k) => `${k}: <path:app#${k}>`)
  .join('\n')

// A schema the short values break: helm then quotes each of them in its
// error (in no fixed order; the long one would push the others out of the
// stderr tail).
const REJECTING_SCHEMA = JSON.stringify({
  type: 'object',
  properties: Object.fromEntries(
    ['plain', 'escaped', 'urlish'].map((k) => [k, { type: 'string', pattern: '^nope$' }]),
  ),
})

/** PATH with the recording tool first, and Helm value files resolved before helm runs. */
function helmWithValues(bin: string): Record<string, string> {
  return {
    PATH: `${bin}:${toolsPath()}`,
    ARGOCD_APP_PARAMETERS: JSON.stringify([
      { name: 'resolve-values-placeholders', string: 'true' },
    ]),
  }
}

describe('file backend', () => {
  const secrets = (): string => {
    const dir = testdir({ 'secrets.json': JSON.stringify({ app: DATA }) })
    return path.join(dir, 'secrets.json')
  }
  const env = (extra: Record<string, string> = {}) => ({
    PATH: toolsPath(),
    AVP_TYPE: 'file',
    AVP_FILE_PATH: secrets(),
    ...extra,
  })

  test('a run that succeeds, with a value over 32 KB and --verbose', async () => {
    const dir = testdir({ 'app.yaml': manifest((k) => `app#${k}`, false) })
    const { result } = await runAndCheck([dir], env())
    expect(result.stderr).not.toMatch(/^error/m)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(PLAIN.value)
  })

  test('a Helm run that succeeds with a value over 32 KB and --verbose', async () => {
    const { bin, record } = recordingTool('helm', 'pass')
    const dir = chart(CHART_VALUES)
    const { result } = await runAndCheck([dir], env(helmWithValues(bin)), record)
    expect(result.stderr).not.toMatch(/^error/m)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(BIG.value)
  })

  test('modifiers that fail on the values, and a missing key', async () => {
    const dir = testdir({ 'app.yaml': manifest((k) => `app#${k}`, true) })
    const { result } = await runAndCheck([dir], env())
    failed(result, 1)
    expect(result.stderr).toMatch(/^error: MODIFIER_FAILED: /m)
    expect(result.stderr).toMatch(/^error: KEY_NOT_FOUND: /m)
  })

  test('helm rejects the substituted values with its schema (it quotes them Go-style)', async () => {
    const { bin, record } = recordingTool('helm', 'pass')
    const dir = chart(CHART_VALUES, REJECTING_SCHEMA)
    const { result } = await runAndCheck([dir], env(helmWithValues(bin)), record)
    failed(result, 3)
    expect(result.stderr).toMatch(/does not match pattern/)
  })

  test('helm fails after substitution, printing the resolved values file back', async () => {
    const { bin, record } = recordingTool('helm', 'echo-and-fail')
    const dir = chart(CHART_VALUES)
    const { result } = await runAndCheck([dir], env(helmWithValues(bin)), record)
    failed(result, 3)
    expect(result.stderr).toMatch(/^error: RENDER_FAILED: helm template failed/m)
  })

  test('value files whose placeholders fail: helm never runs', async () => {
    const { bin } = recordingTool('helm', 'pass')
    const dir = chart(
      `${CHART_VALUES}\nbroken: <path:app#plain | jsonParse>\nmissing: <path:app#nosuchkey>`,
    )
    const { result } = await runAndCheck([dir], env(helmWithValues(bin)))
    failed(result, 1)
  })

  test('kustomize fails on a generated file after the plugin ran nothing secret through it', async () => {
    const { bin, record } = recordingTool('kustomize', 'pass')
    const dir = testdir({
      'kustomization.yaml': 'resources:\n  - app.yaml\n  - missing.yaml\n',
      'app.yaml': manifest((k) => `app#${k}`, false),
    })
    const { result } = await runAndCheck([dir], env({ PATH: `${bin}:${toolsPath()}` }), record)
    failed(result, 3)
  })

  test('kustomize output whose placeholders fail on the values', async () => {
    const { bin, record } = recordingTool('kustomize', 'pass')
    const dir = testdir({
      'kustomization.yaml': 'resources:\n  - app.yaml\n',
      'app.yaml': manifest((k) => `app#${k}`, true),
    })
    const { result } = await runAndCheck([dir], env({ PATH: `${bin}:${toolsPath()}` }), record)
    failed(result, 1)
  })
})

describe('vault backend', () => {
  let vault: FakeVault

  beforeAll(async () => {
    vault = await startFakeVault()
    vault.putKv('secret', 'app', DATA)
    vault.putKv('secret', 'denied', { k: PLAIN.value })
    vault.addPolicy('limited', { allow: ['*'], deny: ['secret/data/denied'] })
    vault.addApprole('role-c', VAULT_SECRET_ID, { policies: ['limited'] })
    vault.addToken(VAULT_TOKEN, { policies: ['limited'] })
  })

  afterAll(async () => {
    await vault.stop()
  })

  const approle = (extra: Record<string, string> = {}) => ({
    PATH: toolsPath(),
    HOME: testdir(),
    AVP_TYPE: 'vault',
    VAULT_ADDR: vault.address,
    AVP_AUTH_TYPE: 'approle',
    AVP_ROLE_ID: 'role-c',
    AVP_SECRET_ID: VAULT_SECRET_ID,
    ...extra,
  })

  test('values that fail modifiers, a missing key, a denied path (approle)', async () => {
    const dir = testdir({
      'app.yaml': `${manifest((k) => `secret/data/app#${k}`, true)}---\n${[
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: denied',
        'data:',
        '  k: <path:secret/data/denied#k>',
        '',
      ].join('\n')}`,
    })
    const { result } = await runAndCheck([dir], approle())
    failed(result, 1)
    expect(result.stderr).toMatch(/^error: ACCESS_DENIED: /m)
  })

  test('a wrong secret id: the login fails', async () => {
    const dir = testdir({ 'app.yaml': manifest((k) => `secret/data/app#${k}`, false) })
    const { result } = await runAndCheck(
      [dir],
      approle({ AVP_SECRET_ID: `${VAULT_SECRET_ID}-wrong` }),
    )
    failed(result, 1)
    expect(result.stderr).toMatch(/^error: AUTH_FAILED: /m)
  })

  test('a token that the server refuses, and one that works with a helm failure after substitution', async () => {
    const dir = testdir({ 'app.yaml': manifest((k) => `secret/data/app#${k}`, false) })
    const refused = await runAndCheck(
      [dir],
      approle({ AVP_AUTH_TYPE: 'token', VAULT_TOKEN: `${VAULT_TOKEN}-revoked` }),
    )
    failed(refused.result, 1)

    const { bin, record } = recordingTool('helm', 'echo-and-fail')
    const chartDir = chart(
      Object.keys(DATA)
        .map((k) => `${k}: <path:secret/data/app#${k}>`)
        .join('\n'),
    )
    const { result } = await runAndCheck(
      [chartDir],
      approle({ ...helmWithValues(bin), AVP_AUTH_TYPE: 'token', VAULT_TOKEN }),
      record,
    )
    failed(result, 3)
  })
})

describe('aws backend', () => {
  let aws: FakeSecretsManager

  beforeAll(async () => {
    aws = await startFakeSecretsManager()
    aws.put('app', { string: JSON.stringify(DATA) })
    aws.put('denied', { string: JSON.stringify({ k: PLAIN.value }) })
  })

  afterAll(async () => {
    await aws.close()
  })

  beforeEach(() => {
    aws.reset()
    aws.put('app', { string: JSON.stringify(DATA) })
    aws.put('denied', { string: JSON.stringify({ k: PLAIN.value }) })
  })

  const env = () => ({
    PATH: toolsPath(),
    ...awsEnv(aws.endpoint, { AWS_SECRET_ACCESS_KEY: AWS_SECRET_KEY }),
  })

  test('values that fail modifiers and a missing key', async () => {
    const dir = testdir({ 'app.yaml': manifest((k) => `app#${k}`, true) })
    const { result } = await runAndCheck([dir], env())
    failed(result, 1)
  })

  test('access denied, throttling and decryption failures', async () => {
    aws.fault({ op: 'BatchGetSecretValue', kind: 'AccessDeniedException' })
    aws.fault({ op: 'GetSecretValue', kind: 'DecryptionFailure' })
    const dir = testdir({ 'app.yaml': manifest((k) => `app#${k}`, false) })
    const { result } = await runAndCheck([dir], env())
    failed(result, 1)
  })
})

/** A Helm chart whose value files read every canary through `pathOf`. */
function chartReading(pathOf: (key: string) => string): string {
  return chart(
    Object.keys(DATA)
      .map((k) => `${k}: <path:${pathOf(k)}>`)
      .join('\n'),
  )
}

describe('kubernetessecret backend', () => {
  let api: FakeKubeApi
  let saDir: string

  beforeAll(async () => {
    const root = testdir()
    const pki = generateTestPki(path.join(root, 'pki'), 'kube')
    api = await startFakeKubeApi(pki, KUBE_TOKEN)
    saDir = path.join(root, 'sa')
    fs.mkdirSync(saDir)
    fs.writeFileSync(path.join(saDir, 'token'), `${KUBE_TOKEN}\n`)
    fs.writeFileSync(path.join(saDir, 'ca.crt'), pki.caCert)
    api.setSecret('argocd', 'app', DATA)
    api.setSecret('argocd', 'denied', { k: PLAIN.value })
  })

  afterAll(async () => {
    await api.close()
  })

  const env = (extra: Record<string, string> = {}) => ({
    PATH: toolsPath(),
    AVP_TYPE: 'kubernetessecret',
    KUBERNETES_SERVICE_HOST: api.host,
    KUBERNETES_SERVICE_PORT: String(api.port),
    AVP_SERVICE_ACCOUNT_DIR: saDir,
    ...extra,
  })

  test('values that fail modifiers, a missing key, a denied Secret', async () => {
    api.reset()
    api.fault('argocd', 'denied', 403)
    const dir = testdir({
      'app.yaml': `${manifest((k) => `app#${k}`, true)}---\n${manifest(() => 'denied#k', false).replace('name: app', 'name: denied')}`,
    })
    const { result } = await runAndCheck([dir], env())
    failed(result, 1)
    expect(result.stderr).toMatch(/^error: ACCESS_DENIED: /m)
    expect(result.stderr).toMatch(/^error: MODIFIER_FAILED: /m)
  })

  test('helm fails after substitution, printing the resolved values back', async () => {
    api.reset()
    const { bin, record } = recordingTool('helm', 'echo-and-fail')
    const dir = chartReading((k) => `app#${k}`)
    const { result } = await runAndCheck([dir], env(helmWithValues(bin)), record)
    failed(result, 3)
  })
})

describe('sops backend', () => {
  let app: string
  let keyFile: string
  let ageSecret: string

  beforeAll(() => {
    const root = testdir()
    app = path.join(root, 'repo', 'apps', 'web')
    fs.mkdirSync(app, { recursive: true })
    keyFile = path.join(root, 'keys.txt')
    execFileSync(requireTool('age-keygen'), ['-o', keyFile], { stdio: 'pipe' })
    const keys = fs.readFileSync(keyFile, 'utf8')
    ageSecret = /^(AGE-SECRET-KEY-\w+)$/m.exec(keys)?.[1] ?? ''
    ALL_SECRETS.push(ageSecret)
    const recipient = /public key: (age1\w+)/.exec(keys)?.[1] ?? ''
    const plain = path.join(root, 'plain.json')
    fs.writeFileSync(plain, JSON.stringify(DATA))
    const encrypted = execFileSync(requireTool('sops'), ['encrypt', '--age', recipient, plain], {
      env: { PATH: process.env['PATH'] ?? '', HOME: root },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    fs.writeFileSync(path.join(app, 'secrets.enc.json'), encrypted)
  })

  const env = (extra: Record<string, string> = {}) => ({
    PATH: toolsPath(),
    AVP_TYPE: 'sops',
    SOPS_AGE_KEY: ageSecret,
    ARGOCD_APP_SOURCE_PATH: 'apps/web',
    ...extra,
  })

  test('values that fail modifiers, a missing key, the age key given inline', async () => {
    fs.writeFileSync(
      path.join(app, 'app.yaml'),
      manifest((k) => `secrets.enc.json#${k}`, true),
    )
    const { result } = await runAndCheck(['.'], env(), undefined, app)
    failed(result, 1)
    expect(result.stderr).toMatch(/^error: MODIFIER_FAILED: /m)
    expect(result.stderr).toMatch(/^error: KEY_NOT_FOUND: /m)
  })

  test('helm fails after substitution, printing the resolved values back', async () => {
    const { bin, record } = recordingTool('helm', 'echo-and-fail')
    const chartDir = path.join(app, 'chart')
    fs.cpSync(
      chartReading((k) => `../secrets.enc.json#${k}`),
      chartDir,
      { recursive: true },
    )
    const { result } = await runAndCheck(
      ['.'],
      env({ ...helmWithValues(bin), ARGOCD_APP_SOURCE_PATH: 'apps/web/chart' }),
      record,
      chartDir,
    )
    failed(result, 3)
  })
})

describe('gcpsecretmanager backend', () => {
  let gcp: FakeGcpSecretManager

  beforeAll(async () => {
    gcp = await startFakeGcpSecretManager()
    ALL_SECRETS.push(gcp.accessToken)
  })

  afterAll(async () => {
    await gcp.close()
  })

  beforeEach(() => {
    gcp.reset()
    gcp.addVersion('projects/p1/secrets/app', JSON.stringify(DATA))
    gcp.addVersion('projects/p1/secrets/denied', JSON.stringify({ k: PLAIN.value }))
  })

  const env = (extra: Record<string, string> = {}) => ({
    PATH: toolsPath(),
    ...gcpEnv(gcp, extra),
  })

  test('values that fail modifiers, a missing key, permission denied', async () => {
    gcp.fault({ kind: 'PERMISSION_DENIED', secret: 'projects/p1/secrets/denied' })
    const dir = testdir({
      'app.yaml': `${manifest((k) => `projects/p1/secrets/app#${k}`, true)}---\n${manifest(() => 'projects/p1/secrets/denied#k', false).replace('name: app', 'name: denied')}`,
    })
    const { result } = await runAndCheck([dir], env())
    failed(result, 1)
    expect(result.stderr).toMatch(/^error: ACCESS_DENIED: /m)
  })

  test('helm fails after substitution, printing the resolved values back', async () => {
    const { bin, record } = recordingTool('helm', 'echo-and-fail')
    const dir = chartReading((k) => `projects/p1/secrets/app#${k}`)
    const { result } = await runAndCheck([dir], env(helmWithValues(bin)), record)
    failed(result, 3)
  })
})

describe('azurekeyvault backend', () => {
  let azure: FakeAzureKeyVault
  let tokenDir: string

  beforeAll(async () => {
    azure = await startFakeAzureKeyVault()
    tokenDir = testdir()
    ALL_SECRETS.push(azure.accessToken, azure.clientSecret, azure.federatedToken)
  })

  afterAll(async () => {
    await azure.close()
  })

  beforeEach(() => {
    azure.reset()
    for (const [name, value] of Object.entries(DATA)) azure.addSecret('app-vault', name, value)
    azure.addSecret('app-vault', 'denied', PLAIN.value)
  })

  const env = (
    extra: Record<string, string> = {},
    auth: 'workload-identity' | 'client-secret' = 'workload-identity',
  ) => ({
    PATH: toolsPath(),
    ...azureEnv(azure, tokenDir, auth, extra),
  })

  test('values that fail modifiers, a missing secret, a denied secret', async () => {
    azure.fault({ kind: 'Forbidden', secret: 'denied' })
    const dir = testdir({
      'app.yaml': `${manifest((k) => `app-vault#${k}`, true)}---\n${manifest(() => 'app-vault#denied', false).replace('name: app', 'name: denied')}`,
    })
    const { result } = await runAndCheck([dir], env())
    failed(result, 1)
    expect(result.stderr).toMatch(/^error: ACCESS_DENIED: /m)
    expect(result.stderr).toMatch(/^error: KEY_NOT_FOUND: /m)
  })

  test('a client secret Entra ID refuses', async () => {
    const dir = testdir({ 'app.yaml': manifest((k) => `app-vault#${k}`, false) })
    const { result } = await runAndCheck(
      [dir],
      env({ AZURE_CLIENT_SECRET: AZURE_WRONG_SECRET }, 'client-secret'),
    )
    failed(result, 1)
    expect(result.stderr).toMatch(/^error: AUTH_FAILED: /m)
  })

  test('helm fails after substitution, printing the resolved values back', async () => {
    const { bin, record } = recordingTool('helm', 'echo-and-fail')
    const dir = chartReading((k) => `app-vault#${k}`)
    const { result } = await runAndCheck([dir], env(helmWithValues(bin)), record)
    failed(result, 3)
  })
})

describe('1passwordconnect backend', () => {
  let connect: FakeConnect

  beforeAll(async () => {
    connect = await startFakeConnect(OP_TOKEN)
    const vault = connect.addVault('Prod')
    connect.addItem(vault, 'app', Object.entries(DATA))
  })

  afterAll(async () => {
    await connect.close()
  })

  const env = (extra: Record<string, string> = {}) => ({
    PATH: toolsPath(),
    AVP_TYPE: '1passwordconnect',
    OP_CONNECT_HOST: connect.endpoint,
    OP_CONNECT_TOKEN: OP_TOKEN,
    ...extra,
  })

  test('values that fail modifiers and a missing key', async () => {
    connect.reset()
    const dir = testdir({ 'app.yaml': manifest((k) => `vaults/Prod/items/app#${k}`, true) })
    const { result } = await runAndCheck([dir], env())
    failed(result, 1)
    expect(result.stderr).toMatch(/^error: MODIFIER_FAILED: /m)
  })

  test('a refused token, and helm failing after substitution', async () => {
    connect.reset()
    connect.fault('/v1/vaults', 403)
    const dir = testdir({ 'app.yaml': manifest((k) => `vaults/Prod/items/app#${k}`, false) })
    const denied = await runAndCheck([dir], env())
    failed(denied.result, 1)
    expect(denied.result.stderr).toMatch(/^error: ACCESS_DENIED: /m)

    connect.reset()
    const { bin, record } = recordingTool('helm', 'echo-and-fail')
    const chartDir = chartReading((k) => `vaults/Prod/items/app#${k}`)
    const { result } = await runAndCheck([chartDir], env(helmWithValues(bin)), record)
    failed(result, 3)
  })
})
