// The token cache binds the whole credential: after a good run, the same
// role_id (user name, Kubernetes role) with a wrong secret half must log in
// and fail, never reuse the cached token. Nothing on disk may reveal a
// credential, in clear or as an unkeyed hash.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import { errorLines, runVault, secretManifest } from '../support/fake-vault/cli'
import { testdir } from '../support/testdir'

let vault: FakeVault
const ONE = secretManifest({ password: '<path:secret/data/app#password>' })

const ROLE_ID = 'canary-role-id-7f3a'
const SECRET_ID = 'canary-secret-id-9c2e'
const USERNAME = 'canary-user-41d0'
const PASSWORD = 'canary-password-b8e5'
const JWT = 'canary-jwt-eyJhbGciOiJSUzI1NiJ9.c2E'
const GITHUB = 'canary-ghp-token-55aa'

beforeAll(async () => {
  vault = await startFakeVault()
  vault.putKv('secret', 'app', { password: 'canary-cached-value' })
  vault.addApprole(ROLE_ID, SECRET_ID)
  vault.addUser(USERNAME, PASSWORD)
  vault.addKubernetesRole('argocd', JWT)
  vault.addGithubToken(GITHUB)
})

afterAll(async () => {
  await vault.stop()
})

beforeEach(() => {
  vault.resetRequests()
})

/** Settings of one auth method, with `wrong` replacing the secret half of its credential. */
function credentials(method: string, home: string, wrong?: string): Record<string, string> {
  const base = { VAULT_ADDR: vault.address, HOME: home }
  switch (method) {
    case 'approle':
      return {
        ...base,
        AVP_AUTH_TYPE: 'approle',
        AVP_ROLE_ID: ROLE_ID,
        AVP_SECRET_ID: wrong ?? SECRET_ID,
      }
    case 'userpass':
      return {
        ...base,
        AVP_AUTH_TYPE: 'userpass',
        AVP_USERNAME: USERNAME,
        AVP_PASSWORD: wrong ?? PASSWORD,
      }
    case 'k8s': {
      const jwtPath = path.join(testdir({ jwt: wrong ?? JWT }), 'jwt')
      return { ...base, AVP_AUTH_TYPE: 'k8s', AVP_K8S_ROLE: 'argocd', AVP_K8S_TOKEN_PATH: jwtPath }
    }
    default:
      return { ...base, AVP_AUTH_TYPE: 'github', AVP_GITHUB_TOKEN: wrong ?? GITHUB }
  }
}

test.each([['approle'], ['userpass'], ['k8s'], ['github']])(
  '%s: a wrong secret after a good run logs in and fails, never using the cached token',
  async (method) => {
    const home = testdir()
    const good = await runVault(ONE, credentials(method, home))
    expect(good.code).toBe(0)
    expect(good.stdout).toContain('password: canary-cached-value')
    const cached = await runVault(ONE, credentials(method, home))
    expect(cached.stderr).toContain('cached=true')
    vault.resetRequests()
    const wrong = await runVault(ONE, credentials(method, home, 'canary-wrong-credential'))
    expect(wrong.code).toBe(1)
    expect(wrong.stdout).toBe('')
    expect(errorLines(wrong.stderr)).toEqual([
      expect.stringMatching(/^error: AUTH_FAILED: Vault login failed/),
    ])
    expect(vault.logins()).toHaveLength(1)
    expect(vault.count('secret/data/app')).toBe(0)
    expect(wrong.stderr).not.toMatch(/canary/)
  },
)

/** Every way a credential could sit on disk: in clear, or as a plain (unkeyed) digest. */
function forms(credential: string): string[] {
  const digests = ['sha256', 'sha1', 'md5'].map((alg) =>
    createHash(alg).update(credential).digest(),
  )
  return [
    credential,
    Buffer.from(credential).toString('base64'),
    ...digests.flatMap((d) => [d.toString('hex'), d.toString('base64'), d.toString('base64url')]),
  ]
}

test('the key file is 0600; no credential or unkeyed hash of one is on disk', async () => {
  const home = testdir()
  for (const method of ['approle', 'userpass', 'k8s', 'github']) {
    const run = await runVault(ONE, credentials(method, home))
    expect(run.code).toBe(0)
  }
  const dir = path.join(home, '.avp')
  const key = path.join(dir, 'token-cache.key')
  expect(fs.statSync(key).mode & 0o777).toBe(0o600)
  expect(fs.readFileSync(key, 'utf8')).toMatch(/^[0-9a-f]{64}$/)
  const names = fs.readdirSync(dir)
  expect(names.filter((n) => n.startsWith('vault-token-'))).toHaveLength(4)
  const disk = names.map((n) => `${n}\n${fs.readFileSync(path.join(dir, n), 'utf8')}`).join('\n')
  for (const credential of [ROLE_ID, SECRET_ID, USERNAME, PASSWORD, JWT, GITHUB]) {
    for (const form of forms(credential)) expect(disk).not.toContain(form)
    // A file name is a 40-hex prefix: check prefixes too.
    for (const form of forms(credential)) expect(disk).not.toContain(form.slice(0, 40))
  }
})
