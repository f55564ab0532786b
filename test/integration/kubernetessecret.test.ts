// The built CLI with AVP_TYPE=kubernetessecret against the loopback fake
// Kubernetes API (HTTPS, bearer token, CA made by openssl): found, key and
// Secret missing, RBAC, throttling and 5xx with retries, the deadline, one
// GET per distinct Secret, and no value or token on stderr, --verbose included.
import fs from 'node:fs'
import path from 'node:path'
import { configMap, dataOf, failureLines } from '../support/backend-run'
import { generateTestPki, startFakeKubeApi, type FakeKubeApi } from '../support/fake-kube-api'
import { baseEnv, CLI_PATH, runCli } from '../support/run-cli'
import { testdir } from '../support/testdir'

const TOKEN = 'canary-sa-token-kube-7f21'
const VALUE = 'canary-value-kube-0c9d'

let api: FakeKubeApi
let saDir: string

beforeAll(async () => {
  if (!fs.existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build first`)
  const root = testdir()
  const pki = generateTestPki(path.join(root, 'pki'), 'kube')
  api = await startFakeKubeApi(pki, TOKEN)
  saDir = path.join(root, 'sa')
  fs.mkdirSync(saDir)
  fs.writeFileSync(path.join(saDir, 'token'), `${TOKEN}\n`)
  fs.writeFileSync(path.join(saDir, 'ca.crt'), pki.caCert)
  api.setSecret('argocd', 'app-secrets', { password: VALUE, username: 'admin' })
  api.setSecret('team-a', 'db', { url: 'postgres://db:5432/app' })
}, 30_000)

afterAll(async () => {
  await api.close()
})

beforeEach(() => {
  api.reset()
})

function kubeEnv(extra: Record<string, string> = {}): Record<string, string> {
  return baseEnv({
    AVP_TYPE: 'kubernetessecret',
    KUBERNETES_SERVICE_HOST: api.host,
    KUBERNETES_SERVICE_PORT: String(api.port),
    AVP_SERVICE_ACCOUNT_DIR: saDir,
    ...extra,
  })
}

function generate(manifest: string, env = kubeEnv(), args: string[] = []) {
  return runCli(['generate', ...args, '-'], { stdin: manifest, env })
}

test('reads each distinct Secret once, NAME in argocd and NAMESPACE:NAME, versions ignored', async () => {
  const manifest = configMap({
    password: '<path:app-secrets#password>',
    again: '<path:app-secrets#password#3>',
    user: '<path:argocd:app-secrets#username>',
    url: '<path:team-a:db#url>',
  })
  const result = await generate(manifest, kubeEnv(), ['--verbose'])
  expect(dataOf(result)).toEqual({
    password: VALUE,
    again: VALUE,
    user: 'admin',
    url: 'postgres://db:5432/app',
  })
  // `app-secrets` and `argocd:app-secrets` are the same Secret.
  expect(api.count('argocd', 'app-secrets')).toBe(1)
  expect(api.count('team-a', 'db')).toBe(1)
  expect(api.requests).toHaveLength(2)
  expect(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true)
  expect(result.stderr).toContain('debug: fetch path="app-secrets"')
  expect(result.stderr).toContain('debug: fetch path="argocd:app-secrets"')
  expect(result.stderr).not.toContain(VALUE)
  expect(result.stderr).not.toContain(TOKEN)
})

test('generic placeholders with the avp.kubernetes.io/path annotation', async () => {
  const manifest = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: app',
    '  annotations:',
    '    avp.kubernetes.io/path: team-a:db',
    'stringData:',
    '  DATABASE_URL: <url>',
    '',
  ].join('\n')
  const result = await generate(manifest)
  expect(result.code).toBe(0)
  expect(result.stdout).toContain('DATABASE_URL: postgres://db:5432/app')
})

test('a missing key, a missing Secret and a malformed path are one line each', async () => {
  const manifest = configMap({
    key: '<path:app-secrets#nope>',
    secret: '<path:team-a:gone#x>',
    bad: '<path:a:b:c#x>',
  })
  const lines = failureLines(await generate(manifest, kubeEnv(), ['--verbose']), [VALUE, TOKEN])
  expect(lines).toHaveLength(3)
  expect(lines[0]).toMatch(
    /^error: CONFIG_INVALID: secret path: "a:b:c" must be NAME or NAMESPACE:NAME at <stdin>#1 ConfigMap\/app data\.bad/,
  )
  expect(lines[1]).toMatch(/^error: KEY_NOT_FOUND: .*nope.* at <stdin>#1 ConfigMap\/app data\.key/)
  expect(lines[2]).toBe(
    'error: SECRET_NOT_FOUND: secret team-a/gone not found at <stdin>#1 ConfigMap/app data.secret (<path:team-a:gone#x>)',
  )
})

test('RBAC: 403 names the namespace and the verb the service account needs', async () => {
  api.forbid('kube-system', 'creds')
  const lines = failureLines(await generate(configMap({ a: '<path:kube-system:creds#a>' })), [
    TOKEN,
  ])
  expect(lines).toEqual([
    'error: ACCESS_DENIED: access denied to secret kube-system/creds: the plugin\'s service account needs "get secrets in namespace kube-system" (a Role and RoleBinding in kube-system) at <stdin>#1 ConfigMap/app data.a (<path:kube-system:creds#a>)',
  ])
})

test('a token the API rejects is AUTH_FAILED, and the token is not printed', async () => {
  const dir = testdir({
    token: 'canary-wrong-token',
    'ca.crt': fs.readFileSync(path.join(saDir, 'ca.crt'), 'utf8'),
  })
  const result = await generate(
    configMap({ a: '<path:app-secrets#password>' }),
    kubeEnv({ AVP_SERVICE_ACCOUNT_DIR: dir }),
    ['--verbose'],
  )
  const lines = failureLines(result, [VALUE, TOKEN])
  expect(lines[0]).toMatch(
    /^error: AUTH_FAILED: the Kubernetes API rejected the service account token \(HTTP 401\)/,
  )
})

test('429 twice, then the Secret: retried and read', async () => {
  api.fault('argocd', 'app-secrets', 429, 2)
  const result = await generate(configMap({ a: '<path:app-secrets#username>' }), kubeEnv(), [
    '--verbose',
  ])
  expect(dataOf(result)).toEqual({ a: 'admin' })
  expect(api.count('argocd', 'app-secrets')).toBe(3)
  expect(result.stderr).toContain('debug: retry what="get secret argocd/app-secrets" attempt=1')
})

test('a 503 that outlasts the retries is UNAVAILABLE after 3 attempts; 429 is THROTTLED', async () => {
  api.fault('argocd', 'app-secrets', 503)
  api.fault('team-a', 'db', 429)
  const lines = failureLines(
    await generate(configMap({ a: '<path:app-secrets#username>', b: '<path:team-a:db#url>' })),
    [TOKEN],
  )
  expect(lines).toEqual([
    'error: UNAVAILABLE: the Kubernetes API failed reading secret argocd/app-secrets (HTTP 503, 3 attempts) at <stdin>#1 ConfigMap/app data.a (<path:app-secrets#username>)',
    'error: THROTTLED: the Kubernetes API throttled the requests for secret team-a/db until the retries ran out (HTTP 429, 3 attempts) at <stdin>#1 ConfigMap/app data.b (<path:team-a:db#url>)',
  ])
  expect(api.count('argocd', 'app-secrets')).toBe(3)
  expect(api.count('team-a', 'db')).toBe(3)
})

test('a slow API stops at the run deadline with TIMEOUT', async () => {
  api.delay(5000)
  const started = Date.now()
  const result = await generate(
    configMap({ a: '<path:app-secrets#username>' }),
    kubeEnv({ AVP_DEADLINE: '1' }),
  )
  const lines = failureLines(result)
  expect(Date.now() - started).toBeLessThan(4000)
  expect(lines).toEqual([
    'error: TIMEOUT: reading secret argocd/app-secrets did not finish before the run deadline (AVP_DEADLINE) at <stdin>#1 ConfigMap/app data.a (<path:app-secrets#username>)',
  ])
})

test('an Application cannot point the service account token at another API server', async () => {
  const env = kubeEnv({ ARGOCD_ENV_KUBERNETES_SERVICE_HOST: '127.0.0.2' })
  delete env['KUBERNETES_SERVICE_HOST']
  const run = () => generate(configMap({ a: '<path:app-secrets#username>' }), env)
  // By default the key is refused outright (config/app-policy.ts) ...
  expect(failureLines(await run(), [], 2)).toEqual([
    expect.stringMatching(
      /^error: CONFIG_INVALID: ARGOCD_ENV_KUBERNETES_SERVICE_HOST: Applications may not set KUBERNETES_SERVICE_HOST/,
    ),
  ])
  // ... and even an operator who lets Applications set any key does not make it the API server.
  env['AVP_APP_ENV_ALLOWLIST'] = '*'
  expect(failureLines(await run())).toEqual([
    'error: CONFIG_INVALID: cannot read Kubernetes Secrets: not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST is not set) at <stdin>#1 ConfigMap/app data.a (<path:app-secrets#username>)',
  ])
  expect(api.requests).toHaveLength(0)
})
