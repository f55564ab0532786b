import fs from 'node:fs'
import path from 'node:path'
import {
  cacheFileName,
  TokenCache,
  type CacheKeyParts,
} from '../../../../src/backends/vault/token-cache'
import type { DebugEvent } from '../../../../src/log'
import { testdir } from '../../../support/testdir'

const BASE: CacheKeyParts = {
  address: 'https://vault.example.com:8200',
  namespace: '',
  method: 'approle',
  mount: 'auth/approle',
  identity: 'role_id=r1',
}

describe('cache key', () => {
  test.each<[string, Partial<CacheKeyParts>]>([
    ['address', { address: 'https://vault-2.example.com:8200' }],
    ['namespace', { namespace: 'team-a' }],
    ['method', { method: 'userpass' }],
    ['mount', { mount: 'auth/approle-prod' }],
    ['identity (role id)', { identity: 'role_id=r2' }],
  ])(
    'two configurations that differ in %s get different files (AVP #658, #660)',
    (_what, change) => {
      expect(cacheFileName({ ...BASE, ...change })).not.toBe(cacheFileName(BASE))
    },
  )

  test('spelling differences that mean the same Vault share a file', () => {
    expect(cacheFileName({ ...BASE, address: 'HTTPS://VAULT.example.com:8200/' })).toBe(
      cacheFileName(BASE),
    )
    expect(cacheFileName({ ...BASE, namespace: '/team-a/' })).toBe(
      cacheFileName({ ...BASE, namespace: 'team-a' }),
    )
  })

  test('the file name shows no identity in clear', () => {
    expect(cacheFileName({ ...BASE, identity: 'role_id=canary-role' })).toMatch(
      /^vault-token-[0-9a-f]{40}\.json$/,
    )
  })
})

describe('TokenCache', () => {
  const events: DebugEvent[] = []
  const log = (e: DebugEvent): void => {
    events.push(e)
  }
  const now = 1_700_000_000_000
  const entry = {
    token: 'hvs.canary-cached',
    expiresAt: now + 3600_000,
    ttlSeconds: 3600,
    renewable: true,
  }

  beforeEach(() => {
    events.length = 0
  })

  test('writes a 0600 file in a 0700 directory and reads it back', async () => {
    const dir = path.join(testdir(), '.avp')
    const cache = new TokenCache(dir, log, () => now)
    await cache.write('f.json', entry)
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700)
    expect(fs.statSync(path.join(dir, 'f.json')).mode & 0o777).toBe(0o600)
    expect(fs.readdirSync(dir)).toEqual(['f.json'])
    expect(await cache.read('f.json')).toEqual(entry)
    expect(JSON.stringify(events)).not.toContain('canary')
  })

  test.each([
    ['30 s left', now + 30_000, 3600, false],
    ['61 s left of a 120 s token', now + 61_000, 120, true],
    ['10 min left of a 1 h token', now + 600_000, 3600, true],
    ['5 min left of a 1 h token (under 10 %)', now + 300_000, 3600, false],
    ['expired', now - 1, 3600, false],
  ])('%s', async (_what, expiresAt, ttlSeconds, used) => {
    const cache = new TokenCache(testdir(), log, () => now)
    await cache.write('f.json', { ...entry, expiresAt, ttlSeconds })
    expect((await cache.read('f.json')) !== undefined).toBe(used)
  })

  test('a token without expiry (lease_duration 0) is used', async () => {
    const cache = new TokenCache(testdir(), log, () => now)
    await cache.write('f.json', { ...entry, expiresAt: null, ttlSeconds: 0 })
    expect(await cache.read('f.json')).toMatchObject({ expiresAt: null })
  })

  test.each([
    ['not JSON', 'canary-not-json {'],
    ['wrong shape', '{"version":1,"token":42}'],
    ['an AVP cache file', '{\n "vault_token": "hvs.canary"\n}'],
  ])('%s is a miss, and its content is never logged', async (_what, content) => {
    const dir = testdir({ 'f.json': content })
    fs.chmodSync(path.join(dir, 'f.json'), 0o600)
    expect(await new TokenCache(dir, log).read('f.json')).toBeUndefined()
    expect(events).toContainEqual({
      kind: 'token-cache',
      action: 'miss',
      reason: 'unreadable-entry',
    })
    expect(JSON.stringify(events)).not.toContain('canary')
  })

  test('a group- or world-readable file is not trusted', async () => {
    const dir = testdir()
    const cache = new TokenCache(dir, log, () => now)
    await cache.write('f.json', entry)
    fs.chmodSync(path.join(dir, 'f.json'), 0o644)
    expect(await cache.read('f.json')).toBeUndefined()
  })

  test('an unwritable directory is a debug note, not an error', async () => {
    const parent = testdir({ blocker: 'a file, not a directory' })
    const cache = new TokenCache(path.join(parent, 'blocker', '.avp'), log)
    await expect(cache.write('f.json', entry)).resolves.toBeUndefined()
    expect(events).toContainEqual(
      expect.objectContaining({ kind: 'token-cache', action: 'write-skipped' }),
    )
    expect(await cache.read('f.json')).toBeUndefined()
  })

  test('concurrent writes leave one complete entry and no temporary files', async () => {
    const dir = testdir()
    const cache = new TokenCache(dir, log, () => now)
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        cache.write('f.json', { ...entry, token: `hvs.canary-${String(i)}` }),
      ),
    )
    expect(fs.readdirSync(dir)).toEqual(['f.json'])
    expect((await cache.read('f.json'))?.token).toMatch(/^hvs\.canary-\d+$/)
  })

  test('remove deletes the entry', async () => {
    const dir = testdir()
    const cache = new TokenCache(dir, log, () => now)
    await cache.write('f.json', entry)
    await cache.remove('f.json')
    expect(fs.readdirSync(dir)).toEqual([])
  })
})
