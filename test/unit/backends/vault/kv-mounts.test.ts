import type { Answer } from '../../../../src/backends/vault/call'
import { MountResolver } from '../../../../src/backends/vault/kv-mounts'
import type { VaultPath } from '../../../../src/backends/vault/paths'
import type { DebugEvent } from '../../../../src/log'

const MOUNTS: Record<string, { path: string; options: object | null }> = {
  secret: { path: 'secret/', options: { version: '2' } },
  kv: { path: 'kv/', options: null },
  team: { path: 'team/kv/', options: { version: '2' } },
}

function fakeLookup(delayMs = 5) {
  const asked: string[] = []
  const lookup = async (path: VaultPath): Promise<Answer> => {
    asked.push(path.join('/'))
    await new Promise((r) => setTimeout(r, delayMs))
    const mount = MOUNTS[path[0] ?? '']
    if (path[0] === 'old') return { ok: true, response: { status: 404, body: { errors: [] } } }
    if (mount === undefined) {
      return {
        ok: true,
        response: { status: 403, body: { errors: ['preflight capability check returned 403'] } },
      }
    }
    return { ok: true, response: { status: 200, body: { data: { ...mount, type: 'kv' } } } }
  }
  return { asked, lookup }
}

const events: DebugEvent[] = []
const log = (e: DebugEvent): void => {
  events.push(e)
}

test('one lookup per mount, even for a burst of concurrent reads', async () => {
  const resolver = new MountResolver()
  const { asked, lookup } = fakeLookup()
  const paths = ['secret/a', 'secret/b', 'secret/c/d', 'kv/x', 'kv/y', 'secret/data/e']
  const results = await Promise.all(paths.map((p) => resolver.resolve(p.split('/'), lookup, log)))
  expect(asked.sort()).toEqual(['kv/x', 'secret/a'])
  expect(
    results.map(
      (r) => r.ok && r.info.kind === 'known' && `${r.info.mount.join('/')}:${r.info.kvVersion}`,
    ),
  ).toEqual(['secret:2', 'secret:2', 'secret:2', 'kv:1', 'kv:1', 'secret:2'])
  // Later reads are answered from memory.
  await resolver.resolve(['secret', 'z'], lookup, log)
  expect(asked).toHaveLength(2)
})

test('options null or missing means KV v1; multi-segment mounts are kept whole', async () => {
  const resolver = new MountResolver()
  const { lookup } = fakeLookup()
  expect(await resolver.resolve(['team', 'kv', 'app'], lookup, log)).toEqual({
    ok: true,
    info: { kind: 'known', mount: ['team', 'kv'], kvVersion: '2', engine: 'kv' },
  })
})

test('403 (unknown mount) and 404 (old Vault) are remembered as unknown, for that path only', async () => {
  const resolver = new MountResolver()
  const { asked, lookup } = fakeLookup()
  const denied = { ok: true, info: { kind: 'unknown', reason: 'denied' } }
  expect(await resolver.resolve(['nosuch', 'a'], lookup, log)).toEqual(denied)
  expect(await resolver.resolve(['nosuch', 'a'], lookup, log)).toEqual(denied)
  expect(await resolver.resolve(['nosuch', 'b'], lookup, log)).toEqual(denied)
  expect(await resolver.resolve(['old', 'b'], lookup, log)).toEqual({
    ok: true,
    info: { kind: 'unknown', reason: 'old-vault' },
  })
  expect(asked).toEqual(['nosuch/a', 'nosuch/b', 'old/b'])
})

test.each([
  ['refused first', ['team/other/x', 'team/kv/app']],
  ['allowed first', ['team/kv/app', 'team/other/x']],
])('a refused sibling does not hide a readable mount (%s)', async (_order, paths) => {
  for (const concurrent of [false, true]) {
    const resolver = new MountResolver()
    const { lookup } = fakeLookup()
    const denyOther = (path: VaultPath): Promise<Answer> =>
      path[1] === 'other'
        ? Promise.resolve({ ok: true, response: { status: 403, body: { errors: ['preflight'] } } })
        : lookup(path)
    const run = (p: string) => resolver.resolve(p.split('/'), denyOther, log)
    const results = concurrent
      ? await Promise.all(paths.map(run))
      : [await run(paths[0] ?? ''), await run(paths[1] ?? '')]
    const byPath = new Map(paths.map((p, i) => [p, results[i]]))
    expect(byPath.get('team/kv/app')).toEqual({
      ok: true,
      info: { kind: 'known', mount: ['team', 'kv'], kvVersion: '2', engine: 'kv' },
    })
    expect(byPath.get('team/other/x')).toEqual({
      ok: true,
      info: { kind: 'unknown', reason: 'denied' },
    })
  }
})

test.each([
  ['OpenBao: the full namespace path', 'team-a/child/secret/'],
  ['Vault: relative to the namespace', 'child/secret/'],
])(
  'a mount in a child namespace (%s) is made relative to VAULT_NAMESPACE',
  async (_what, reported) => {
    const resolver = new MountResolver('team-a')
    const lookup = (): Promise<Answer> =>
      Promise.resolve({
        ok: true,
        response: {
          status: 200,
          body: { data: { path: reported, type: 'kv', options: { version: '2' } } },
        },
      })
    expect(await resolver.resolve(['child', 'secret', 'app'], lookup, log)).toEqual({
      ok: true,
      info: { kind: 'known', mount: ['child', 'secret'], kvVersion: '2', engine: 'kv' },
    })
  },
)

test('with a namespace set, a 404 names the namespace', async () => {
  const resolver = new MountResolver('team-x')
  const lookup = (): Promise<Answer> =>
    Promise.resolve({
      ok: true,
      response: { status: 404, body: { errors: ['namespace not found'] } },
    })
  const result = await resolver.resolve(['secret', 'app'], lookup, log)
  expect(result).toMatchObject({ ok: false, failure: { code: 'SECRET_NOT_FOUND' } })
  expect(JSON.stringify(result)).toContain('Vault namespace team-x (VAULT_NAMESPACE) was not found')
})

test('a failed lookup (5xx after retries) is a failure and is not remembered', async () => {
  const resolver = new MountResolver()
  let calls = 0
  const lookup = (): Promise<Answer> => {
    calls += 1
    return Promise.resolve({
      ok: true,
      response: { status: 500, body: { errors: ['internal error'] } },
    })
  }
  const result = await resolver.resolve(['secret', 'a'], lookup, log)
  expect(result).toMatchObject({ ok: false, failure: { code: 'UNAVAILABLE' } })
  await resolver.resolve(['secret', 'a'], lookup, log)
  expect(calls).toBe(2)
})
