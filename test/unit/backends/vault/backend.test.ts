// The Vault backend against an in-memory port: what it asks Vault for, what it
// makes of the answers, and the run's deadline as its only deadline.
import { createVaultBackend } from '../../../../src/backends/vault/backend'
import { parseVaultConfig } from '../../../../src/backends/vault/parse-config'
import {
  VaultTransportError,
  type VaultCall,
  type VaultPort,
  type VaultResponse,
} from '../../../../src/backends/vault/port-types'
import type { FetchContext } from '../../../../src/backends/types'
import { settingsFromLayers } from '../../../../src/config/settings'
import { silentLog } from '../../../../src/log'
import { Redactor } from '../../../../src/secrets/redact'
import { refKey, type Lookup, type SecretRef } from '../../../../src/secrets/ref'

const TOKEN = 'canary-token-0123456789'

/** Answers mount lookups for `secret/` (KV v2) and reads of `secrets`; 404 otherwise. */
class InMemoryVault implements VaultPort {
  readonly calls: { path: string; token: string | undefined }[] = []
  hang = false
  /** Answers reads of secrets with this text instead of JSON (a body cut short, a proxy's page). */
  garbled: string | undefined

  constructor(private readonly secrets: Readonly<Record<string, Record<string, unknown>>>) {}

  read(
    path: readonly string[],
    _query: Readonly<Record<string, string>>,
    call: VaultCall,
  ): Promise<VaultResponse> {
    const joined = path.join('/')
    this.calls.push({ path: joined, token: call.token })
    if (this.hang) {
      return new Promise((_resolve, reject) => {
        call.signal.addEventListener('abort', () => {
          // As the real port does (port.ts): an aborted call rejects with ABORTED.
          reject(new VaultTransportError('ABORTED'))
        })
      })
    }
    if (joined.startsWith('sys/internal/ui/mounts/secret')) {
      return Promise.resolve({
        status: 200,
        body: { data: { path: 'secret/', type: 'kv', options: { version: '2' } } },
      })
    }
    if (this.garbled !== undefined) return Promise.resolve({ status: 200, body: this.garbled })
    const data = this.secrets[joined]
    if (data === undefined) return Promise.resolve({ status: 404, body: { errors: [] } })
    return Promise.resolve({
      status: 200,
      body: { data: { data, metadata: { version: 1, deletion_time: '', destroyed: false } } },
    })
  }

  write(): Promise<VaultResponse> {
    return Promise.reject(new Error('no login expected with a token'))
  }

  close(): void {
    this.hang = false
  }
}

function backendWith(port: InMemoryVault) {
  const settings = settingsFromLayers([
    {
      name: 'env',
      values: new Map([
        ['VAULT_ADDR', 'http://127.0.0.1:8200'],
        ['AVP_AUTH_TYPE', 'token'],
        ['VAULT_TOKEN', TOKEN],
      ]),
    },
  ])
  const parsed = parseVaultConfig(settings)
  if (!parsed.ok) throw new Error(parsed.failures.join('; '))
  const redactor = new Redactor()
  const deps = {
    log: silentLog,
    registerSecret: (value: unknown) => {
      redactor.add(value)
    },
    env: {},
    cwd: '/',
    disableTokenCache: true,
  }
  return { backend: createVaultBackend(parsed.config, deps, () => port), redactor }
}

function ctx(signal = new AbortController().signal, deadlineMs = 50_000): FetchContext {
  return { signal, deadlineMs, log: silentLog }
}

function outcome(lookups: ReadonlyMap<string, Lookup>, ref: SecretRef): unknown {
  const lookup = lookups.get(refKey(ref))
  return lookup?.ok === true ? lookup.data.reveal() : lookup?.failure
}

test('a KV v2 secret is read through data/ with the token, after one mount lookup', async () => {
  const port = new InMemoryVault({ 'secret/data/app': { password: 'canary-value' } })
  const { backend, redactor } = backendWith(port)
  const refs = [{ path: 'secret/app' }, { path: 'secret/data/app' }]
  const lookups = await backend.fetchMany(refs, ctx())
  expect(refs.map((ref) => outcome(lookups, ref))).toEqual([
    { password: 'canary-value' },
    { password: 'canary-value' },
  ])
  expect(port.calls.filter((c) => c.path.startsWith('secret/data/'))).toHaveLength(1)
  expect(port.calls.every((c) => c.token === TOKEN)).toBe(true)
  expect(redactor.redact(`x ${TOKEN} y`)).toBe('x *** y')
})

test('a missing secret is SECRET_NOT_FOUND, naming the path and no value', async () => {
  const port = new InMemoryVault({})
  const { backend } = backendWith(port)
  const ref = { path: 'secret/missing' }
  expect(outcome(await backend.fetchMany([ref], ctx()), ref)).toMatchObject({
    code: 'SECRET_NOT_FOUND',
    message: expect.stringContaining('secret/data/missing') as unknown,
  })
})

test("the run's signal is the deadline: a TimeoutError abort reads as AVP_DEADLINE", async () => {
  const port = new InMemoryVault({})
  port.hang = true
  const { backend } = backendWith(port)
  const ref = { path: 'secret/slow' }
  const lookups = await backend.fetchMany([ref], ctx(AbortSignal.timeout(30), 30))
  expect(outcome(lookups, ref)).toMatchObject({
    code: 'TIMEOUT',
    message: expect.stringContaining('within the 0.03 s deadline (AVP_DEADLINE)') as unknown,
  })
})

test('SIGTERM (another abort reason) is a stopped run, not the deadline', async () => {
  const port = new InMemoryVault({})
  port.hang = true
  const { backend } = backendWith(port)
  const sigterm = new AbortController()
  const ref = { path: 'secret/slow' }
  const pending = backend.fetchMany([ref], ctx(sigterm.signal))
  sigterm.abort(new Error('received SIGTERM'))
  expect(outcome(await pending, ref)).toMatchObject({
    code: 'TIMEOUT',
    message: expect.stringContaining('the run was stopped') as unknown,
  })
})

test('a 200 whose body is not JSON is a clean BACKEND_ERROR that quotes nothing of it', async () => {
  const port = new InMemoryVault({ 'secret/data/app': { password: 'x' } })
  port.garbled = '{"data":{"data":{"password":"canary-half'
  const { backend } = backendWith(port)
  const ref = { path: 'secret/app' }
  expect(outcome(await backend.fetchMany([ref], ctx()), ref)).toEqual({
    code: 'BACKEND_ERROR',
    message:
      'Vault answered 200 reading secret/data/app with a body that is not JSON (cut short, or a proxy or load balancer in front of Vault?)',
  })
})
