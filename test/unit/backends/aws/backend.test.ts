import { createAwsBackend } from '../../../../src/backends/aws/backend'
import { AwsCallError } from '../../../../src/backends/aws/errors'
import type { AwsConfig } from '../../../../src/backends/aws/config'
import type { GetInput, SecretValue } from '../../../../src/backends/aws/port-types'
import type { FetchContext } from '../../../../src/backends/types'
import type { DebugEvent } from '../../../../src/log'
import { Redactor } from '../../../../src/secrets/redact'
import { refKey, type Lookup, type SecretRef } from '../../../../src/secrets/ref'
import { Secret } from '../../../../src/secrets/secret'
import { facts, InMemoryPort, stored, type StoredSecret } from './in-memory-port'

const CONFIG: AwsConfig = {
  region: 'us-east-1',
  maxAttempts: 3,
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 1_000,
  concurrency: 8,
}

function setup(
  secrets: readonly StoredSecret[],
  config: Partial<AwsConfig> = {},
  configure: (port: InMemoryPort) => void = () => undefined,
) {
  const ports = new Map<string, InMemoryPort>()
  const redactor = new Redactor()
  const backend = createAwsBackend(
    { ...CONFIG, ...config },
    {
      log: () => undefined,
      registerSecret: (value) => {
        redactor.add(value)
      },
      env: {},
      cwd: '/',
      disableTokenCache: false,
    },
    (region) => {
      const port = new InMemoryPort(
        region,
        secrets.filter((s) => s.arn.includes(`:${region}:`)),
      )
      configure(port)
      ports.set(region, port)
      return port
    },
  )
  const events: DebugEvent[] = []
  const ctx = (signal = new AbortController().signal, deadlineMs = 50_000): FetchContext => ({
    signal,
    deadlineMs,
    log: (e) => events.push(e),
  })
  return { backend, ports, redactor, events, ctx }
}

function value(lookups: ReadonlyMap<string, Lookup>, ref: SecretRef): unknown {
  const lookup = lookups.get(refKey(ref))
  if (lookup === undefined) throw new Error(`no lookup for ${ref.path}`)
  return lookup.ok ? lookup.data.reveal() : lookup.failure
}

test('45 latest-version secrets: 3 batch calls of ≤ 20 ids, no single reads, every ref answered', async () => {
  const secrets = Array.from({ length: 45 }, (_, i) =>
    stored('us-east-1', `s/${String(i)}`, `{"v":"canary-${String(i)}"}`),
  )
  const { backend, ports, events, ctx } = setup(secrets)
  const refs = secrets.flatMap((s) => [{ path: s.name }, { path: s.name, version: 'AWSCURRENT' }])
  const lookups = await backend.fetchMany(refs, ctx())
  const port = ports.get('us-east-1')!
  expect(port.batches.map((b) => b.length)).toEqual([20, 20, 5])
  expect(port.gets).toEqual([])
  expect(new Set(port.batches.flat()).size).toBe(45)
  expect(value(lookups, { path: 's/44', version: 'AWSCURRENT' })).toMatchObject({ v: 'canary-44' })
  expect(lookups.size).toBe(90)
  expect(port.destroyed).toBe(true)
  expect(events.flatMap((e) => (e.kind === 'batch' ? [e.ids] : []))).toEqual([20, 20, 5])
  expect(JSON.stringify(events)).not.toContain('canary')
})

test('versioned refs use GetSecretValue with a stage or a version id', async () => {
  const db: StoredSecret = {
    ...stored('us-east-1', 'app/db', '{"v":"new"}'),
    versions: {
      AWSCURRENT: { secretString: '{"v":"new"}' },
      AWSPREVIOUS: { secretString: '{"v":"old"}' },
      '0f0f0f0f-1111-4222-8333-444444444444': { secretString: '{"v":"pinned"}' },
    },
  }
  const { backend, ports, ctx } = setup([db])
  const prev = { path: 'app/db', version: 'AWSPREVIOUS' }
  const pinned = { path: 'app/db', version: '0f0f0f0f-1111-4222-8333-444444444444' }
  const lookups = await backend.fetchMany([prev, pinned], ctx())
  expect(ports.get('us-east-1')!.gets).toEqual([
    { secretId: 'app/db', versionStage: 'AWSPREVIOUS' },
    { secretId: 'app/db', versionId: '0f0f0f0f-1111-4222-8333-444444444444' },
  ])
  expect(value(lookups, prev)).toMatchObject({ v: 'old' })
  expect(value(lookups, pinned)).toMatchObject({ v: 'pinned' })
})

test('a denied batch falls back to one GetSecretValue per secret', async () => {
  const secrets = [stored('us-east-1', 'a', '{"k":1}'), stored('us-east-1', 'b', '{"k":2}')]
  const { backend, ports, events, ctx } = setup(secrets, {}, (port) => {
    port.batchFailure = facts('AccessDeniedException')
  })
  const lookups = await backend.fetchMany([{ path: 'a' }, { path: 'b' }], ctx())
  expect(ports.get('us-east-1')!.gets.map((g) => g.secretId)).toEqual(['a', 'b'])
  expect(value(lookups, { path: 'b' })).toMatchObject({ k: 2 })
  expect(events).toContainEqual(
    expect.objectContaining({
      kind: 'batch',
      outcome: 'fallback to GetSecretValue (AccessDeniedException)',
    }),
  )
})

test('per-secret batch errors and absent ids fail only their own refs', async () => {
  const secrets = [
    stored('us-east-1', 'ok', '{"k":1}'),
    stored('us-east-1', 'locked', '{"k":2}'),
    stored('us-east-1', 'gone', '{}'),
  ]
  const { backend, ctx } = setup(secrets, {}, (port) => {
    port.batchErrors.set('locked', {
      secretId: 'locked',
      errorCode: 'DecryptionFailure',
      message: 'canary-msg',
    })
    port.dropFromBatch.add('gone')
  })
  const refs = [{ path: 'ok' }, { path: 'locked' }, { path: 'gone' }, { path: 'nope' }]
  const lookups = await backend.fetchMany(refs, ctx())
  expect(value(lookups, { path: 'ok' })).toMatchObject({ k: 1 })
  expect(value(lookups, { path: 'locked' })).toEqual({
    code: 'DECRYPTION_FAILED',
    message:
      "AWS KMS could not decrypt secret locked: the role needs kms:Decrypt on the secret's KMS key (DecryptionFailure)",
  })
  expect(value(lookups, { path: 'gone' })).toEqual({
    code: 'BACKEND_ERROR',
    message: 'BatchGetSecretValue returned neither a value nor an error for secret gone',
  })
  expect(value(lookups, { path: 'nope' })).toMatchObject({ code: 'SECRET_NOT_FOUND' })
})

test('ARNs are read in their own region, one client per region, all closed', async () => {
  const eu = stored('eu-west-1', 'eu/db', '{"k":"eu"}')
  const us = stored('us-east-1', 'us/db', '{"k":"us"}')
  const { backend, ports, ctx } = setup([eu, us])
  const lookups = await backend.fetchMany([{ path: 'us/db' }, { path: eu.arn }], ctx())
  expect([...ports.keys()].sort()).toEqual(['eu-west-1', 'us-east-1'])
  expect(value(lookups, { path: eu.arn })).toMatchObject({ k: 'eu' })
  expect([...ports.values()].every((p) => p.destroyed)).toBe(true)
})

test('at most `concurrency` calls are in flight', async () => {
  const secrets = Array.from({ length: 30 }, (_, i) => stored('us-east-1', `v/${String(i)}`, '{}'))
  const { backend, ports, ctx } = setup(secrets, { concurrency: 4 })
  await backend.fetchMany(
    secrets.map((s) => ({ path: s.name, version: 'AWSPREVIOUS' })),
    ctx(),
  )
  const port = ports.get('us-east-1')!
  expect(port.gets).toHaveLength(30)
  expect(port.maxInFlight).toBe(4)
})

test('static credentials are registered with the redactor', () => {
  const { redactor } = setup([], {
    credentials: {
      accessKeyId: new Secret('AKIACANARYKEY'),
      secretAccessKey: new Secret('canary-secret-key'),
    },
  })
  expect(redactor.redact('x AKIACANARYKEY canary-secret-key')).toBe('x *** ***')
})

/** Reads hang until aborted, then fail as the SDK port does: `throttled` if AWS had been throttling. */
function hangUntilAborted(throttled: boolean) {
  return (port: InMemoryPort) => {
    port.getSecretValue = (_: GetInput, signal: AbortSignal) =>
      new Promise<SecretValue>((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          reject(new AwsCallError(facts('AbortError', { aborted: true, throttled })))
        })
      })
  }
}

const SLOW = { path: 'slow', version: 'AWSPREVIOUS' }

test('a throttled read cut off by the deadline says so', async () => {
  const { backend, ctx } = setup([], {}, hangUntilAborted(true))
  expect(value(await backend.fetchMany([SLOW], ctx(AbortSignal.timeout(30), 30)), SLOW)).toEqual({
    code: 'THROTTLED',
    message:
      'AWS throttled the requests and they could not finish within the 0.03 s deadline (AVP_DEADLINE) while reading secret slow (stage AWSPREVIOUS)',
  })
})

test("the CLI's deadline (a TimeoutError abort) counts as the deadline too", async () => {
  const { backend, ctx } = setup([], {}, hangUntilAborted(false))
  const lookups = await backend.fetchMany([SLOW], ctx(AbortSignal.timeout(20)))
  expect(value(lookups, SLOW)).toEqual({
    code: 'TIMEOUT',
    message:
      'AWS Secrets Manager did not answer within the 50 s deadline (AVP_DEADLINE) while reading secret slow (stage AWSPREVIOUS)',
  })
})

test('SIGTERM is a cancellation', async () => {
  const sigterm = new AbortController()
  const { backend, ctx } = setup([], {}, hangUntilAborted(true))
  const pending = backend.fetchMany([SLOW], ctx(sigterm.signal))
  sigterm.abort(new Error('received SIGTERM'))
  expect(value(await pending, SLOW)).toEqual({
    code: 'TIMEOUT',
    message: 'reading secret slow (stage AWSPREVIOUS) was cancelled (the run was stopped)',
  })
})
