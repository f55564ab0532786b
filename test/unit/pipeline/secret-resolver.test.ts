// The resolver is the one place that dedupes refs, hands the run's deadline
// to the backend and logs fetches; backends do none of these themselves.
import { BACKENDS } from '../../../src/backends/registry'
import type { Backend, FetchContext } from '../../../src/backends/types'
import { SecretResolver } from '../../../src/pipeline/secret-resolver'
import { ConfigError } from '../../../src/errors'
import type { DebugEvent } from '../../../src/log'
import { refKey, type Lookup, type RefKey, type SecretRef } from '../../../src/secrets/ref'
import { Secret } from '../../../src/secrets/secret'

/** A backend that answers every ref with `{v: 'canary-<path>'}` and records each call. */
function recordingBackend(): {
  backend: Backend
  calls: { refs: SecretRef[]; ctx: FetchContext }[]
} {
  const calls: { refs: SecretRef[]; ctx: FetchContext }[] = []
  const backend: Backend = {
    type: 'test',
    fetchMany(refs, ctx) {
      calls.push({ refs: [...refs], ctx })
      const found = new Map<RefKey, Lookup>()
      for (const ref of refs) {
        found.set(
          refKey(ref),
          ref.path === 'missing'
            ? { ok: false, failure: { code: 'SECRET_NOT_FOUND', message: 'missing not found' } }
            : { ok: true, data: new Secret({ v: `canary-${ref.path}` }) },
        )
      }
      return Promise.resolve(found)
    },
  }
  return { backend, calls }
}

function resolverWith(
  backend: Backend | undefined,
  events: DebugEvent[],
  signal = new AbortController().signal,
) {
  return new SecretResolver(
    backend === undefined ? undefined : () => Promise.resolve(backend),
    {
      log: (e) => events.push(e),
      registerSecret: () => undefined,
      env: {},
      cwd: '/',
      disableTokenCache: false,
    },
    { signal, deadlineMs: 1234 },
  )
}

test('each distinct ref reaches the backend once per run, duplicates and repeats included', async () => {
  const { backend, calls } = recordingBackend()
  const resolver = resolverWith(backend, [])
  await resolver.fetch([{ path: 'a' }, { path: 'a' }, { path: 'a', version: '2' }])
  await resolver.fetch([{ path: 'a' }, { path: 'b' }])
  expect(calls.map((c) => c.refs)).toEqual([
    [{ path: 'a' }, { path: 'a', version: '2' }],
    [{ path: 'b' }],
  ])
})

test("the backend gets the run's signal and deadline", async () => {
  const { backend, calls } = recordingBackend()
  const signal = new AbortController().signal
  await resolverWith(backend, [], signal).fetch([{ path: 'a' }])
  expect(calls[0]?.ctx.signal).toBe(signal)
  expect(calls[0]?.ctx.deadlineMs).toBe(1234)
})

test('every fetched ref is logged once, with its outcome and never its value', async () => {
  const { backend } = recordingBackend()
  const events: DebugEvent[] = []
  const resolver = resolverWith(backend, events)
  await resolver.fetch([{ path: 'a' }, { path: 'missing', version: '3' }, { path: 'a' }])
  await resolver.fetch([{ path: 'a' }])
  expect(events.map((e) => (e.kind === 'fetch' ? [e.path, e.version, e.outcome] : e.kind))).toEqual(
    [
      ['a', undefined, 'ok'],
      ['missing', '3', 'SECRET_NOT_FOUND'],
    ],
  )
  expect(JSON.stringify(events)).not.toContain('canary')
})

test('without AVP_TYPE, the message lists the registered backends', async () => {
  const error: unknown = await resolverWith(undefined, [])
    .fetch([{ path: 'a' }])
    .catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ConfigError)
  // Built from the registry, so a new backend needs no edit here.
  const names = BACKENDS.map((b) => b.name).sort()
  expect(names).toEqual(expect.arrayContaining(['awssecretsmanager', 'file', 'vault']))
  expect((error as ConfigError).issues).toEqual([
    `AVP_TYPE: not set, but 1 secret reference(s) need a backend; set AVP_TYPE (${names.join(', ')})`,
  ])
})
