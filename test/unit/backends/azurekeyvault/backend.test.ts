// The azurekeyvault backend with an in-memory port: one read per distinct
// (vault, secret, version), each vault's first read alone, missing secrets
// as missing keys, every failure class, retries, the deadline and SIGTERM,
// and no canary value in any message or log event.
import { createAzureBackend } from '../../../../src/backends/azurekeyvault/backend'
import type { AzureConfig } from '../../../../src/backends/azurekeyvault/config'
import {
  AzureCallError,
  type AzureCallFacts,
  type AzureSecretValue,
  type KeyVaultPort,
} from '../../../../src/backends/azurekeyvault/port-types'
import type { BackendDeps, FetchContext } from '../../../../src/backends/types'
import type { DebugEvent } from '../../../../src/log'
import { refKey, type Lookup, type SecretRef } from '../../../../src/secrets/ref'
import { untilAborted } from '../run-signal'

const CONFIG: AzureConfig = {
  credential: { kind: 'managed-identity' },
  vaultUrlTemplate: 'https://{vault}.vault.azure.net',
  customVaultUrl: false,
  maxAttempts: 3,
  attemptTimeoutMs: 1000,
  concurrency: 4,
}

const DEPS: BackendDeps = {
  log: () => undefined,
  registerSecret: () => undefined,
  env: {},
  cwd: '/',
  disableTokenCache: false,
}

type Answer = (
  vault: string,
  name: string,
  version: string | undefined,
  signal: AbortSignal,
) => Promise<AzureSecretValue>

/** A port that answers with `answer` and records each call, with when it started and ended. */
function portOf(answer: Answer) {
  const calls: string[] = []
  const events: string[] = []
  const port: KeyVaultPort = {
    async getSecret(vault, name, version, signal) {
      const id = `${vault}/${name}/${version ?? ''}`
      calls.push(id)
      events.push(`start ${id}`)
      try {
        return await answer(vault, name, version, signal)
      } finally {
        events.push(`end ${id}`)
      }
    },
  }
  return { port, calls, events }
}

const fail = (facts: Omit<AzureCallFacts, 'aborted'> & { aborted?: boolean }) =>
  Promise.reject(new AzureCallError({ aborted: false, ...facts }))

const store: Record<string, string> = {
  'kv1/db/': 'canary-db',
  'kv1/db/abc123': 'canary-db-old',
  'kv1/api/': 'canary-api',
  'kv2/db/': 'canary-kv2-db',
}

const fromStore: Answer = (vault, name, version) => {
  const value = store[`${vault}/${name.toLowerCase()}/${version ?? ''}`]
  return value === undefined
    ? fail({ httpStatus: 404, code: 'SecretNotFound' })
    : Promise.resolve({ value, version: 'ver-1' })
}

function context(signal = new AbortController().signal, events: DebugEvent[] = []): FetchContext {
  return { signal, deadlineMs: 1000, log: (e) => events.push(e) }
}

const ref = (path: string, key: string, version?: string): SecretRef => ({
  path,
  key,
  ...(version === undefined ? {} : { version }),
})

async function fetchOne(
  port: KeyVaultPort,
  r: SecretRef,
  ctx = context(),
): Promise<Lookup | undefined> {
  return (await createAzureBackend(CONFIG, DEPS, port).fetchMany([r], ctx)).get(refKey(r))
}

test('one read per distinct (vault, secret, version); names match case-insensitively; each vault starts alone', async () => {
  const { port, calls, events } = portOf(fromStore)
  const refs = [
    ref('kv1', 'db'),
    ref('kv1', 'DB'),
    ref('kv1', 'db', ''),
    ref('kv1', 'db', 'abc123'),
    ref('kv1', 'api'),
    ref('kv2', 'db'),
  ]
  const results = await createAzureBackend(CONFIG, DEPS, port).fetchMany(refs, context())
  expect([...calls].sort()).toEqual(['kv1/api/', 'kv1/db/', 'kv1/db/abc123', 'kv2/db/'])
  // The vault's first read ends before its other reads start (it answers the challenge).
  expect(events.indexOf('end kv1/db/')).toBeLessThan(events.indexOf('start kv1/db/abc123'))
  expect(events.indexOf('end kv1/db/')).toBeLessThan(events.indexOf('start kv1/api/'))
  const values = refs.map((r) => {
    const lookup = results.get(refKey(r))
    return lookup?.ok === true ? lookup.data.reveal() : lookup
  })
  expect(values).toEqual([
    { db: 'canary-db' },
    { DB: 'canary-db' },
    { db: 'canary-db' },
    { db: 'canary-db-old' },
    { api: 'canary-api' },
    { db: 'canary-kv2-db' },
  ])
  expect(results.get(refKey(ref('kv1', 'db')))).toMatchObject({ version: 'ver-1' })
})

test('a missing or impossible secret name is a missing key; a bad vault or version is CONFIG_INVALID without a call', async () => {
  const { port, calls } = portOf(fromStore)
  const refs = [
    ref('kv1', 'nope'),
    ref('kv1', 'bad_name'),
    ref('secret/data/x', 'db'),
    ref('x', 'db'),
    ref('kv1', 'db', 'not/a/version'),
  ]
  const results = await createAzureBackend(CONFIG, DEPS, port).fetchMany(refs, context())
  expect(calls).toEqual(['kv1/nope/'])
  const [nope, bad, path, short, version] = refs.map((r) => results.get(refKey(r)))
  expect(nope?.ok === true && nope.data.reveal()).toEqual({})
  expect(bad?.ok === true && bad.data.reveal()).toEqual({})
  expect(path).toMatchObject({ ok: false, failure: { code: 'CONFIG_INVALID' } })
  expect(short).toMatchObject({ ok: false, failure: { code: 'CONFIG_INVALID' } })
  expect(version).toEqual({
    ok: false,
    failure: {
      code: 'CONFIG_INVALID',
      message:
        'version "not/a/version" for key vault kv1 is not a Key Vault secret version (letters and digits, 32 hex digits as Azure makes them)',
    },
  })
})

test.each<[string, Omit<AzureCallFacts, 'aborted'>, string]>([
  [
    'disabled',
    { httpStatus: 403, code: 'Forbidden', disabled: true },
    'VERSION_DELETED: secret db in key vault kv1 is disabled: enable it in the vault, or name an enabled version after the key (#key#<version>) (Forbidden, HTTP 403)',
  ],
  [
    'forbidden',
    { httpStatus: 403, code: 'ForbiddenByFirewall' },
    `ACCESS_DENIED: permission denied for secret db in key vault kv1: the identity needs the "Key Vault Secrets User" role or a "get" secret permission in the vault's access policy, and the vault's firewall must let the plugin in (ForbiddenByFirewall, HTTP 403)`,
  ],
  [
    'token refused by Key Vault',
    { httpStatus: 401, code: 'Unauthorized' },
    'AUTH_FAILED: Key Vault did not accept the token while reading secret db in key vault kv1 (Unauthorized, HTTP 401)',
  ],
  [
    'no vault of that name',
    { networkCode: 'ENOTFOUND' },
    'SECRET_NOT_FOUND: key vault kv1 not found: its host name does not resolve; check the vault name (the path of the placeholder) (ENOTFOUND)',
  ],
  [
    'no credential',
    { auth: 'unavailable' },
    'AUTH_FAILED: no Azure credential could be used for reading secret db in key vault kv1: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE (AKS Workload Identity sets them) or AZURE_CLIENT_SECRET, or run with a managed identity (docs/backends/azurekeyvault.md)',
  ],
  [
    'an answer without a value',
    { malformed: true },
    'BACKEND_ERROR: Key Vault sent an answer without a secret value for secret db in key vault kv1 (no details)',
  ],
  [
    'another 4xx',
    { httpStatus: 400, code: 'BadParameter' },
    'BACKEND_ERROR: Key Vault refused to read secret db in key vault kv1 (BadParameter, HTTP 400)',
  ],
])('%s is one clear failure and is not retried', async (_name, facts, expected) => {
  const { port, calls } = portOf(() => fail(facts))
  const lookup = await fetchOne(port, ref('kv1', 'db'))
  expect(lookup?.ok === false && `${lookup.failure.code}: ${lookup.failure.message}`).toBe(expected)
  expect(calls).toHaveLength(1)
})

test("a failure every read of a vault shares is not asked again for the vault's other secrets", async () => {
  const { port, calls } = portOf(() => fail({ auth: 'refused', authError: 'invalid_client' }))
  const refs = [ref('kv1', 'db'), ref('kv1', 'api'), ref('kv1', 'other')]
  const results = await createAzureBackend(CONFIG, DEPS, port).fetchMany(refs, context())
  expect(calls).toHaveLength(1)
  expect(refs.map((r) => results.get(refKey(r)))).toEqual(
    ['db', 'api', 'other'].map((name) => ({
      ok: false,
      failure: {
        code: 'AUTH_FAILED',
        message: `Microsoft Entra ID did not give a token for reading secret ${name} in key vault kv1; check AZURE_TENANT_ID, AZURE_CLIENT_ID and the credential (invalid_client)`,
      },
    })),
  )
})

test('429, 5xx, network errors and a stuck attempt are retried, with the server Retry-After', async () => {
  let n = 0
  const events: DebugEvent[] = []
  const { port, calls } = portOf((vault, name, version, signal) => {
    n += 1
    if (n === 1) return fail({ httpStatus: 429, code: 'Throttled', retryAfterMs: 5 })
    if (n === 2) return fail({ networkCode: 'ECONNRESET' })
    if (n === 3) return untilAborted(signal, null).then(() => fail({ aborted: true }))
    return fromStore(vault, name, version, signal)
  })
  const config = { ...CONFIG, maxAttempts: 4, attemptTimeoutMs: 20 }
  const r = ref('kv1', 'db')
  const results = await createAzureBackend(config, DEPS, port).fetchMany(
    [r],
    context(undefined, events),
  )
  expect(results.get(refKey(r))).toMatchObject({ ok: true })
  expect(calls).toHaveLength(4)
  expect(events.filter((e) => e.kind === 'retry')).toEqual([
    expect.objectContaining({ attempt: 1, delayMs: 5, reason: 'Throttled' }),
    expect.objectContaining({ attempt: 2, reason: 'ECONNRESET' }),
    expect.objectContaining({ attempt: 3, reason: 'ETIMEDOUT' }),
  ])
})

test('the run deadline and SIGTERM are told apart; throttling until the deadline says so', async () => {
  const hang: Answer = (_v, _n, _ver, signal) =>
    untilAborted(signal, null).then(() => fail({ aborted: true }))
  const deadline = await fetchOne(
    portOf(hang).port,
    ref('kv1', 'db'),
    context(AbortSignal.timeout(20)),
  )
  expect(deadline).toEqual({
    ok: false,
    failure: {
      code: 'TIMEOUT',
      message:
        'Key Vault did not answer within the 1 s deadline (AVP_DEADLINE) while reading secret db in key vault kv1',
    },
  })
  const controller = new AbortController()
  const pending = fetchOne(portOf(hang).port, ref('kv1', 'db'), context(controller.signal))
  controller.abort(new Error('SIGTERM'))
  expect(await pending).toEqual({
    ok: false,
    failure: {
      code: 'TIMEOUT',
      message: 'reading secret db in key vault kv1 was cancelled (the run was stopped)',
    },
  })
  const throttled = await fetchOne(
    portOf(() => fail({ httpStatus: 429, code: 'Throttled', retryAfterMs: 60_000 })).port,
    ref('kv1', 'db'),
    context(AbortSignal.timeout(20)),
  )
  expect(throttled).toEqual({
    ok: false,
    failure: {
      code: 'THROTTLED',
      message:
        'Key Vault throttled the requests and they could not finish within the 1 s deadline (AVP_DEADLINE) while reading secret db in key vault kv1',
    },
  })
})

test('no canary value in any failure message or log event', async () => {
  const events: DebugEvent[] = []
  let n = 0
  const { port } = portOf((vault, name, version, signal) => {
    n += 1
    return n % 2 === 0
      ? fail({ httpStatus: 503, code: 'ServiceUnavailable' })
      : fromStore(vault, name, version, signal)
  })
  const results = await createAzureBackend(CONFIG, DEPS, port).fetchMany(
    [ref('kv1', 'db'), ref('kv1', 'api'), ref('kv2', 'db'), ref('kv1', 'nope')],
    context(undefined, events),
  )
  const messages = [...results.values()].map((l) => (l.ok ? '' : l.failure.message))
  expect(JSON.stringify([messages, events, [...results]])).not.toContain('canary')
})
