// The kubernetessecret backend with an in-memory port: the deadline and
// SIGTERM wordings, one connection per backend, and no canary in any message.
import { createKubeSecretBackend } from '../../../../src/backends/kubernetessecret/backend'
import type { KubeSecretPort } from '../../../../src/backends/kubernetessecret/port'
import type { FetchContext } from '../../../../src/backends/types'
import type { JsonAnswer } from '../../../../src/http/json-request'
import { refKey, type SecretRef } from '../../../../src/secrets/ref'
import { expectDeadlineAndSigterm, untilAborted } from '../run-signal'

const LIMITS = { concurrency: 4, maxAttempts: 3, requestTimeoutMs: 1000 }
const TARGET = { host: '10.0.0.1', port: 443, api: '10.0.0.1:443', dir: '/sa' }

function secretBody(data: Record<string, string>): unknown {
  const encoded = Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  )
  return { kind: 'Secret', data: encoded }
}

/** A port whose GET answers `answer(path)`; counts connections and GETs. */
function portOf(answer: (name: string, signal: AbortSignal) => Promise<JsonAnswer>) {
  const calls = { connect: 0, get: [] as string[] }
  const port: KubeSecretPort = () => {
    calls.connect += 1
    return Promise.resolve({
      ok: true,
      api: {
        target: TARGET,
        getSecret: (secret, signal) => {
          calls.get.push(`${secret.namespace}/${secret.name}`)
          return answer(secret.name, signal)
        },
      },
    })
  }
  return { port, calls }
}

const ctx = (signal: AbortSignal): FetchContext => ({
  signal,
  deadlineMs: 50,
  log: () => undefined,
})

test('the run deadline and SIGTERM are told apart', async () => {
  const { port } = portOf((_name, signal) =>
    untilAborted<JsonAnswer>(signal, { ok: false, failure: { kind: 'aborted' } }),
  )
  const backend = createKubeSecretBackend(LIMITS, port)
  const ref: SecretRef = { path: 'team-a:db' }
  await expectDeadlineAndSigterm(
    async (signal) => (await backend.fetchMany([ref], ctx(signal))).get(refKey(ref)),
    'reading secret team-a/db',
  )
})

test('one connection per backend, one GET per Secret, values decoded, nothing leaked', async () => {
  const { port, calls } = portOf((name) =>
    Promise.resolve({ ok: true, status: 200, body: secretBody({ pw: `canary-${name}` }) }),
  )
  const backend = createKubeSecretBackend(LIMITS, port)
  const refs: SecretRef[] = [{ path: 'app' }, { path: 'argocd:app', version: '2' }, { path: 'x:y' }]
  const first = await backend.fetchMany(refs, ctx(new AbortController().signal))
  await backend.fetchMany([{ path: 'other' }], ctx(new AbortController().signal))
  expect(calls.connect).toBe(1)
  expect(calls.get).toEqual(['argocd/app', 'x/y', 'argocd/other'])
  const app = first.get(refKey({ path: 'app' }))
  expect(app?.ok && app.data.reveal()).toEqual({ pw: 'canary-app' })
  expect(first.get(refKey({ path: 'argocd:app', version: '2' }))).toBe(app)
  expect(JSON.stringify([...first])).not.toContain('canary')
})

test('no in-cluster API: every ref fails with the reason, and a bad path never connects', async () => {
  let connects = 0
  const port: KubeSecretPort = () => {
    connects += 1
    return Promise.resolve({ ok: false, failures: ['not running in a Kubernetes pod'] })
  }
  const backend = createKubeSecretBackend(LIMITS, port)
  const bad = await backend.fetchMany([{ path: 'a:b:c' }], ctx(new AbortController().signal))
  expect(connects).toBe(0)
  expect(bad.get(refKey({ path: 'a:b:c' }))).toMatchObject({ failure: { code: 'CONFIG_INVALID' } })
  const out = await backend.fetchMany(
    [{ path: 'a' }, { path: 'b' }],
    ctx(new AbortController().signal),
  )
  expect(connects).toBe(1)
  for (const path of ['a', 'b']) {
    expect(out.get(refKey({ path }))).toEqual({
      ok: false,
      failure: {
        code: 'CONFIG_INVALID',
        message: 'cannot read Kubernetes Secrets: not running in a Kubernetes pod',
      },
    })
  }
})
