// Every Vault failure mode through the built CLI: a precise message naming
// the path, exit code 1, nothing on stdout, and no value or credential on
// stderr (canaries everywhere, --verbose on).
import path from 'node:path'
import { startFakeVault, unusedAddress, type FakeVault } from '../support/fake-vault'
import { errorLines, runVault, secretManifest } from '../support/fake-vault/cli'
import { testdir } from '../support/testdir'

let vault: FakeVault
const SECRET_ID = 'canary-secret-id-failures'
const ONE = secretManifest({ password: '<path:secret/data/app#password>' })

beforeAll(async () => {
  vault = await startFakeVault()
  vault.putKv('secret', 'app', { password: 'canary-value-1' })
  vault.putKv('secret', 'app', { password: 'canary-value-2' })
  vault.putKv('secret', 'app', { password: 'canary-value-3' })
  vault.deleteVersion('secret', 'app', 1)
  vault.destroyVersion('secret', 'app', 2)
  vault.putKv('secret', 'forbidden', { password: 'canary-forbidden' })
  vault.putKv('kv', 'legacy', { password: 'canary-legacy' })
  vault.addPolicy('limited', { allow: ['*'], deny: ['secret/data/forbidden'] })
  vault.addApprole('role-f', SECRET_ID, { policies: ['limited'] })
  vault.addUser('bob', 'canary-right-password')
  vault.addKubernetesRole('argocd', 'eyJ.canary-right-jwt')
  vault.addGithubToken('ghp_canaryRightToken')
})

afterAll(async () => {
  await vault.stop()
})

beforeEach(() => {
  vault.resetRequests()
  vault.clearFaults()
})

const approle = (extra: Record<string, string> = {}) => ({
  VAULT_ADDR: vault.address,
  AVP_AUTH_TYPE: 'approle',
  AVP_ROLE_ID: 'role-f',
  AVP_SECRET_ID: SECRET_ID,
  ...extra,
})

async function fails(manifest: string, env: Record<string, string>, expected: string[]) {
  const run = await runVault(manifest, env)
  const times = /\d{4}-\d\d-\d\dT[\d:.]+Z/g
  expect(errorLines(run.stderr).map((line) => line.replace(times, '<time>'))).toEqual(expected)
  expect(run.code).toBe(1)
  expect(run.stdout).toBe('')
  expect(run.stderr).not.toMatch(/canary/)
  return run
}

test('a denied path', async () => {
  await fails(secretManifest({ p: '<path:secret/data/forbidden#password>' }), approle(), [
    'error: ACCESS_DENIED: permission denied reading secret/data/forbidden',
  ])
})

test('an unknown mount', async () => {
  await fails(secretManifest({ p: '<path:nosuch/app#password>' }), approle(), [
    'error: SECRET_NOT_FOUND: no secrets engine is mounted at nosuch/app (no handler for route "nosuch/app". route entry not found.)',
  ])
})

test('deleted, destroyed and missing versions; wrong engine; missing secret', async () => {
  await fails(
    secretManifest({
      a: '<path:secret/data/app#password#1>',
      b: '<path:secret/data/app#password#2>',
      c: '<path:secret/data/app#password#7>',
      d: '<path:kv/data/legacy#password>',
      e: '<path:secret/data/gone#password>',
    }),
    approle(),
    [
      'error: VERSION_DELETED: version 1 of secret/data/app was deleted at <time>',
      'error: VERSION_DELETED: version 2 of secret/data/app was destroyed',
      'error: SECRET_NOT_FOUND: version 7 of secret/data/app does not exist',
      'error: WRONG_ENGINE: no secret at kv/data/legacy: mount kv/ is KV v1, which has no data/ segment (did you mean kv/legacy?)',
      'error: SECRET_NOT_FOUND: secret not found: secret/data/gone',
    ],
  )
})

test('sealed', async () => {
  vault.fault({ kind: 'sealed' })
  await fails(ONE, approle(), [
    'error: UNAVAILABLE: Vault is sealed (503 logging in (approle at auth/approle))',
  ])
  expect(vault.logins()).toHaveLength(4)
})

test('429 twice, then success: retried', async () => {
  vault.fault({ kind: 'rate-limit', path: 'secret/data/app', times: 2 })
  const run = await runVault(ONE, approle())
  expect(run.code).toBe(0)
  expect(run.stdout).toContain('password: canary-value-3')
  expect(run.stderr).toContain('debug: retry what="reading secret/data/app" attempt=2')
  expect(vault.count('secret/data/app')).toBe(3)
})

test('429 forever: THROTTLED', async () => {
  vault.fault({ kind: 'rate-limit', path: 'secret/data/app' })
  await fails(ONE, approle(), [
    'error: THROTTLED: Vault rate limit exceeded reading secret/data/app (429, still throttled after 4 attempts): request path "secret/data/app": rate limit quota exceeded',
  ])
})

test('500 once, then success: retried', async () => {
  vault.fault({ kind: 'error-500', path: 'secret/data/app', times: 1 })
  const run = await runVault(ONE, approle())
  expect(run.code).toBe(0)
  expect(vault.count('secret/data/app')).toBe(2)
})

test('connection refused', async () => {
  const address = await unusedAddress()
  await fails(ONE, approle({ VAULT_ADDR: address }), [
    `error: UNAVAILABLE: cannot connect to Vault at ${address}: ECONNREFUSED (logging in (approle at auth/approle))`,
  ])
})

test('a slow server hits AVP_DEADLINE, and the run ends in time', async () => {
  vault.fault({ kind: 'latency', ms: 30_000, path: 'secret/data/app' })
  const started = Date.now()
  await fails(ONE, approle({ AVP_DEADLINE: '1' }), [
    'error: TIMEOUT: Vault did not answer within the 1 s deadline (AVP_DEADLINE) while reading secret/data/app',
  ])
  expect(Date.now() - started).toBeLessThan(4000)
})

test('a slow answer beyond AVP_VAULT_TIMEOUT on every try', async () => {
  vault.fault({ kind: 'latency', ms: 30_000, path: 'secret/data/app' })
  await fails(ONE, approle({ AVP_VAULT_TIMEOUT: '0.2' }), [
    'error: TIMEOUT: Vault did not answer reading secret/data/app within 0.2 s (AVP_VAULT_TIMEOUT)',
  ])
  expect(vault.count('secret/data/app')).toBe(4)
})

test.each<[string, Record<string, string>, string]>([
  [
    'approle',
    { AVP_SECRET_ID: 'canary-wrong-secret-id' },
    'approle at auth/approle): invalid role or secret ID',
  ],
  [
    'userpass',
    { AVP_AUTH_TYPE: 'userpass', AVP_USERNAME: 'bob', AVP_PASSWORD: 'canary-wrong-password' },
    'userpass at auth/userpass): invalid username or password',
  ],
  [
    'github',
    { AVP_AUTH_TYPE: 'github', AVP_GITHUB_TOKEN: 'ghp_canaryWrongToken' },
    'github at auth/github): failed to verify user',
  ],
])('a bad %s login', async (_what, extra, reason) => {
  await fails(ONE, approle(extra), [`error: AUTH_FAILED: Vault login failed (${reason}`])
})

test('a bad kubernetes login (wrong JWT) and an unknown role', async () => {
  const dir = testdir({ token: 'eyJ.canary-wrong-jwt' })
  const k8s = {
    AVP_AUTH_TYPE: 'k8s',
    AVP_K8S_ROLE: 'argocd',
    AVP_K8S_TOKEN_PATH: path.join(dir, 'token'),
  }
  await fails(ONE, approle(k8s), [
    'error: AUTH_FAILED: Vault login failed (k8s at auth/kubernetes): permission denied',
  ])
  await fails(ONE, approle({ ...k8s, AVP_K8S_ROLE: 'nobody' }), [
    'error: AUTH_FAILED: Vault login failed (k8s at auth/kubernetes): invalid role name "nobody"',
  ])
})

test('an invalid configuration exits 2 and names every key, never a credential', async () => {
  const run = await runVault(ONE, {
    VAULT_ADDR: vault.address,
    AVP_AUTH_TYPE: 'aprole',
    AVP_SECRET_ID: SECRET_ID,
    AVP_KV_VERSION: '3',
  })
  expect(errorLines(run.stderr)).toEqual([
    'error: CONFIG_INVALID: AVP_AUTH_TYPE: expected one of approle|k8s|token|userpass|github|cert, got "aprole"',
    'error: CONFIG_INVALID: AVP_KV_VERSION: expected 1 or 2, got "3"',
  ])
  expect(run.code).toBe(2)
  expect(run.stdout).toBe('')
  expect(run.stderr).not.toMatch(/canary/)
  expect(vault.requests).toHaveLength(0)
})
