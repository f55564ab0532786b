// The Vault backend in-process (parseConfig → load → fetchMany) against the
// fake Vault: KV semantics and request counts, with the debug events at hand.
// Faults are in vault-backend-faults.test.ts; the built CLI in vault-cli-*.test.ts.
import { startFakeVault, type FakeVault } from '../support/fake-vault'
import {
  approleBackend,
  expectNoCanary,
  PASSWORD,
  SECRET_ID,
  seedBasics,
} from '../support/fake-vault/backend-fixture'
import { show } from '../support/fake-vault/in-process'

let vault: FakeVault

beforeEach(async () => {
  vault = await startFakeVault()
  seedBasics(vault)
})

afterEach(async () => {
  await vault.stop()
})

const backend = (extra: Record<string, string> = {}) => approleBackend(vault, extra)

test('KV v2 with and without data/, KV v1, values keep their JSON types', async () => {
  const v = await backend()
  const results = await v.fetch([
    { path: 'secret/data/app' },
    { path: 'secret/app' },
    { path: 'kv/legacy' },
  ])
  expect(results.map(show)).toEqual([
    { password: `${PASSWORD}-v2`, port: 5433 },
    { password: `${PASSWORD}-v2`, port: 5433 },
    { user: 'canary-legacy-user' },
  ])
  // Both spellings of the v2 path cost one read; one lookup per mount; one login.
  expect(vault.count('secret/data/app')).toBe(1)
  expect(
    vault
      .mountLookups()
      .map((r) => r.path)
      .sort(),
  ).toEqual(['sys/internal/ui/mounts/kv/legacy', 'sys/internal/ui/mounts/secret/data/app'])
  expect(vault.logins()).toHaveLength(1)
})

test('versions: a pinned version, a deleted one, a destroyed one, one that never existed', async () => {
  vault.putKv('secret', 'app', { password: 'v3' })
  vault.putKv('secret', 'app', { password: 'v4' })
  vault.deleteVersion('secret', 'app', 3)
  vault.destroyVersion('secret', 'app', 4)
  const v = await backend()
  const results = await v.fetch([
    { path: 'secret/app', version: '1' },
    { path: 'secret/data/app', version: '3' },
    { path: 'secret/app', version: '4' },
    { path: 'secret/app' },
    { path: 'secret/app', version: '9' },
    { path: 'secret/app', version: 'latest' },
    { path: 'kv/legacy', version: '7' },
  ])
  expect(results.map(show)).toEqual([
    { password: PASSWORD, port: 5432, tls: true, nested: { list: [1, 'two'] } },
    expect.stringMatching(
      /^VERSION_DELETED: version 3 of secret\/data\/app was deleted at \d{4}-\d\d-\d\dT/,
    ),
    'VERSION_DELETED: version 4 of secret/data/app was destroyed',
    'VERSION_DELETED: the latest version (4) of secret/data/app was destroyed',
    'SECRET_NOT_FOUND: version 9 of secret/data/app does not exist',
    'BACKEND_ERROR: invalid version "latest" for secret/data/app: KV v2 versions are whole numbers from 1',
    { user: 'canary-legacy-user' },
  ])
  expect(v.events).toContainEqual({
    kind: 'note',
    message: 'version ignored for kv/legacy: KV v1 has no versions',
  })
  expectNoCanary(v, results)
})

test('max_versions: a pruned version is a plain 404', async () => {
  vault.addKvMount('short', 2, { maxVersions: 1 })
  vault.putKv('short', 'a', { k: 'one' })
  vault.putKv('short', 'a', { k: 'two' })
  const v = await backend()
  expect((await v.fetch([{ path: 'short/a', version: '1' }])).map(show)).toEqual([
    'SECRET_NOT_FOUND: version 1 of short/data/a does not exist',
  ])
})

test('wrong engine, unknown mount, missing secret: each says what is wrong (AVP #47)', async () => {
  const v = await backend()
  const results = await v.fetch([
    { path: 'kv/data/legacy' },
    { path: 'secret/app', kvVersion: '1' },
    { path: 'nosuch/app' },
    { path: 'secret/missing' },
  ])
  expect(results.map(show)).toEqual([
    'WRONG_ENGINE: no secret at kv/data/legacy: mount kv/ is KV v1, which has no data/ segment (did you mean kv/legacy?)',
    'WRONG_ENGINE: secret/app is on a KV v2 mount, which needs data/ after the mount; it was read as KV v1 because kv-version 1 comes from avp.kubernetes.io/kv-version',
    'SECRET_NOT_FOUND: no secrets engine is mounted at nosuch/app (no handler for route "nosuch/app". route entry not found.)',
    'SECRET_NOT_FOUND: secret not found: secret/data/missing',
  ])
})

test('AVP_KV_VERSION=2 with AVP-style paths reads them as written, after one lookup per mount', async () => {
  const v = await backend({ AVP_KV_VERSION: '2' })
  vault.putKv('secret', 'other', { k: 'canary-other' })
  expect(
    (await v.fetch([{ path: 'secret/data/app' }, { path: 'secret/data/other' }])).map(show),
  ).toEqual([{ password: `${PASSWORD}-v2`, port: 5433 }, { k: 'canary-other' }])
  // The lookup tells a KV mount from auth/token and other engines (kv-plan.ts).
  expect(vault.mountLookups()).toHaveLength(1)
  expect(vault.count('secret/data/app')).toBe(1)
})

test('a denied path is ACCESS_DENIED naming it; others in the same run still resolve', async () => {
  vault.addPolicy('limited', { allow: ['secret/*'], deny: ['secret/data/forbidden'] })
  vault.addApprole('limited-role', SECRET_ID, { policies: ['limited'] })
  vault.putKv('secret', 'forbidden', { k: 'canary-forbidden' })
  const v = await backend({ AVP_ROLE_ID: 'limited-role' })
  const results = await v.fetch([
    { path: 'secret/forbidden' },
    { path: 'secret/app' },
    { path: 'kv/legacy' },
  ])
  expect(results.map(show)).toEqual([
    'ACCESS_DENIED: permission denied reading secret/data/forbidden',
    { password: `${PASSWORD}-v2`, port: 5433 },
    'ACCESS_DENIED: permission denied reading kv/legacy; Vault also refused the mount lookup, so kv/ may not be a mount, or the policy grants nothing under it',
  ])
})

test('many distinct secrets: one login, one lookup per mount, bounded concurrency', async () => {
  for (let i = 0; i < 30; i++) vault.putKv('secret', `s${String(i)}`, { i })
  vault.fault({ kind: 'latency', ms: 30, path: 'secret/' })
  const v = await backend({ AVP_VAULT_CONCURRENCY: '4' })
  const refs = Array.from({ length: 30 }, (_, i) => ({ path: `secret/s${String(i)}` }))
  const results = await v.fetch(refs)
  expect(results.every((r) => r.ok)).toBe(true)
  expect(vault.logins()).toHaveLength(1)
  expect(vault.mountLookups()).toHaveLength(1)
  expect(vault.maxInFlight).toBeLessThanOrEqual(4)
  expect(vault.maxInFlight).toBeGreaterThan(1)
})

test('no refs: no login, no request at all', async () => {
  const v = await backend()
  expect(await v.fetch([])).toEqual([])
  expect(vault.requests).toHaveLength(0)
})
