// Vault KV v2 metadata answers as `refresh` reads them: the current version,
// or why the secret is gone, never anything of its data.
import { interpretMetadata } from '../../../../src/backends/vault/kv-metadata'

const NOW = Date.parse('2026-01-02T00:00:00Z')
const answer = (versions: Record<string, unknown>, current: number) => ({
  status: 200,
  body: { data: { current_version: current, versions } },
})
const read = (response: { status: number; body: unknown }) =>
  interpretMetadata(response, 'secret/data/app', 'reading the metadata', 1, NOW)
const live = { deletion_time: '', destroyed: false }

test('the current version of a live secret', () => {
  expect(read(answer({ '1': live, '2': live }, 2))).toEqual({ kind: 'current', version: '2' })
})

test('a deleted, destroyed or missing current version is gone; a deletion still ahead is not', () => {
  const deleted = { deletion_time: '2026-01-01T00:00:00Z', destroyed: false }
  expect(read(answer({ '3': deleted }, 3))).toEqual({
    kind: 'gone',
    why: 'version 3 of secret/data/app was deleted at 2026-01-01T00:00:00Z',
  })
  expect(read(answer({ '3': { deletion_time: '', destroyed: true } }, 3))).toEqual({
    kind: 'gone',
    why: 'version 3 of secret/data/app was destroyed',
  })
  const later = { deletion_time: '2026-02-01T00:00:00Z', destroyed: false }
  expect(read(answer({ '3': later }, 3))).toEqual({ kind: 'current', version: '3' })
  expect(read({ status: 404, body: { errors: [] } })).toEqual({
    kind: 'gone',
    why: 'secret/data/app no longer exists',
  })
  expect(read(answer({}, 0))).toEqual({ kind: 'gone', why: 'secret/data/app has no versions left' })
})

test('refusals and odd answers are failures', () => {
  expect(read({ status: 403, body: { errors: ['permission denied'] } })).toEqual({
    kind: 'failed',
    failure: { code: 'ACCESS_DENIED', message: 'permission denied reading the metadata' },
  })
  const odd = read({ status: 200, body: { data: { keys: ['x'] } } })
  expect(odd.kind === 'failed' && odd.failure.code).toBe('WRONG_ENGINE')
})
