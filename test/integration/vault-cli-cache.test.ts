// The Vault token cache across runs of the built CLI (AVP #658/#660 done
// right): reuse, expiry, key separation, concurrent runs, unwritable home,
// --disable-token-cache.
import fs from 'node:fs'
import path from 'node:path'
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import { errorLines, runVault, secretManifest } from '../support/fake-vault/cli'
import { testdir } from '../support/testdir'

let vault: FakeVault
let other: FakeVault
const ONE = secretManifest({ password: '<path:secret/data/app#password>' })

beforeAll(async () => {
  vault = await startFakeVault()
  other = await startFakeVault()
  for (const v of [vault, other]) {
    v.putKv('secret', 'app', { password: 'canary-cached-value' })
    v.addApprole('role-a', 'canary-secret-a')
    v.addApprole('role-b', 'canary-secret-b')
  }
  vault.addNamespace('ns1')
  vault.addNamespace('ns2')
  for (const ns of ['ns1', 'ns2']) {
    vault.addKvMount('secret', 2, { namespace: ns })
    vault.putKv('secret', 'app', { password: 'canary-cached-value' }, ns)
    vault.addApprole('role-a', 'canary-secret-a', { namespace: ns })
  }
})

afterAll(async () => {
  await Promise.all([vault.stop(), other.stop()])
})

beforeEach(() => {
  vault.resetRequests()
  other.resetRequests()
})

function approle(home: string, extra: Record<string, string> = {}) {
  return {
    VAULT_ADDR: vault.address,
    AVP_AUTH_TYPE: 'approle',
    AVP_ROLE_ID: 'role-a',
    AVP_SECRET_ID: 'canary-secret-a',
    HOME: home,
    ...extra,
  }
}

function cacheFiles(home: string): string[] {
  const dir = path.join(home, '.avp')
  return fs.existsSync(dir) ? tokenFiles(dir) : []
}

/** The cached tokens of a cache directory (not its key file). */
function tokenFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('vault-token-'))
    .sort()
}

async function ok(run: Promise<{ code: number | null; stdout: string; stderr: string }>) {
  const result = await run
  expect(errorLines(result.stderr)).toEqual([])
  expect(result.code).toBe(0)
  expect(result.stdout).toContain('password: canary-cached-value')
  expect(result.stderr).not.toMatch(/canary/)
  return result
}

test('two runs log in once; the file is 0600 in a 0700 directory and never printed', async () => {
  const home = testdir()
  await ok(runVault(ONE, approle(home)))
  const second = await ok(runVault(ONE, approle(home)))
  expect(vault.logins()).toHaveLength(1)
  expect(second.stderr).toContain('debug: login method="approle" cached=true')
  const [file] = cacheFiles(home)
  expect(file).toMatch(/^vault-token-[0-9a-f]{40}\.json$/)
  const full = path.join(home, '.avp', file ?? '')
  expect(fs.statSync(full).mode & 0o777).toBe(0o600)
  expect(fs.statSync(path.join(home, '.avp')).mode & 0o777).toBe(0o700)
  const entry = JSON.parse(fs.readFileSync(full, 'utf8')) as {
    token: string
    expiresAt: string
    ttlSeconds: number
  }
  expect(entry.ttlSeconds).toBe(3600)
  expect(Date.parse(entry.expiresAt)).toBeGreaterThan(Date.now() + 3500_000)
  expect(second.stderr).not.toContain(entry.token)
})

test('a token about to expire is not used: a fresh login replaces it', async () => {
  const home = testdir()
  await ok(runVault(ONE, approle(home)))
  const full = path.join(home, '.avp', cacheFiles(home)[0] ?? '')
  const entry = JSON.parse(fs.readFileSync(full, 'utf8')) as Record<string, unknown>
  fs.writeFileSync(
    full,
    JSON.stringify({ ...entry, expiresAt: new Date(Date.now() + 30_000).toISOString() }),
    { mode: 0o600 },
  )
  const second = await ok(runVault(ONE, approle(home)))
  expect(vault.logins()).toHaveLength(2)
  expect(second.stderr).toContain('debug: token-cache action="miss" reason="expiring"')
  const rewritten = JSON.parse(fs.readFileSync(full, 'utf8')) as { token: string }
  expect(rewritten.token).not.toBe(entry['token'])
})

test('a cached token that Vault rejects is dropped, and one fresh login follows', async () => {
  const home = testdir()
  await ok(runVault(ONE, approle(home)))
  vault.revokeIssuedTokens()
  const second = await ok(runVault(ONE, approle(home)))
  expect(vault.logins()).toHaveLength(2)
  expect(second.stderr).toContain('debug: token-cache action="remove"')
})

test.each<[string, Record<string, string>]>([
  ['two roles', { AVP_ROLE_ID: 'role-b', AVP_SECRET_ID: 'canary-secret-b' }],
  ['two namespaces', { VAULT_NAMESPACE: 'ns1' }],
  ['two mounts', { AVP_MOUNT_PATH: 'auth/approle-2' }],
])('key separation: %s never share a token', async (_what, change) => {
  vault.addApprole('role-a', 'canary-secret-a', { mount: 'approle-2' })
  const home = testdir()
  await ok(runVault(ONE, approle(home)))
  await ok(runVault(ONE, approle(home, change)))
  await ok(runVault(ONE, approle(home, change)))
  expect(vault.logins()).toHaveLength(2)
  expect(cacheFiles(home)).toHaveLength(2)
  const byNamespace = vault.requests
    .filter((r) => r.path === 'secret/data/app')
    .map((r) => r.namespace)
  expect(byNamespace[0]).toBeUndefined()
})

test('key separation: two Vault addresses', async () => {
  const home = testdir()
  await ok(runVault(ONE, approle(home)))
  await ok(runVault(ONE, approle(home, { VAULT_ADDR: other.address })))
  expect(vault.logins()).toHaveLength(1)
  expect(other.logins()).toHaveLength(1)
  expect(cacheFiles(home)).toHaveLength(2)
})

test('four concurrent runs leave one valid cache entry that the next run uses', async () => {
  const home = testdir()
  await Promise.all(Array.from({ length: 4 }, () => ok(runVault(ONE, approle(home)))))
  expect(cacheFiles(home)).toHaveLength(1)
  vault.resetRequests()
  await ok(runVault(ONE, approle(home)))
  expect(vault.logins()).toHaveLength(0)
})

test('an unwritable home (OpenShift random UID) means no cache, not an error', async () => {
  const parent = testdir({ 'not-a-dir': 'file' })
  const home = path.join(parent, 'not-a-dir')
  const run = await ok(runVault(ONE, approle(home)))
  expect(run.stderr).toContain('debug: token-cache action="off" reason="key file: ENOTDIR"')
  await ok(runVault(ONE, approle(home)))
  expect(vault.logins()).toHaveLength(2)
})

test('AVP_TOKEN_CACHE_DIR moves the cache', async () => {
  const home = testdir()
  const dir = path.join(testdir(), 'cache')
  await ok(runVault(ONE, approle(home, { AVP_TOKEN_CACHE_DIR: dir })))
  expect(tokenFiles(dir)).toHaveLength(1)
  expect(fs.existsSync(path.join(home, '.avp'))).toBe(false)
})

test('--disable-token-cache neither reads nor writes', async () => {
  const home = testdir()
  await ok(runVault(ONE, approle(home)))
  await ok(runVault(ONE, approle(home), ['--disable-token-cache']))
  expect(vault.logins()).toHaveLength(2)
  const fresh = testdir()
  await ok(runVault(ONE, approle(fresh), ['--disable-token-cache']))
  expect(cacheFiles(fresh)).toEqual([])
})

test('token auth is never cached', async () => {
  vault.addToken('hvs.canary-never-cached')
  const home = testdir()
  await ok(
    runVault(ONE, {
      VAULT_ADDR: vault.address,
      AVP_AUTH_TYPE: 'token',
      VAULT_TOKEN: 'hvs.canary-never-cached',
      HOME: home,
    }),
  )
  expect(cacheFiles(home)).toEqual([])
})
