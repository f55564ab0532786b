import fs from 'node:fs'
import path from 'node:path'
import { TokenCache } from '../../../../src/backends/vault/token-cache'
import {
  cacheFileName,
  KEY_FILE,
  loadCacheKey,
  type CacheKeyParts,
} from '../../../../src/backends/vault/token-cache-key'
import type { DebugEvent } from '../../../../src/log'
import { testdir } from '../../../support/testdir'

const BASE: CacheKeyParts = {
  address: 'https://vault.example.com:8200',
  namespace: '',
  method: 'approle',
  mount: 'auth/approle',
  inputs: ['["auth","approle","login"]', '[["role_id","r1"],["secret_id","s1"]]'],
}
const KEY = Buffer.alloc(32, 7)

describe('cache key', () => {
  test.each<[string, Partial<CacheKeyParts>]>([
    ['address', { address: 'https://vault-2.example.com:8200' }],
    ['namespace', { namespace: 'team-a' }],
    ['method', { method: 'userpass' }],
    ['mount', { mount: 'auth/approle-prod' }],
    [
      'secret half of the credential',
      { inputs: [BASE.inputs[0] ?? '', '[["role_id","r1"],["secret_id","s2"]]'] },
    ],
  ])(
    'two configurations that differ in %s get different files (AVP #658, #660)',
    (_what, change) => {
      expect(cacheFileName(KEY, { ...BASE, ...change })).not.toBe(cacheFileName(KEY, BASE))
    },
  )

  test('spelling differences that mean the same Vault share a file', () => {
    expect(cacheFileName(KEY, { ...BASE, address: 'HTTPS://VAULT.example.com:8200/' })).toBe(
      cacheFileName(KEY, BASE),
    )
    expect(cacheFileName(KEY, { ...BASE, namespace: '/team-a/' })).toBe(
      cacheFileName(KEY, { ...BASE, namespace: 'team-a' }),
    )
  })

  test('the name depends on the directory key, so it cannot be computed without it', () => {
    expect(cacheFileName(Buffer.alloc(32, 8), BASE)).not.toBe(cacheFileName(KEY, BASE))
    expect(cacheFileName(KEY, BASE)).toMatch(/^vault-token-[0-9a-f]{40}\.json$/)
  })
})

describe('cache key file', () => {
  test('created once, 0600, 32 random bytes; a second load reads the same key', async () => {
    const dir = path.join(testdir(), 'cache')
    const first = await loadCacheKey(dir)
    const second = await loadCacheKey(dir)
    if (!first.ok || !second.ok) throw new Error('no key')
    expect(first.key.equals(second.key)).toBe(true)
    expect(first.key).toHaveLength(32)
    expect(fs.statSync(path.join(dir, KEY_FILE)).mode & 0o777).toBe(0o600)
    expect(fs.readdirSync(dir)).toEqual([KEY_FILE])
  })

  test('concurrent first loads agree on one key', async () => {
    const dir = path.join(testdir(), 'cache')
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadCacheKey(dir)))
    const hex = new Set(keys.map((k) => (k.ok ? k.key.toString('hex') : 'none')))
    expect([...hex]).toHaveLength(1)
    expect(hex.has('none')).toBe(false)
  })

  test('a key file others can read is not trusted', async () => {
    const dir = testdir()
    fs.writeFileSync(path.join(dir, KEY_FILE), 'a'.repeat(64), { mode: 0o644 })
    fs.chmodSync(path.join(dir, KEY_FILE), 0o644)
    expect(await loadCacheKey(dir)).toEqual({ ok: false, failure: 'insecure-key-file' })
  })

  test('a key file that is a symlink is not trusted', async () => {
    const dir = testdir()
    const target = path.join(testdir(), 'elsewhere')
    fs.writeFileSync(target, 'a'.repeat(64), { mode: 0o600 })
    fs.symlinkSync(target, path.join(dir, KEY_FILE))
    expect(await loadCacheKey(dir)).toEqual({ ok: false, failure: 'insecure-key-file' })
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
