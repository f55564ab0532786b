// The Vault backend in-process against a failing fake Vault: retries, timeouts,
// the deadline, SIGTERM, login failures and rejected tokens.
import { startFakeVault, unusedAddress, type FakeVault } from '../support/fake-vault'
import {
  approleBackend,
  expectNoCanary,
  PASSWORD,
  seedBasics,
} from '../support/fake-vault/backend-fixture'
import { inProcessVault, show } from '../support/fake-vault/in-process'
import { testdir } from '../support/testdir'

let vault: FakeVault

beforeEach(async () => {
  vault = await startFakeVault()
  seedBasics(vault)
})

afterEach(async () => {
  await vault.stop()
})

const backend = (extra: Record<string, string> = {}) => approleBackend(vault, extra)

describe('retries', () => {
  test.each([
    ['rate-limit', 'status 429'],
    ['error-500', 'status 500'],
    ['sealed', 'status 503'],
    ['bad-gateway', 'status 502'],
    ['reset', 'ECONNRESET'],
  ] as const)('%s twice, then success', async (kind, reason) => {
    vault.fault({ kind, times: 2, path: 'secret/data/app' })
    const v = await backend()
    expect((await v.fetch([{ path: 'secret/app' }])).map(show)).toEqual([
      { password: `${PASSWORD}-v2`, port: 5433 },
    ])
    expect(vault.count('secret/data/app')).toBe(3)
    expect(v.events.filter((e) => e.kind === 'retry')).toEqual([
      expect.objectContaining({ what: 'reading secret/data/app', attempt: 1, reason }),
      expect.objectContaining({ what: 'reading secret/data/app', attempt: 2, reason }),
    ])
  })

  test.each([
    [
      'rate-limit',
      'THROTTLED: Vault rate limit exceeded reading secret/data/app (429, still throttled after 4 attempts): request path "secret/data/app": rate limit quota exceeded',
    ],
    ['sealed', 'UNAVAILABLE: Vault is sealed (503 reading secret/data/app)'],
    [
      'bad-gateway',
      'UNAVAILABLE: Vault answered 502 reading secret/data/app (the answer is not JSON: a proxy or load balancer in front of Vault?)',
    ],
  ] as const)('%s forever gives up after 4 attempts', async (kind, expected) => {
    vault.fault({ kind, path: 'secret/data/app' })
    const v = await backend()
    expect((await v.fetch([{ path: 'secret/app' }])).map(show)).toEqual([expected])
    expect(vault.count('secret/data/app')).toBe(4)
  })

  test('403 and 404 are never retried', async () => {
    const v = await backend()
    await v.fetch([{ path: 'secret/missing' }])
    expect(vault.count('secret/data/missing')).toBe(1)
  })
})

test('connection refused: every ref fails naming the address, after retries', async () => {
  const address = await unusedAddress()
  const v = await inProcessVault({
    VAULT_ADDR: address,
    AVP_AUTH_TYPE: 'token',
    VAULT_TOKEN: 'hvs.canary-x',
  })
  const results = await v.fetch([{ path: 'secret/app' }, { path: 'kv/b' }])
  expect(results.map(show)).toEqual([
    `UNAVAILABLE: cannot connect to Vault at ${address}: ECONNREFUSED (looking up the mount of secret/app)`,
    `UNAVAILABLE: cannot connect to Vault at ${address}: ECONNREFUSED (looking up the mount of kv/b)`,
  ])
})

test('a slow Vault: per-request timeout, then the overall deadline', async () => {
  vault.fault({ kind: 'latency', ms: 400, path: 'secret/data/app', times: 1 })
  const quick = await backend({ AVP_VAULT_TIMEOUT: '0.2' })
  expect((await quick.fetch([{ path: 'secret/app' }])).map(show)).toEqual([
    { password: `${PASSWORD}-v2`, port: 5433 },
  ])
  expect(quick.events).toContainEqual(expect.objectContaining({ kind: 'retry', reason: 'TIMEOUT' }))

  vault.fault({ kind: 'latency', ms: 60_000, path: 'secret/data/' })
  const v = await backend({ AVP_DEADLINE: '0.8', AVP_VAULT_TIMEOUT: '30' })
  const started = Date.now()
  const results = await v.fetch([
    { path: 'secret/app' },
    { path: 'secret/other' },
    { path: 'kv/legacy' },
  ])
  expect(Date.now() - started).toBeLessThan(2000)
  expect(results.map(show)).toEqual([
    'TIMEOUT: Vault did not answer within the 0.8 s deadline (AVP_DEADLINE) while reading secret/data/app',
    'TIMEOUT: Vault did not answer within the 0.8 s deadline (AVP_DEADLINE) while reading secret/data/other',
    { user: 'canary-legacy-user' },
  ])
})

test('the run signal (SIGTERM) stops everything at once', async () => {
  vault.fault({ kind: 'latency', ms: 60_000, path: 'secret/data/' })
  const v = await backend()
  const controller = new AbortController()
  setTimeout(() => {
    controller.abort(new Error('received SIGTERM'))
  }, 100)
  const results = await v.fetch([{ path: 'secret/app' }], controller.signal)
  expect(results.map(show)).toEqual([
    'TIMEOUT: the run was stopped (SIGTERM or SIGINT) while reading secret/data/app',
  ])
})

test('login failure: every ref fails with AUTH_FAILED naming method, mount and Vault reason', async () => {
  const v = await backend({ AVP_SECRET_ID: 'canary-wrong-secret-id' })
  const results = await v.fetch([{ path: 'secret/app' }, { path: 'kv/legacy' }])
  expect(results.map(show)).toEqual([
    'AUTH_FAILED: Vault login failed (approle at auth/approle): invalid role or secret ID',
    'AUTH_FAILED: Vault login failed (approle at auth/approle): invalid role or secret ID',
  ])
  expect(vault.requests.map((r) => r.path)).toEqual(['auth/approle/login'])
  expectNoCanary(v, results)
})

test('a cached token revoked server-side: one fresh login for all reads, the cache is rewritten', async () => {
  const cacheDir = testdir()
  const first = await backend({ AVP_TOKEN_CACHE_DIR: cacheDir })
  await first.fetch([{ path: 'secret/app' }])
  vault.revokeIssuedTokens()
  vault.resetRequests()
  const second = await backend({ AVP_TOKEN_CACHE_DIR: cacheDir })
  for (let i = 0; i < 5; i++) vault.putKv('secret', `r${String(i)}`, { i })
  const results = await second.fetch(
    Array.from({ length: 5 }, (_, i) => ({ path: `secret/r${String(i)}` })),
  )
  expect(results.every((r) => r.ok)).toBe(true)
  expect(vault.logins()).toHaveLength(1)
  expect(second.events).toContainEqual({
    kind: 'token-cache',
    action: 'remove',
    reason: 'token rejected by Vault',
  })
  const third = await backend({ AVP_TOKEN_CACHE_DIR: cacheDir })
  vault.resetRequests()
  await third.fetch([{ path: 'secret/app' }])
  expect(vault.logins()).toHaveLength(0)
})

test('a rejected VAULT_TOKEN is AUTH_FAILED, not retried with a login', async () => {
  const v = await inProcessVault({
    VAULT_ADDR: vault.address,
    AVP_AUTH_TYPE: 'token',
    VAULT_TOKEN: 'hvs.canary-bogus',
  })
  const results = await v.fetch([{ path: 'secret/app' }])
  expect(results.map(show)).toEqual([
    'AUTH_FAILED: the Vault token was refused (revoked, expired or wrong)',
  ])
  expect(vault.logins()).toHaveLength(0)
})
