// The 1passwordconnect backend with an in-memory port: the deadline and
// SIGTERM wordings, one vault lookup per vault name across items, the token
// registered with the redactor, and no canary in any message.
import { createConnectBackend } from '../../../../src/backends/1passwordconnect/backend'
import type { ConnectConfig } from '../../../../src/backends/1passwordconnect/config'
import type { ConnectAnswer, ConnectPort } from '../../../../src/backends/1passwordconnect/port'
import type { BackendDeps, FetchContext } from '../../../../src/backends/types'
import { Redactor } from '../../../../src/secrets/redact'
import { refKey, type SecretRef } from '../../../../src/secrets/ref'
import { Secret } from '../../../../src/secrets/secret'
import { expectDeadlineAndSigterm, untilAborted } from '../run-signal'

const TOKEN = 'canary-op-token'
const CONFIG: ConnectConfig = {
  host: new URL('http://connect.local:8080'),
  token: new Secret(TOKEN),
  concurrency: 4,
  maxAttempts: 3,
  requestTimeoutMs: 1000,
}
const VAULT = 'v'.repeat(26)

function deps(redactor = new Redactor()): BackendDeps {
  return {
    log: () => undefined,
    registerSecret: (value) => {
      redactor.add(value)
    },
    env: {},
    cwd: '/',
    disableTokenCache: false,
  }
}

const ctx = (signal: AbortSignal): FetchContext => ({
  signal,
  deadlineMs: 50,
  log: () => undefined,
})

/** Answers like Connect for vault `Prod` with items `a` and `b`; records every path. */
function connectPort(): { port: ConnectPort; paths: string[] } {
  const paths: string[] = []
  const ok = (body: unknown): Promise<ConnectAnswer> =>
    Promise.resolve({ ok: true, status: 200, body })
  const port: ConnectPort = {
    get(pathAndQuery) {
      paths.push(decodeURIComponent(pathAndQuery))
      if (pathAndQuery.startsWith('/v1/vaults?')) return ok([{ id: VAULT, name: 'Prod' }])
      const title = /title eq "(\w)"/.exec(decodeURIComponent(pathAndQuery))?.[1]
      if (title !== undefined) return ok([{ id: title.repeat(26) }])
      const item = pathAndQuery.slice(-26, -25)
      return ok({ fields: [{ label: 'pw', value: `canary-${item}` }] })
    },
  }
  return { port, paths }
}

test('one vault lookup for two items of one vault; values by label; the token is registered', async () => {
  const redactor = new Redactor()
  const { port, paths } = connectPort()
  const backend = createConnectBackend(CONFIG, deps(redactor), port)
  const refs: SecretRef[] = [
    { path: 'vaults/Prod/items/a' },
    { path: 'vaults/Prod/items/b' },
    { path: 'vaults/Prod/items/a', version: '9' },
  ]
  const out = await backend.fetchMany(refs, ctx(new AbortController().signal))
  expect(paths.filter((p) => p.startsWith('/v1/vaults?'))).toHaveLength(1)
  expect(paths).toHaveLength(5)
  const a = out.get(refKey({ path: 'vaults/Prod/items/a' }))
  expect(a?.ok && a.data.reveal()).toEqual({ pw: 'canary-a' })
  expect(out.get(refKey({ path: 'vaults/Prod/items/a', version: '9' }))).toBe(a)
  expect(JSON.stringify([...out])).not.toContain('canary')
  expect(redactor.redact(`x ${TOKEN} y`)).toBe('x *** y')
})

test('the run deadline and SIGTERM are told apart', async () => {
  const hung: ConnectPort = {
    get: (_path, signal) =>
      untilAborted<ConnectAnswer>(signal, { ok: false, failure: { kind: 'aborted' } }),
  }
  const backend = createConnectBackend(CONFIG, deps(), hung)
  const ref: SecretRef = { path: `vaults/${VAULT}/items/db` }
  await expectDeadlineAndSigterm(
    async (signal) => (await backend.fetchMany([ref], ctx(signal))).get(refKey(ref)),
    `reading item "db" in vault "${VAULT}"`,
  )
})
