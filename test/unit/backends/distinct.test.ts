import { fetchDistinct, type Placement } from '../../../src/backends/distinct'
import { refKey, type Lookup, type SecretRef } from '../../../src/secrets/ref'
import { Secret } from '../../../src/secrets/secret'

test('each distinct target is read once; every ref gets its answer; unplaceable refs are not read', async () => {
  const reads: string[] = []
  const refs: SecretRef[] = [
    { path: 'a' },
    { path: 'A', version: '2' },
    { path: 'b' },
    { path: 'bad!' },
  ]
  const place = (ref: SecretRef): Placement<string> =>
    ref.path.endsWith('!')
      ? { failure: { code: 'CONFIG_INVALID', message: `bad path ${ref.path}` } }
      : { key: ref.path.toLowerCase(), target: ref.path.toLowerCase() }
  const read = (target: string): Promise<Lookup> => {
    reads.push(target)
    return Promise.resolve(
      target === 'a'
        ? { ok: true, data: new Secret({ k: 'v' }) }
        : { ok: false, failure: { code: 'SECRET_NOT_FOUND', message: `${target} not found` } },
    )
  }
  const results = await fetchDistinct(refs, place, read, 2)
  expect(reads.sort()).toEqual(['a', 'b'])
  const a = results.get(refKey({ path: 'a' }))
  expect(a?.ok).toBe(true)
  expect(results.get(refKey({ path: 'A', version: '2' }))).toBe(a)
  expect(results.get(refKey({ path: 'b' }))).toEqual({
    ok: false,
    failure: { code: 'SECRET_NOT_FOUND', message: 'b not found' },
  })
  expect(results.get(refKey({ path: 'bad!' }))).toEqual({
    ok: false,
    failure: { code: 'CONFIG_INVALID', message: 'bad path bad!' },
  })
})
