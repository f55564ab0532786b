// A run with one reference outside the operator's scope makes no backend
// call at all, not even the login that creating the backend may do.
import type { Backend } from '../../../src/backends/types'
import { silentLog } from '../../../src/log'
import { SecretResolver } from '../../../src/pipeline/secret-resolver'
import { resolvingSubstituter } from '../../../src/pipeline/substitute'
import { refKey, type Lookup, type RefKey } from '../../../src/secrets/ref'
import { Secret } from '../../../src/secrets/secret'
import { manifestsOf } from '../placeholders/helpers'

function countingResolver(): { resolver: SecretResolver; created: () => number } {
  let created = 0
  const backend: Backend = {
    type: 'test',
    fetchMany: (refs) =>
      Promise.resolve(
        new Map<RefKey, Lookup>(
          refs.map((ref) => [refKey(ref), { ok: true, data: new Secret({ a: 'value' }) }]),
        ),
      ),
  }
  const resolver = new SecretResolver(
    () => {
      created += 1
      return Promise.resolve(backend)
    },
    {
      log: silentLog,
      registerSecret: () => undefined,
      env: {},
      cwd: '/',
      disableTokenCache: false,
    },
    { signal: new AbortController().signal, deadlineMs: 1000 },
  )
  return { resolver, created: () => created }
}

const scope = {
  outside: (path: string) => (path.startsWith('team-a/') ? undefined : `${path} is out`),
}

test('one reference outside the scope: the backend is never created, every problem is reported', async () => {
  const { resolver, created } = countingResolver()
  const substitute = resolvingSubstituter({ scope }, resolver, () => undefined, silentLog)
  const manifests = manifestsOf([
    'kind: Thing\nx: <path:team-a/db#a>\ny: <path:team-b/db#a>\nz: <path:team-c/db#a>\n',
  ])
  const { problems } = await substitute(manifests)
  expect(created()).toBe(0)
  expect(problems.map((p) => [p.code, p.placeholder])).toEqual([
    ['PATH_OUT_OF_SCOPE', '<path:team-b/db#a>'],
    ['PATH_OUT_OF_SCOPE', '<path:team-c/db#a>'],
  ])
  // Nothing was substituted either.
  expect(manifests[0]?.doc.toString()).toContain('x: <path:team-a/db#a>')
})

test('every reference inside the scope: fetched and substituted', async () => {
  const { resolver, created } = countingResolver()
  const substitute = resolvingSubstituter({ scope }, resolver, () => undefined, silentLog)
  const manifests = manifestsOf(['kind: Thing\nx: <path:team-a/db#a>\n'])
  const { problems } = await substitute(manifests)
  expect(problems).toEqual([])
  expect(created()).toBe(1)
  expect(manifests[0]?.doc.toString()).toContain('x: value')
})
