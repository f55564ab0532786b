// The built CLI against the fake Vault: every auth method, KV v1/v2 paths
// and versions, namespaces, request counts. TLS and cert auth are in
// vault-cli-tls.test.ts, the token cache in vault-cli-cache.test.ts.
import fs from 'node:fs'
import path from 'node:path'
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import { errorLines, runVault, secretManifest } from '../support/fake-vault/cli'
import { testdir } from '../support/testdir'

let vault: FakeVault
const VALUE = 'canary-db-password'
const ONE = secretManifest({ password: '<path:secret/data/app#password>' })

beforeAll(async () => {
  vault = await startFakeVault()
  vault.putKv('secret', 'app', { password: 'canary-old-password' })
  vault.putKv('secret', 'app', { password: VALUE, port: 5432 })
  vault.putKv('kv', 'legacy', { user: 'canary-legacy-user' })
})

afterAll(async () => {
  await vault.stop()
})

beforeEach(() => {
  vault.resetRequests()
})

function expectSuccess(
  run: { code: number | null; stdout: string; stderr: string },
  ...values: string[]
): void {
  expect(errorLines(run.stderr)).toEqual([])
  expect(run.code).toBe(0)
  for (const value of values) expect(run.stdout).toContain(value)
  // Debug events never carry a value or a credential (the fake's tokens contain "canary" too).
  expect(run.stderr).not.toMatch(/canary/)
}

describe('token auth', () => {
  test('VAULT_TOKEN: KV v2 with and without data/, KV v1, inline and annotation placeholders, versions', async () => {
    vault.addToken('hvs.canary-static-token')
    const manifest = [
      secretManifest({
        a: '<path:secret/data/app#password>',
        b: '<path:secret/app#password>',
        c: '<path:secret/data/app#password#1>',
        d: '<path:kv/legacy#user>',
        e: '<path:secret/app#port>',
      }),
      secretManifest(
        { user: '<user>' },
        { 'avp.kubernetes.io/path': 'kv/legacy', 'avp.kubernetes.io/kv-version': '1' },
      ),
      secretManifest(
        { old: '<password>' },
        { 'avp.kubernetes.io/path': 'secret/data/app', 'avp.kubernetes.io/secret-version': '1' },
      ),
    ].join('---\n')
    const run = await runVault(manifest, {
      VAULT_ADDR: vault.address,
      AVP_AUTH_TYPE: 'token',
      VAULT_TOKEN: 'hvs.canary-static-token',
    })
    expectSuccess(
      run,
      `a: ${VALUE}`,
      `b: ${VALUE}`,
      'c: canary-old-password',
      'd: canary-legacy-user',
      'user: canary-legacy-user',
      'old: canary-old-password',
    )
    expect(run.stdout).toMatch(/e: "?5432"?/)
    // One read per distinct (path, version): secret/app and secret/data/app are the same request.
    expect(vault.count('secret/data/app', 'GET')).toBe(2)
    expect(
      vault.requests.find((r) => r.path === 'secret/data/app' && r.query === '?version=1'),
    ).toBeDefined()
    expect(vault.count('kv/legacy')).toBe(1)
    expect(vault.logins()).toHaveLength(0)
    expect(vault.requests.every((r) => r.token === 'hvs.canary-static-token')).toBe(true)
  })

  test('~/.vault-token when VAULT_TOKEN is unset', async () => {
    vault.addToken('hvs.canary-file-token')
    const home = testdir({ '.vault-token': 'hvs.canary-file-token\n' })
    const run = await runVault(ONE, {
      VAULT_ADDR: vault.address,
      AVP_AUTH_TYPE: 'token',
      HOME: home,
    })
    expectSuccess(run, VALUE)
    expect(vault.requests.map((r) => r.token)).toEqual([
      'hvs.canary-file-token',
      'hvs.canary-file-token',
    ])
  })

  test('no token anywhere', async () => {
    const run = await runVault(ONE, { VAULT_ADDR: vault.address, AVP_AUTH_TYPE: 'token' })
    expect(errorLines(run.stderr)).toEqual([
      'error: AUTH_FAILED: no Vault token for AVP_AUTH_TYPE=token: VAULT_TOKEN is not set (~/.vault-token: ENOENT)',
    ])
    expect(run.stdout).toBe('')
    expect(vault.requests).toHaveLength(0)
  })
})

test.each([
  ['default mount', {}, 'auth/approle/login'],
  ['AVP_MOUNT_PATH with auth/', { AVP_MOUNT_PATH: 'auth/approle-prod' }, 'auth/approle-prod/login'],
  ['AVP_MOUNT_PATH without auth/', { AVP_MOUNT_PATH: 'approle-prod' }, 'auth/approle-prod/login'],
])('approle, %s', async (_what, extra, loginPath) => {
  vault.addApprole('role-a', 'canary-secret-id-a')
  vault.addApprole('role-a', 'canary-secret-id-a', { mount: 'approle-prod' })
  const run = await runVault(ONE, {
    VAULT_ADDR: vault.address,
    AVP_AUTH_TYPE: 'approle',
    AVP_ROLE_ID: 'role-a',
    AVP_SECRET_ID: 'canary-secret-id-a',
    ...extra,
  })
  expectSuccess(run, VALUE)
  expect(vault.logins().map((r) => `${r.method} ${r.path} ${String(r.token)}`)).toEqual([
    `POST ${loginPath} undefined`,
  ])
})

test.each([
  ['default mount (node-vault #300 posted to auth//login)', {}, 'auth/kubernetes/login'],
  [
    'AVP_K8S_MOUNT_PATH over AVP_MOUNT_PATH',
    { AVP_K8S_MOUNT_PATH: 'auth/k8s-prod', AVP_MOUNT_PATH: 'auth/x' },
    'auth/k8s-prod/login',
  ],
  ['AVP_MOUNT_PATH', { AVP_MOUNT_PATH: 'auth/k8s-prod' }, 'auth/k8s-prod/login'],
])('kubernetes, %s', async (_what, extra, loginPath) => {
  vault.addKubernetesRole('argocd', 'eyJ.canary-service-account-jwt')
  vault.addKubernetesRole('argocd', 'eyJ.canary-service-account-jwt', { mount: 'k8s-prod' })
  const jwtDir = testdir({ token: 'eyJ.canary-service-account-jwt\n' })
  const run = await runVault(ONE, {
    VAULT_ADDR: vault.address,
    AVP_AUTH_TYPE: 'k8s',
    AVP_K8S_ROLE: 'argocd',
    AVP_K8S_TOKEN_PATH: path.join(jwtDir, 'token'),
    ...extra,
  })
  expectSuccess(run, VALUE)
  expect(vault.logins().map((r) => r.path)).toEqual([loginPath])
})

test('userpass with a user name that needs encoding', async () => {
  vault.addUser('Dev Ops#1&x?', 'canary-user-password')
  const run = await runVault(ONE, {
    VAULT_ADDR: vault.address,
    AVP_AUTH_TYPE: 'userpass',
    AVP_USERNAME: 'Dev Ops#1&x?',
    AVP_PASSWORD: 'canary-user-password',
  })
  expectSuccess(run, VALUE)
  expect(vault.logins().map((r) => r.rawPath)).toEqual(['auth/userpass/login/Dev%20Ops%231%26x%3F'])
})

test('github', async () => {
  vault.addGithubToken('ghp_canaryGithubToken')
  const run = await runVault(ONE, {
    VAULT_ADDR: vault.address,
    AVP_AUTH_TYPE: 'github',
    AVP_GITHUB_TOKEN: 'ghp_canaryGithubToken',
  })
  expectSuccess(run, VALUE)
  expect(vault.logins().map((r) => r.path)).toEqual(['auth/github/login'])
})

test('namespaces: X-Vault-Namespace on every request, login included', async () => {
  vault.addNamespace('team-a')
  vault.addKvMount('apps', 2, { namespace: 'team-a' })
  vault.putKv('apps', 'web', { key: 'canary-namespaced' }, 'team-a')
  vault.addApprole('role-ns', 'canary-secret-id-ns', { namespace: 'team-a' })
  const run = await runVault(secretManifest({ key: '<path:apps/web#key>' }), {
    VAULT_ADDR: vault.address,
    VAULT_NAMESPACE: 'team-a',
    AVP_AUTH_TYPE: 'approle',
    AVP_ROLE_ID: 'role-ns',
    AVP_SECRET_ID: 'canary-secret-id-ns',
  })
  expectSuccess(run, 'key: canary-namespaced')
  expect(vault.requests.map((r) => `${r.path} ns=${String(r.namespace)}`)).toEqual([
    'auth/approle/login ns=team-a',
    'sys/internal/ui/mounts/apps/web ns=team-a',
    'apps/data/web ns=team-a',
  ])
})

test('forty inline placeholders on one path: one read, one login, one mount lookup', async () => {
  vault.addApprole('role-40', 'canary-secret-id-40')
  const entries = Object.fromEntries(
    Array.from({ length: 40 }, (_, i) => [`k${String(i)}`, '<path:secret/data/app#password>']),
  )
  const run = await runVault(secretManifest(entries), {
    VAULT_ADDR: vault.address,
    AVP_AUTH_TYPE: 'approle',
    AVP_ROLE_ID: 'role-40',
    AVP_SECRET_ID: 'canary-secret-id-40',
  })
  expectSuccess(run, `k39: ${VALUE}`)
  expect(vault.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    'POST auth/approle/login',
    'GET sys/internal/ui/mounts/secret/data/app',
    'GET secret/data/app',
  ])
})

test('a manifest without placeholders makes no request to Vault, and needs no credentials on disk', async () => {
  const run = await runVault(
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  a: b\n',
    {
      VAULT_ADDR: vault.address,
      AVP_AUTH_TYPE: 'k8s',
      AVP_K8S_ROLE: 'argocd',
      AVP_K8S_TOKEN_PATH: '/nonexistent/token',
    },
  )
  expect(run.code).toBe(0)
  expect(run.stdout).toContain('name: plain')
  expect(vault.requests).toHaveLength(0)
  expect(fs.existsSync(path.join(run.home, '.avp'))).toBe(false)
})
