import type { MountResult } from '../../../../src/backends/vault/kv-mounts'
import { planRead, versionQuery, type ReadPlan } from '../../../../src/backends/vault/kv-plan'
import type { VaultPath } from '../../../../src/backends/vault/paths'

const v2: MountResult = {
  ok: true,
  info: { kind: 'known', mount: ['secret'], kvVersion: '2', engine: 'kv' },
}
const v1: MountResult = {
  ok: true,
  info: { kind: 'known', mount: ['kv'], kvVersion: '1', engine: 'kv' },
}
const denied: MountResult = { ok: true, info: { kind: 'unknown', reason: 'denied' } }

function resolver(result: MountResult) {
  const asked: string[] = []
  return {
    asked,
    resolve: (path: VaultPath) => {
      asked.push(path.join('/'))
      return Promise.resolve(result)
    },
  }
}

async function plan(
  ref: { path: string; kvVersion?: string },
  configured: '1' | '2' | undefined,
  result: MountResult,
): Promise<{ request: string; kv: string; source: string; asked: string[] }> {
  const r = resolver(result)
  const planned = await planRead(ref, configured, r.resolve)
  if (!planned.ok)
    return {
      request: planned.failure.message,
      kv: planned.failure.code,
      source: '',
      asked: r.asked,
    }
  const p = planned.plan
  return { request: p.requestPath.join('/'), kv: p.kv, source: p.kvSource, asked: r.asked }
}

test.each([
  ['secret/app', v2, 'secret/data/app', '2'],
  ['secret/data/app', v2, 'secret/data/app', '2'],
  ['kv/app', v1, 'kv/app', '1'],
  ['team/data/app', denied, 'team/data/app', 'unknown'],
])('detected: %s → %s', async (path, result, request, kv) => {
  expect(await plan({ path }, undefined, result)).toMatchObject({
    request,
    kv,
    source: kv === 'unknown' ? 'none' : 'detected',
  })
})

test('a multi-segment mount gets data/ after the whole mount', async () => {
  const team: MountResult = {
    ok: true,
    info: { kind: 'known', mount: ['team', 'kv'], kvVersion: '2', engine: 'kv' },
  }
  expect(await plan({ path: 'team/kv/app/db' }, undefined, team)).toMatchObject({
    request: 'team/kv/data/app/db',
  })
})

test('annotation > AVP_KV_VERSION > detection', async () => {
  expect(await plan({ path: 'secret/app', kvVersion: '1' }, '2', v2)).toEqual({
    request: 'secret/app',
    kv: '1',
    source: 'avp.kubernetes.io/kv-version',
    asked: ['secret/app'],
  })
  expect(await plan({ path: 'secret/app' }, '1', v2)).toEqual({
    request: 'secret/app',
    kv: '1',
    source: 'AVP_KV_VERSION',
    asked: ['secret/app'],
  })
})

test('a v2 override with an AVP-style path keeps its data/ (the mount is still looked up)', async () => {
  expect(await plan({ path: 'secret/data/app' }, '2', v2)).toEqual({
    request: 'secret/data/app',
    kv: '2',
    source: 'AVP_KV_VERSION',
    asked: ['secret/data/app'],
  })
})

test.each([
  ['auth/token/lookup-self'],
  ['sys/config/state/sanitized'],
  ['identity/entity/id'],
  ['cubbyhole/app'],
  ['/auth/token/lookup-self'],
])('%s is refused before any request, whatever kv-version says', async (path) => {
  for (const kvVersion of [undefined, '1', '2']) {
    const result = await plan(kvVersion === undefined ? { path } : { path, kvVersion }, '1', v1)
    expect(result).toMatchObject({ kv: 'PATH_NOT_ALLOWED', asked: [] })
  }
})

test.each([['token'], ['system'], ['transit'], ['cubbyhole']])(
  'a path on a %s mount is refused, even with kv-version 1',
  async (engine) => {
    const other: MountResult = {
      ok: true,
      info: { kind: 'known', mount: ['team-a', 'x'], kvVersion: '1', engine },
    }
    const result = await plan({ path: 'team-a/x/y', kvVersion: '1' }, undefined, other)
    expect(result).toMatchObject({ kv: 'PATH_NOT_ALLOWED' })
    expect(result.request).toContain(`on a ${engine} mount (team-a/x/)`)
  },
)

test.each([['kv'], ['generic']])('a %s mount is read', async (engine) => {
  const kv: MountResult = {
    ok: true,
    info: { kind: 'known', mount: ['old'], kvVersion: '1', engine },
  }
  expect(await plan({ path: 'old/app' }, undefined, kv)).toMatchObject({ kv: '1' })
})

test('a v2 override without data/ looks the mount up to place it', async () => {
  expect(await plan({ path: 'secret/app' }, '2', v2)).toMatchObject({
    request: 'secret/data/app',
    asked: ['secret/app'],
  })
  // Lookup refused: assume a one-segment mount.
  expect(await plan({ path: 'team/app' }, '2', denied)).toMatchObject({
    request: 'team/data/app',
    kv: '2',
  })
})

test('a bad annotation or path is a failure, not a request', async () => {
  expect(await plan({ path: 'secret/app', kvVersion: '3' }, undefined, v2)).toMatchObject({
    kv: 'CONFIG_INVALID',
    request: 'avp.kubernetes.io/kv-version must be 1 or 2, got "3" (for secret/app)',
  })
  expect(await plan({ path: 'secret/../x' }, undefined, v2)).toMatchObject({
    kv: 'BACKEND_ERROR',
    asked: [],
  })
})

describe('versionQuery', () => {
  const p = (kv: ReadPlan['kv']): ReadPlan => ({
    written: ['s', 'a'],
    requestPath: ['s', 'data', 'a'],
    kv,
    kvSource: 'detected',
  })
  test.each([
    [undefined, '2', { query: {} }],
    ['3', '2', { query: { version: '3' } }],
    ['3', 'unknown', { query: { version: '3' } }],
    ['3', '1', { ignored: true }],
  ] as const)('version %s on kv %s', (version, kv, expected) => {
    expect(versionQuery(version, p(kv))).toEqual(expected)
  })

  test.each([['0'], ['-1'], ['abc'], ['1.5'], ['01']])('rejects %j', (version) => {
    expect(versionQuery(version, p('2'))).toEqual({
      failure: {
        code: 'BACKEND_ERROR',
        message: `invalid version ${JSON.stringify(version)} for s/data/a: KV v2 versions are whole numbers from 1`,
      },
    })
  })
})
